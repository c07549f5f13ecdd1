"""Coach notes (GROW session notes and free notes): private to the coach; the person, and HR,
see a note only while it is shared. Append-only: an edit or a share/unshare is a new row of the
same thread; the latest row of a thread is the note.

The body column holds JSON: ``{"thread", "kind": "grow"|"note", "goal", "reality", "options",
"way_forward", "text", "session": "YYYY-MM-DD", "deleted"}``. A plain-text body (an older or
imported note) is read as a free note of its own.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied, InvalidAnswer, NotFound
from workbook.i18n import _, _l, format_number

from .access import check_person
from .db import Database
from .models import CoachNote, Person

GROW_STEPS = ("goal", "reality", "options", "way_forward")
GROW_LABELS = {"goal": _l("Goal"), "reality": _l("Reality"), "options": _l("Options"), "way_forward": _l("Way forward")}  # in the language shown
MAX_CHARS = 20_000


@dataclass(frozen=True)
class Note:
    thread: str
    kind: str
    fields: dict[str, str]
    shared: bool
    session: date | None
    coach_id: int
    created_at: datetime
    versions: int


def _decode(row: CoachNote) -> dict:
    try:
        doc = json.loads(row.body)
        if isinstance(doc, dict) and doc.get("thread"):
            return doc
    except (ValueError, TypeError):
        pass
    return {"thread": f"row{row.id}", "kind": "note", "text": row.body}


def _person(s, actor: Identity, person_id: int) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    check_person(actor, person.id, person.cohort_id, "read")
    return person


def _may_write(s, actor: Identity, person_id: int) -> Person:
    if actor.role != "coach" or actor.person_id is None:
        raise AccessDenied(f"only a coach writes coaching notes; you are signed in as {actor.role}")
    person = _person(s, actor, person_id)
    if person.cohort_id != actor.cohort_id:
        raise AccessDenied(f"coach {actor.name} may not write notes about person {person_id}")
    return person


def _threads(s, person_id: int) -> dict[str, list[tuple[CoachNote, dict]]]:
    out: dict[str, list] = {}
    for row in s.scalars(select(CoachNote).where(CoachNote.person_id == person_id).order_by(CoachNote.id)).all():
        doc = _decode(row)
        out.setdefault(doc["thread"], []).append((row, doc))
    return out


def save_note(
    db: Database, actor: Identity, person_id: int, fields: dict[str, str], kind: str = "grow",
    shared: bool = False, session: date | str | None = None, thread: str | None = None,
) -> str:
    """Write a coaching note (or a new version of ``thread``); returns the thread id."""
    if kind not in ("grow", "note"):
        raise InvalidAnswer(f"note kind {kind!r} is not one of grow, note")
    allowed = set(GROW_STEPS) | {"text"}
    if set(fields) - allowed:
        raise InvalidAnswer(f"note fields {', '.join(sorted(set(fields) - allowed))} are not known; use {', '.join(sorted(allowed))}")
    clean = {k: str(v or "").strip() for k, v in fields.items()}
    if sum(len(v) for v in clean.values()) > MAX_CHARS:
        raise InvalidAnswer(_("the note is longer than {limit} characters; shorten it").format(limit=format_number(MAX_CHARS)))
    if not any(clean.values()):
        raise InvalidAnswer(_("the note is empty; write at least one field"))
    if isinstance(session, str) and session:
        try:
            session = date.fromisoformat(session)
        except ValueError:
            raise InvalidAnswer(_("session date {value} is not a date; write it as YYYY-MM-DD").format(value=repr(session))) from None
    with db.session() as s:
        _may_write(s, actor, person_id)
        if thread is not None and thread not in _threads(s, person_id):
            raise NotFound(f"person {person_id} has no note {thread!r}")
        thread = thread or "n" + secrets.token_hex(5)
        doc = {"thread": thread, "kind": kind, **clean, "session": session.isoformat() if session else ""}
        s.add(CoachNote(person_id=person_id, coach_id=actor.person_id, body=json.dumps(doc, ensure_ascii=False), shared=bool(shared)))
        return thread


def set_shared(db: Database, actor: Identity, person_id: int, thread: str, shared: bool) -> None:
    """Share a note with the person (or stop sharing it): a new version with the same text."""
    with db.session() as s:
        _may_write(s, actor, person_id)
        versions = _threads(s, person_id).get(thread)
        if not versions:
            raise NotFound(f"person {person_id} has no note {thread!r}")
        row, doc = versions[-1]
        s.add(CoachNote(person_id=person_id, coach_id=actor.person_id, body=json.dumps(doc, ensure_ascii=False), shared=bool(shared)))


def delete_note(db: Database, actor: Identity, person_id: int, thread: str) -> None:
    """Withdraw a note (a new version marked deleted, never shared; earlier versions stay)."""
    with db.session() as s:
        _may_write(s, actor, person_id)
        if thread not in _threads(s, person_id):
            raise NotFound(f"person {person_id} has no note {thread!r}")
        doc = {"thread": thread, "kind": "note", "deleted": True}
        s.add(CoachNote(person_id=person_id, coach_id=actor.person_id, body=json.dumps(doc), shared=False))


def notes_for(db: Database, actor: Identity, person_id: int) -> list[Note]:
    """The notes about a person that ``actor`` may read, newest first: the cohort's coach (and the
    operator) every note; the person and HR only the notes currently shared."""
    with db.session() as s:
        person = _person(s, actor, person_id)
        sees_private = actor.role == "admin" or (actor.role == "coach" and actor.cohort_id == person.cohort_id and actor.person_id != person_id)
        out = []
        for thread, versions in _threads(s, person_id).items():
            row, doc = versions[-1]
            if doc.get("deleted") or not (row.shared or sees_private):
                continue
            fields = {k: str(doc.get(k, "")) for k in (*GROW_STEPS, "text") if doc.get(k)}
            session = date.fromisoformat(doc["session"]) if doc.get("session") else None
            out.append(Note(thread, str(doc.get("kind", "note")), fields, bool(row.shared), session, row.coach_id, versions[0][0].created_at, len(versions)))
        return sorted(out, key=lambda n: (n.session or n.created_at.date(), n.created_at), reverse=True)
