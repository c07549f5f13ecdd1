"""Journey maps in the store: each change appends a new answer row; the latest row of a map wins.

A map is saved as the answer ``(module m05, exercise "journey", item = map id)`` with the value
``{"op": "save" | "undo" | "delete", "map": {...} | None, "note": "..."}``. Nothing is ever
overwritten, so undo replays the map's history: every ``save`` pushes a version, every ``undo``
pops one, ``delete`` pushes an empty version (so a deleted map can be brought back by undo).
Access checks are the answers' own (a trainee reaches only their maps; coach and HR read their
cohort's).
"""
from __future__ import annotations

from workbook.auth.identity import Identity
from workbook.domain.journey import ActionItem, JourneyMap, action_list, dump_map, load_map
from workbook.errors import InvalidAnswer, NotFound

from .answers import answer_history, current_answers, save_answer
from .db import Database

MODULE = "m05"
EXERCISE = "journey"


def _record(op: str, m: JourneyMap | None, note: str) -> dict:
    return {"op": op, "map": dump_map(m) if m is not None else None, "note": note[:200]}


def record_value(m: JourneyMap, note: str = "") -> dict:
    """The stored value for saving ``m`` (for callers that queue saves themselves)."""
    return _record("save", m, note)


def save_map(db: Database, actor: Identity, person_id: int, m: JourneyMap, note: str = "", exercise: str = EXERCISE) -> int:
    """Append the map's new version (a new row); returns the row id."""
    return save_answer(db, actor, person_id, MODULE, exercise, m.id, _record("save", m, note))


def _decode(value: object, where: str) -> JourneyMap | None:
    if not isinstance(value, dict) or "map" not in value:
        raise InvalidAnswer(f"{where}: stored value is not a journey map record")
    return None if value["map"] is None else load_map(value["map"])


def list_maps(db: Database, actor: Identity, person_id: int, exercise: str = EXERCISE) -> list[JourneyMap]:
    """The person's current maps (deleted ones left out), most recently changed last."""
    current = current_answers(db, actor, person_id, exercise)
    history = answer_history(db, actor, person_id, exercise)
    last_change = {item: n for n, (item, *_rest) in enumerate(history)}
    out = []
    for map_id in sorted(current, key=lambda k: last_change.get(k, -1)):
        m = _decode(current[map_id], f"map {map_id}")
        if m is not None:
            out.append(m)
    return out


def get_map(db: Database, actor: Identity, person_id: int, map_id: str, exercise: str = EXERCISE) -> JourneyMap:
    """One current map of the person; NotFound when it does not exist or was deleted."""
    value = current_answers(db, actor, person_id, exercise).get(map_id)
    m = _decode(value, f"map {map_id}") if value is not None else None
    if m is None:
        raise NotFound(f"no journey map {map_id!r} for person {person_id}")
    return m


def delete_map(db: Database, actor: Identity, person_id: int, map_id: str, exercise: str = EXERCISE) -> None:
    """Delete a map (a new row saying so; its history stays and undo brings it back)."""
    get_map(db, actor, person_id, map_id, exercise)
    save_answer(db, actor, person_id, MODULE, exercise, map_id, _record("delete", None, "deleted the map"))


def _stack(history: list[tuple], map_id: str) -> list[dict | None]:
    stack: list[dict | None] = []
    for item, _attempt, value, _at in history:
        if item != map_id or not isinstance(value, dict):
            continue
        if value.get("op") == "undo":
            if len(stack) > 1:
                stack.pop()
        else:
            stack.append(value.get("map"))
    return stack


def can_undo(db: Database, actor: Identity, person_id: int, map_id: str, exercise: str = EXERCISE) -> bool:
    """Whether the map has an earlier version to go back to."""
    return len(_stack(answer_history(db, actor, person_id, exercise), map_id)) > 1


def undo(db: Database, actor: Identity, person_id: int, map_id: str, exercise: str = EXERCISE) -> JourneyMap | None:
    """Go back to the version before the last change, saved as a new row (None: that version was a deleted map)."""
    stack = _stack(answer_history(db, actor, person_id, exercise), map_id)
    if len(stack) < 2:
        raise InvalidAnswer(f"map {map_id}: nothing to undo")
    previous = stack[-2]
    m = load_map(previous) if previous is not None else None
    save_answer(db, actor, person_id, MODULE, exercise, map_id, {"op": "undo", "map": previous, "note": "undo"})
    return m


def person_actions(db: Database, actor: Identity, person_id: int, controls: tuple[str, ...] = ("me", "my_team")) -> list[tuple[str, ActionItem]]:
    """Across the person's maps: (map title, item) for each pain point and moment of truth they or their team control."""
    return [(m.title, item) for m in list_maps(db, actor, person_id) for item in action_list(m, controls)]
