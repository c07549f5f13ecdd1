"""The schema of ``exercises/paths.yaml``: the ways through the workbook a coach can choose per cohort.

A path lists, per module, the steps done in the session (read a section by its heading, do an
exercise or the module's questionnaire by its id, or a whole-room step such as a debrief), each
with its minutes. A path without ``modules`` is the full self-paced path: every section and
exercise, minutes estimated from ``estimates``. References are checked against the loaded
modules (``check``), so a renamed section or exercise fails ``workbook content check`` in one line.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathStep(_Strict):
    """One step: exactly one of ``read`` (a section heading), ``do`` (an exercise or instrument id)
    or ``group`` (a whole-room step: opening, debrief, break; ``page`` links a notebook for it)."""

    read: str = ""
    do: str = ""
    group: str = ""
    page: str = ""  # a page the group step happens on, e.g. quiz_before.ipynb (checked against notebooks/)
    done_when: str = ""  # an exercise id (any module, or a quiz form's) whose answer marks the step done
    minutes: int = Field(ge=1, le=90)

    @model_validator(mode="after")
    def _one_kind(self) -> PathStep:
        given = [k for k in ("read", "do", "group") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(f"a step needs exactly one of read, do, group (found {', '.join(given) or 'none'})")
        if (self.page or self.done_when) and not self.group:
            raise ValueError("page, done_when: only a group step links a page")
        return self

    @property
    def kind(self) -> str:
        return "read" if self.read else "do" if self.do else "group"

    @property
    def ref(self) -> str:
        return self.read or self.do or self.group


class PathModule(_Strict):
    module: str
    steps: list[PathStep] = Field(min_length=1)


class LearningPath(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    summary: str = ""
    total_minutes: int | None = Field(default=None, ge=1)  # the session's length; the steps must fit
    modules: list[PathModule] | None = None  # None: the full path (everything, estimated minutes)
    after_label: str = "for afterwards"


class Estimates(_Strict):
    """How the full path's minutes are estimated (and the minutes of what a workshop leaves for afterwards)."""

    reading_words_per_minute: int = Field(ge=50, le=600)
    instrument_seconds_per_item: int = Field(ge=5, le=120)
    exercise_minutes: dict[str, int] = {}  # by exercise type
    exercise_overrides: dict[str, int] = {}  # by exercise id
    default_exercise_minutes: int = Field(ge=1, le=120)


class PathsDoc(_Strict):
    kind: Literal["paths"]
    default: str
    estimates: Estimates
    labels: dict[str, str] = {}  # the pages' own words (pages/path_view.py)
    paths: list[LearningPath] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> PathsDoc:
        ids = [p.id for p in self.paths]
        for n, pid in enumerate(ids):
            if pid in ids[:n]:
                raise ValueError(f"paths[{n}].id: {pid!r} is used twice")
        if self.default not in ids:
            raise ValueError(f"default: {self.default!r} is not one of {', '.join(ids)}")
        return self

    def check(self, modules: dict, instruments: dict, where: str = "paths.yaml", pages: set[str] | None = None, other_ids: set[str] = frozenset()) -> None:
        """Raise ValueError (one line, naming the place) for a module, heading, exercise or page that does
        not exist (``pages``: the served notebooks; ``other_ids``: answer ids outside modules, e.g. quiz forms)."""
        every_id = set(instruments) | {e.id for m in modules.values() for e in m.exercises} | set(other_ids)
        for n, path in enumerate(self.paths):
            seen: set[str] = set()
            for k, pm in enumerate(path.modules or []):
                place = f"{where}: paths[{n}] ({path.id}).modules[{k}]"
                module = modules.get(pm.module)
                if module is None:
                    raise ValueError(f"{place}.module: no module {pm.module!r}; known: {', '.join(sorted(modules))}")
                if pm.module in seen:
                    raise ValueError(f"{place}.module: {pm.module!r} is listed twice")
                seen.add(pm.module)
                headings = [s.heading for s in module.sections]
                ids = ([module.instrument] if module.instrument else []) + [e.id for e in module.exercises]
                for j, step in enumerate(pm.steps):
                    if step.read and step.read not in headings:
                        raise ValueError(f"{place}.steps[{j}].read: module {pm.module} has no section headed {step.read!r}; its headings: {' | '.join(headings)}")
                    if step.do and step.do not in ids:
                        raise ValueError(f"{place}.steps[{j}].do: module {pm.module} has no exercise or questionnaire {step.do!r}; its ids: {', '.join(ids)}")
                    if step.page and pages is not None and step.page not in pages:
                        raise ValueError(f"{place}.steps[{j}].page: no page {step.page!r} in notebooks/")
                    if step.done_when and step.done_when not in every_id:
                        raise ValueError(f"{place}.steps[{j}].done_when: no exercise, questionnaire or quiz form stored as {step.done_when!r}")
            if path.total_minutes is not None and path.modules is not None:
                used = sum(s.minutes for pm in path.modules for s in pm.steps)
                if used > path.total_minutes:
                    raise ValueError(f"{where}: paths[{n}] ({path.id}): its steps take {used} minutes, more than its total_minutes {path.total_minutes}")
        for ex_id in self.estimates.exercise_overrides:
            if not any(ex_id == e.id for m in modules.values() for e in m.exercises) and ex_id not in instruments:
                raise ValueError(f"{where}: estimates.exercise_overrides: no exercise {ex_id!r} in any module")
