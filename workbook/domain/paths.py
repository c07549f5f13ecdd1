"""Paths through the workbook (pure): the steps of a path per module, their minutes, and the time a
person has left on it given their progress.

A *step* is reading a section, doing an exercise (or the module's questionnaire), or a whole-room
step. The full path holds every section and exercise with estimated minutes; a workshop path holds
the steps its YAML lists with their planned minutes, and everything else of the module is
"for afterwards" (estimated like the full path). Nothing is hidden: afterwards is a mark, not a filter.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from workbook.content.catalogue import Catalogue, Module
from workbook.content.path_models import Estimates, LearningPath, PathsDoc
from workbook.errors import NotFound


@dataclass(frozen=True)
class Step:
    """One step of a module on a path; ``in_session`` False means "for afterwards"."""

    module: str
    kind: str  # read | do | group
    ref: str  # the section heading, the exercise/instrument id, or the group step's label
    label: str
    minutes: int
    in_session: bool
    page: str = ""
    done_when: str = ""


@dataclass(frozen=True)
class ModulePlan:
    module: Module
    steps: tuple[Step, ...]

    @property
    def session_minutes(self) -> int:
        return sum(s.minutes for s in self.steps if s.in_session)

    @property
    def after_minutes(self) -> int:
        return sum(s.minutes for s in self.steps if not s.in_session)

    def step_for(self, kind: str, ref: str) -> Step | None:
        return next((s for s in self.steps if s.kind == kind and s.ref == ref), None)


@dataclass(frozen=True)
class TimeLeft:
    session_total: int
    session_left: int
    after_total: int
    after_left: int


def reading_minutes(words: int, est: Estimates) -> int:
    """Minutes to read ``words`` words (at least one)."""
    return max(1, math.ceil(words / est.reading_words_per_minute))


def exercise_minutes(module: Module, ex_id: str, est: Estimates, instruments: dict) -> int:
    """Estimated minutes of an exercise, or of the module's questionnaire (seconds per item)."""
    if ex_id in est.exercise_overrides:
        return est.exercise_overrides[ex_id]
    if ex_id == module.instrument:
        return max(1, math.ceil(len(instruments[ex_id].items) * est.instrument_seconds_per_item / 60))
    spec = next(e for e in module.exercises if e.id == ex_id)
    return est.exercise_minutes.get(spec.type, est.default_exercise_minutes)


def _label(cat: Catalogue, module: Module, kind: str, ref: str) -> str:
    if kind == "do" and ref == module.instrument:
        return cat.instruments[ref].title
    if kind == "do":
        spec = next(e for e in module.exercises if e.id == ref)
        extra = spec.model_extra or {}
        title = str(extra.get("title") or spec.prompt.strip().split("\n")[0] or ref)
        for stop in ("? ", ". ", ": "):
            if stop in title and len(title.split(stop)[0]) >= 24:
                title = title.split(stop)[0] + stop.strip()
                break
        return title if len(title) <= 90 else title[:89].rstrip() + "…"
    return ref


def full_steps(cat: Catalogue, module: Module, est: Estimates) -> list[Step]:
    """Every section and exercise of a module in page order, with estimated minutes."""
    steps = [Step(module.id, "read", s.heading, s.heading, reading_minutes(len(s.text.split()), est), True) for s in module.sections]
    ids = ([module.instrument] if module.instrument else []) + [e.id for e in module.exercises]
    steps += [Step(module.id, "do", i, _label(cat, module, "do", i), exercise_minutes(module, i, est, cat.instruments), True) for i in ids]
    return steps


def get_path(doc: PathsDoc, path_id: str) -> LearningPath:
    for p in doc.paths:
        if p.id == path_id:
            return p
    raise NotFound(f"no path {path_id!r} in exercises/paths.yaml; known: {', '.join(p.id for p in doc.paths)}")


def module_plan(cat: Catalogue, path: LearningPath, module: Module, est: Estimates) -> ModulePlan:
    """One module on a path: its session steps (as planned) then what is left for afterwards."""
    every = full_steps(cat, module, est)
    if path.modules is None:
        return ModulePlan(module, tuple(every))
    listed = next((pm for pm in path.modules if pm.module == module.id), None)
    planned = [Step(module.id, s.kind, s.ref, _label(cat, module, s.kind, s.ref), s.minutes, True, s.page, s.done_when) for s in (listed.steps if listed else [])]
    taken = {(s.kind, s.ref) for s in planned}
    after = [Step(s.module, s.kind, s.ref, s.label, s.minutes, False) for s in every if (s.kind, s.ref) not in taken]
    return ModulePlan(module, tuple(planned + after))


def plan(cat: Catalogue, path_id: str) -> list[ModulePlan]:
    """Every module of the curriculum on path ``path_id``, in module order."""
    doc = cat.paths
    if doc is None:
        raise NotFound("exercises/paths.yaml is missing: no paths to choose from")
    path = get_path(doc, path_id)
    return [module_plan(cat, path, m, doc.estimates) for m in cat.ordered_modules()]


def step_done(step: Step, status: str | None, answered: set[str], anywhere: set[str] = frozenset()) -> bool:
    """Whether a person has done a step, from their module status and the ids of the module's
    exercises they answered: all steps once the module is marked done; an exercise once it has an
    answer; a section once the module is under way (the page puts the reading first); a group
    step happens in the room and counts once the module is done, or once its ``done_when`` answer
    (e.g. a quiz form, stored outside the modules: ``anywhere``) exists."""
    if status == "done":
        return True
    if step.kind == "group" and step.done_when:
        return step.done_when in anywhere or step.done_when in answered
    if step.kind == "do":
        return step.ref in answered
    if step.kind == "read":
        return status == "in_progress" or bool(answered)
    return False


def time_left(plans: list[ModulePlan], status: dict[str, str], answered_by_module: dict[str, set[str]]) -> TimeLeft:
    """Minutes of the path in the session and for afterwards, in total and still to do."""
    s_tot = s_left = a_tot = a_left = 0
    anywhere = set().union(*answered_by_module.values()) if answered_by_module else set()
    for mp in plans:
        st = status.get(mp.module.id)
        answered = answered_by_module.get(mp.module.id, set())
        for step in mp.steps:
            done = step_done(step, st, answered, anywhere)
            if step.in_session:
                s_tot += step.minutes
                s_left += 0 if done else step.minutes
            else:
                a_tot += step.minutes
                a_left += 0 if done else step.minutes
    return TimeLeft(s_tot, s_left, a_tot, a_left)


def module_left(mp: ModulePlan, status: str | None, answered: set[str]) -> tuple[int, int]:
    """(session minutes left, afterwards minutes left) of one module."""
    t = time_left([mp], {mp.module.id: status} if status else {}, {mp.module.id: answered})
    return t.session_left, t.after_left
