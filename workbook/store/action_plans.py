"""Action plans (Module 9) in the answers table: one JSON value per action, a change is a new row.

Module ``m09``, exercise ``action_plan``, item = the action's id. The person writes their plan;
the coach of their cohort may update status and add a follow-up note; HR reads.
"""
from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import func, select

from workbook.auth.identity import Identity
from workbook.domain.action_plan import Action, from_rows, normalise, targetable_items
from workbook.errors import AccessDenied, InvalidAnswer, NotFound

from .access import check_cohort
from .answers import _person  # the one person lookup + access check of the store
from .db import Database
from .models import Answer, Person, ProgressEvent

MODULE = "m09"
EXERCISE = "action_plan"
COACH_FIELDS = {"status", "follow_up"}


def _rows(s, person_id: int) -> dict[str, list[tuple[object, str, object]]]:
    out: dict[str, list] = {}
    q = (
        select(Answer.item, Answer.value, Answer.created_at)
        .where(Answer.person_id == person_id, Answer.exercise == EXERCISE, Answer.rater_id.is_(None))
        .order_by(Answer.id)
    )
    for item, value, at in s.execute(q).all():
        by = value.get("by", "") if isinstance(value, dict) else ""
        out.setdefault(item, []).append((value, by, at))
    return out


def _fold(person_id: int, rows: dict[str, list]) -> list[Action]:
    actions = [from_rows(item, versions, where=f"person {person_id}") for item, versions in rows.items()]
    return sorted((a for a in actions if a is not None), key=lambda a: (a.due or date.max, a.id))


def save_action(db: Database, actor: Identity, person_id: int, fields: dict, action_id: str | None = None) -> str:
    """Add an action (no ``action_id``) or record a change to one; returns the action id.

    The person may change every field; their coach only ``status`` and ``follow_up``.
    """
    own = actor.role == "admin" or actor.person_id == person_id
    if not own:
        if actor.role != "coach":
            raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not change the action plan of person {person_id}")
        extra = set(fields) - COACH_FIELDS
        if extra or action_id is None:
            raise AccessDenied(f"a coach may only update the status and follow-up of an existing action, not {', '.join(sorted(extra)) or 'add one'}")
    where = f"action plan of person {person_id}"
    clean = normalise(fields, where=where)
    if clean.get("behaviours"):
        from workbook.content.catalogue import catalogue

        known = targetable_items(catalogue().instruments.values())
        unknown = [b for b in clean["behaviours"] if b not in known]
        if unknown:
            raise InvalidAnswer(f"{where}.behaviours: {', '.join(unknown)} is not an item of a 360 instrument")
    with db.session() as s:
        _person(s, actor, person_id, "write")
        rows = _rows(s, person_id)
        if action_id is None:
            action_id = "a" + secrets.token_hex(4)
            clean.setdefault("status", "planned")
        elif action_id not in rows:
            raise NotFound(f"person {person_id} has no action {action_id!r}")
        value = {**clean, "by": actor.role if not own or actor.role == "admin" else "self"}
        s.add(Answer(person_id=person_id, module=MODULE, exercise=EXERCISE, item=action_id, attempt=1, value=value))
        if own and actor.role != "admin":
            started = s.scalar(select(func.count()).select_from(ProgressEvent).where(ProgressEvent.person_id == person_id, ProgressEvent.module == MODULE))
            if not started:
                s.add(ProgressEvent(person_id=person_id, module=MODULE, status="in_progress"))
        return action_id


def delete_action(db: Database, actor: Identity, person_id: int, action_id: str) -> None:
    """Remove an action from the plan (a new row marking it deleted; the history stays)."""
    if not (actor.role == "admin" or actor.person_id == person_id):
        raise AccessDenied("only the person themselves removes an action from their plan")
    with db.session() as s:
        _person(s, actor, person_id, "write")
        if action_id not in _rows(s, person_id):
            raise NotFound(f"person {person_id} has no action {action_id!r}")
        s.add(Answer(person_id=person_id, module=MODULE, exercise=EXERCISE, item=action_id, attempt=1, value={"deleted": True, "by": "self"}))


def action_plan(db: Database, actor: Identity, person_id: int) -> list[Action]:
    """The person's current actions, soonest due first (each with its history of changes)."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        return _fold(person_id, _rows(s, person_id))


def cohort_action_plans(db: Database, actor: Identity, cohort_id: int) -> dict[int, list[Action]]:
    """Staff only: every trainee's current plan, by person id (for the coach's follow-up)."""
    check_cohort(actor, cohort_id)
    with db.session() as s:
        ids = s.scalars(select(Person.id).where(Person.cohort_id == cohort_id, Person.role == "trainee").order_by(Person.id)).all()
        return {pid: _fold(pid, _rows(s, pid)) for pid in ids}


__all__ = ["save_action", "delete_action", "action_plan", "cohort_action_plans", "InvalidAnswer"]
