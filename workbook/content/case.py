"""The Nordfrost case (``datasets/case_nordfrost.yaml``): the workbook's own fictional B2B relationship,
one block per module, read and validated here. Pure reading; the worked examples in
``pages/examples*.py`` compute their figures from it with the modules' own analysis functions."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workbook.settings import get_settings

from .datafile import load_model, read_model

CASE_FILE = "case_nordfrost.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServuctionSystem(_Strict):
    service: str
    elements: dict[str, str]
    coproduction: dict[str, int]
    moment: str


class CasePhase(_Strict):
    duration: float = Field(ge=0)
    where: str
    who: str


class Timeline(_Strict):
    relationship: str
    phases: dict[str, CasePhase]


class Rater(_Strict):
    category: Literal["manager", "peer", "direct_report", "client"]
    answers: dict[str, int]
    comment: str = ""


class Profile(_Strict):
    self_answers: dict[str, int] = Field(alias="self")
    raters: list[Rater]
    routes: list[str]
    route_note: str


class Said(_Strict):
    who: str
    element: str
    key: Literal["outcome", "process"]
    text: str


class Invested(_Strict):
    element: str
    level: int = Field(ge=1, le=5)


class Cited(_Strict):
    element: str
    importance: int = Field(ge=1, le=5)


class Voices(_Strict):
    statements: list[Said] = Field(min_length=1)
    invest: list[Invested]
    cite: list[Cited]


class Grow(_Strict):
    goal: str
    reality: str
    options: str
    way_forward: str


class Coaching(_Strict):
    grow: Grow
    draft: dict[str, object]
    actions: list[dict[str, object]] = Field(min_length=1)


class Case(_Strict):
    """One B2B relationship seen through modules 1-5 and 9 (Module 5's map is ``journey_example.csv``)."""

    kind: Literal["case"]
    id: str
    title: str
    provider: str
    client: str
    manager: str
    m01: ServuctionSystem
    m02: Timeline
    m03: Profile
    m04: Voices
    m09: Coaching


def read_case(path: Path) -> Case:
    """Read and validate a case file; ContentError names the file, the place and the reason."""
    return read_model(path, Case, "case")


def load_case(path: Path | None = None, language: str | None = None) -> Case:
    """The Nordfrost case from the datasets directory, read once per version of the file; its texts
    in ``language`` (``datasets/<language>/``), its figures always those of the English file."""
    path = Path(path or get_settings().datasets_dir / CASE_FILE)
    return load_model(path, Case, "case", language)
