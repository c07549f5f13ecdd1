"""The client statements of Module 4 (``datasets/*.yaml``: one key per statement, outcome or process),
read and validated; a malformed file is one ContentError naming the file and the field.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workbook.errors import ContentError, one_line

KEYS = ("outcome", "process")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Strict):
    id: str = Field(pattern=r"^s[0-9]+$")
    text: str
    key: Literal["outcome", "process"]
    theme: str
    explanation: str


class StatementSet(_Strict):
    """Statements written for the workbook: B2B service clients speaking, with the expert key."""

    kind: Literal["statements"]
    source: str
    themes: dict[str, str]
    statements: list[Statement] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> StatementSet:
        seen: set[str] = set()
        for n, s in enumerate(self.statements):
            if s.id in seen:
                raise ValueError(f"statements[{n}].id: {s.id!r} is used twice")
            if s.theme not in self.themes:
                raise ValueError(f"statements[{n}].theme: {s.theme!r} is not one of {', '.join(self.themes)}")
            seen.add(s.id)
        return self


def read_statements(path: Path) -> StatementSet:
    """Read and validate a statements file; ContentError names the file, the place and the reason."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return StatementSet.model_validate(raw)
    except FileNotFoundError:
        raise ContentError(f"{path}: no such statements file (datasets/ must hold it)") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except ValidationError as exc:
        raise ContentError(one_line(exc, str(path))) from exc


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> StatementSet:
    return read_statements(Path(path))


def load_statements(path: Path) -> StatementSet:
    """The statements file, read once per version of the file."""
    path = Path(path)
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
