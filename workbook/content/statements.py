"""The client statements of Module 4 (``datasets/*.yaml``: one key per statement, outcome or process),
read and validated; a malformed file is one ContentError naming the file and the field.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .datafile import load_model, read_model

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
    return read_model(path, StatementSet, "statements")


def load_statements(path: Path, language: str | None = None) -> StatementSet:
    """The statements file (in ``language``: ``datasets/<language>/``, same ids and keys), read once per version of the file."""
    return load_model(path, StatementSet, "statements", language)
