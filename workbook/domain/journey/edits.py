"""Operations on a journey map (pure): each returns a new map, so an editor keeps the previous one for undo and
the store appends each version as a new row."""
from __future__ import annotations

from workbook.errors import InvalidAnswer

from .model import MAX_NAME, JourneyMap, Stage, Touchpoint, _move, _validated, _with_stages, dump_map, load_map, new_id


def edit_map(m: JourneyMap, **changes: object) -> JourneyMap:
    """Change the title, client or variant."""
    unknown = set(changes) - {"title", "client", "variant"}
    if unknown:
        raise InvalidAnswer(f"map: cannot change {', '.join(sorted(unknown))}")
    return _validated(JourneyMap, {**dump_map(m), **changes})  # type: ignore[return-value]


def add_stage(m: JourneyMap, name: str, at: int | None = None) -> JourneyMap:
    """Insert a new empty stage (at the end unless ``at`` is given)."""
    stage = _validated(Stage, {"name": name})
    stages = list(m.stages)
    stages.insert(len(stages) if at is None else max(0, min(at, len(stages))), stage)  # type: ignore[arg-type]
    return _with_stages(m, stages)


def rename_stage(m: JourneyMap, stage_id: str, name: str) -> JourneyMap:
    """Give a stage a new name; its touchpoints stay."""
    old = m.stage(stage_id)
    new = _validated(Stage, {**old.model_dump(mode="json"), "name": name})
    return _with_stages(m, [new if s.id == stage_id else s for s in m.stages])  # type: ignore[misc]


def move_stage(m: JourneyMap, stage_id: str, to: int) -> JourneyMap:
    """Move a stage to position ``to`` (0-based), keeping everything else in order."""
    idx = [s.id for s in m.stages].index(m.stage(stage_id).id)
    return _with_stages(m, _move(list(m.stages), idx, to))


def delete_stage(m: JourneyMap, stage_id: str) -> JourneyMap:
    """Remove a stage and its touchpoints."""
    m.stage(stage_id)
    return _with_stages(m, [s for s in m.stages if s.id != stage_id])


def add_touchpoint(m: JourneyMap, stage_id: str, at: int | None = None, **fields: object) -> JourneyMap:
    """Add a touchpoint to a stage (at the end unless ``at`` is given)."""
    tp = _validated(Touchpoint, fields)
    stage = m.stage(stage_id)
    tps = list(stage.touchpoints)
    tps.insert(len(tps) if at is None else max(0, min(at, len(tps))), tp)  # type: ignore[arg-type]
    return _with_stages(m, [s.model_copy(update={"touchpoints": tuple(tps)}) if s.id == stage_id else s for s in m.stages])


def edit_touchpoint(m: JourneyMap, touchpoint_id: str, **changes: object) -> JourneyMap:
    """Change some fields of a touchpoint (validated); the rest of the map is untouched."""
    if "id" in changes:
        raise InvalidAnswer("touchpoint id: cannot be changed")
    si, ti = m.find(touchpoint_id)
    old = m.stages[si].touchpoints[ti]
    new = _validated(Touchpoint, {**old.model_dump(mode="json"), **changes})
    tps = list(m.stages[si].touchpoints)
    tps[ti] = new  # type: ignore[call-overload]
    stages = list(m.stages)
    stages[si] = stages[si].model_copy(update={"touchpoints": tuple(tps)})
    return _with_stages(m, stages)


def move_touchpoint(m: JourneyMap, touchpoint_id: str, to: int, stage_id: str | None = None) -> JourneyMap:
    """Move a touchpoint to position ``to`` in its stage, or in another stage."""
    si, ti = m.find(touchpoint_id)
    tp = m.stages[si].touchpoints[ti]
    target = si if stage_id is None else [s.id for s in m.stages].index(m.stage(stage_id).id)
    stages = [list(s.touchpoints) for s in m.stages]
    stages[si].pop(ti)
    to = max(0, min(to, len(stages[target])))
    stages[target].insert(to, tp)
    return _with_stages(m, [s.model_copy(update={"touchpoints": tuple(t)}) for s, t in zip(m.stages, stages)])


def delete_touchpoint(m: JourneyMap, touchpoint_id: str) -> JourneyMap:
    """Remove one touchpoint; every other touchpoint keeps its place."""
    si, ti = m.find(touchpoint_id)
    stages = list(m.stages)
    stages[si] = stages[si].model_copy(update={"touchpoints": tuple(t for t in stages[si].touchpoints if t.id != touchpoint_id)})
    return _with_stages(m, stages)


def duplicate_map(m: JourneyMap, title: str | None = None, variant: str | None = None) -> JourneyMap:
    """A copy under a new map id; stage and touchpoint ids are kept so the two can be compared."""
    data = dump_map(m)
    data.update(id=new_id("m"), title=title or f"{m.title} (copy)"[:MAX_NAME], variant=variant or m.variant)
    return load_map(data)
