"""Client statements sorted into outcome or process (Module 4), graded against an expert key.

Pure functions; the statements live in ``datasets/`` as YAML (one key per string) and are
validated when read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ContentError

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
    def _consistent(self) -> "StatementSet":
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
        err = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".") or "(top)"
        raise ContentError(f"{path}: {where}: {str(err['msg']).removeprefix('Value error, ')}") from None


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> StatementSet:
    return read_statements(Path(path))


def load_statements(path: Path) -> StatementSet:
    """The statements file, read once per version of the file."""
    path = Path(path)
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)


@dataclass(frozen=True)
class Miss:
    statement: Statement
    given: str


@dataclass(frozen=True)
class Grade:
    total: int
    answered: int
    correct: int
    missed: list[Miss]
    by_theme: dict[str, tuple[int, int]] = field(default_factory=dict)  # theme -> (right, wrong)

    @property
    def share(self) -> float | None:
        """Share of answered statements classified like the key."""
        return self.correct / self.answered if self.answered else None


def grade(statements: list[Statement], answers: dict[str, object]) -> Grade:
    """Compare the person's answers (statement id -> outcome/process) with the key."""
    correct, answered, missed = 0, 0, []
    themes: dict[str, list[int]] = {}
    for s in statements:
        given = answers.get(s.id)
        if given not in KEYS:
            continue
        answered += 1
        right = given == s.key
        correct += right
        themes.setdefault(s.theme, [0, 0])[0 if right else 1] += 1
        if not right:
            missed.append(Miss(s, str(given)))
    return Grade(len(statements), answered, correct, missed, {k: (v[0], v[1]) for k, v in themes.items()})


def key_counts(statements: list[Statement]) -> dict[str, int]:
    """How many statements the key puts on each side: {'outcome': n, 'process': m}."""
    out = {k: 0 for k in KEYS}
    for s in statements:
        out[s.key] += 1
    return out
