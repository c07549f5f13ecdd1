"""Many answers in one transaction (demo cohort, imports): the same checks as ``save_answer``, one commit."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied

from .answers import ATTEMPT_MARK, _current_attempt, _person, mark_version, validate_value
from .db import Database
from .default_language import of_person
from .models import Answer, ProgressEvent


def save_answers_bulk(db: Database, actor: Identity, rows: Iterable[tuple[int, str, str, str, object]]) -> int:
    """Admin only: append ``(person_id, module, exercise, item, value)`` rows in one transaction; returns the count."""
    if actor.role != "admin":
        raise AccessDenied("only an administrator saves answers in bulk")
    n = 0
    with db.session() as s:
        attempts: dict[tuple[int, str], int] = {}
        languages: dict[int, str] = {}  # each person's language, recorded with their answers
        started: set[tuple[int, str]] = set()
        for person_id, module, exercise, item, value in rows:
            value = validate_value(exercise, item, value, db.settings)
            if (person_id, exercise) not in attempts:
                person = _person(s, actor, person_id, "write")
                languages.setdefault(person_id, of_person(s, person))
                attempts[(person_id, exercise)] = _current_attempt(s, person_id, exercise)
                if item != ATTEMPT_MARK:
                    mark_version(s, person_id, None, module, exercise, attempts[(person_id, exercise)])
            s.add(Answer(person_id=person_id, module=module, exercise=exercise, item=item, attempt=attempts[(person_id, exercise)], value=value,
                         language=languages[person_id]))
            if (person_id, module) not in started:
                started.add((person_id, module))
                if s.scalar(select(ProgressEvent.id).where(ProgressEvent.person_id == person_id, ProgressEvent.module == module).limit(1)) is None:
                    s.add(ProgressEvent(person_id=person_id, module=module, status="in_progress"))
            n += 1
    return n
