"""Export a whole cohort as one JSON document, and import it into another database.

The document names people and 360 raters by position (``p1``…, ``r1``…), not by database id,
so export → import into an empty database → export gives the same document. Access codes are
never exported: re-issue trainees' codes after an import (raters' answers come along, their
codes do not: a rater who has not answered yet needs a new invitation).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select

from .auth import RATER_CATEGORIES, Identity
from .errors import ImportFormatError, WorkbookError
from .store import Database
from .store.access import require_role
from .store.models import Answer, CoachNote, Cohort, Person, ProgressEvent, Rater

FORMAT = "servuction-workbook/cohort"


def _one_of(value: str, allowed, what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not {what} ({', '.join(allowed)})")
    return value


def _no_control(text: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValueError("holds control characters (NUL, escapes); remove them")
    return text


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control)]
Key = Annotated[str, Field(max_length=100)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonDoc(_M):
    key: Key
    name: Name
    role: Literal["trainee", "coach", "hr"]
    email: Annotated[str, Field(max_length=320), AfterValidator(_no_control)] = ""


class RaterDoc(_M):
    key: Key
    subject: Key  # the person who invited the rater
    category: Annotated[str, AfterValidator(lambda c: _one_of(c, RATER_CATEGORIES, "a rater category"))]
    instrument: Annotated[str, Field(min_length=1, max_length=100)]
    label: Annotated[str, Field(max_length=200), AfterValidator(_no_control)] = ""
    at: datetime


class AnswerDoc(_M):
    person: Key
    rater: Key | None = None  # a 360 rater's answer about ``person``
    module: Annotated[str, Field(max_length=50)]
    exercise: Key
    item: Key
    attempt: int = Field(ge=1, le=1_000_000)
    value: object = None
    at: datetime


class ProgressDoc(_M):
    person: Key
    module: Annotated[str, Field(max_length=50)]
    status: Literal["in_progress", "done"]
    at: datetime


class NoteDoc(_M):
    person: str
    coach: str
    body: str
    shared: bool
    at: datetime


class CohortDoc(_M):
    format: Literal["servuction-workbook/cohort"]
    version: Literal[1]
    cohort: Name
    closed: bool = False
    people: list[PersonDoc]
    raters: list[RaterDoc] = []
    answers: list[AnswerDoc] = []
    progress: list[ProgressDoc] = []
    notes: list[NoteDoc] = []


def export_cohort(db: Database, actor: Identity, name: str) -> dict:
    """The cohort as a JSON-ready dict (operator only)."""
    require_role(actor, "admin")
    with db.session() as s:
        cohort = s.scalar(select(Cohort).where(Cohort.name == name))
        if cohort is None:
            raise WorkbookError(f"no cohort named {name!r}; `workbook cohort list` shows them")
        people = s.scalars(select(Person).where(Person.cohort_id == cohort.id).order_by(Person.id)).all()
        key = {p.id: f"p{n}" for n, p in enumerate(people, 1)}
        ids = list(key)
        raters = s.scalars(select(Rater).where(Rater.subject_id.in_(ids)).order_by(Rater.id)).all()
        rkey = {r.id: f"r{n}" for n, r in enumerate(raters, 1)}
        answers = s.scalars(select(Answer).where(Answer.person_id.in_(ids)).order_by(Answer.id)).all()
        prog = s.scalars(select(ProgressEvent).where(ProgressEvent.person_id.in_(ids)).order_by(ProgressEvent.id)).all()
        notes = s.scalars(select(CoachNote).where(CoachNote.person_id.in_(ids)).order_by(CoachNote.id)).all()
        return {
            "format": FORMAT,
            "version": 1,
            "cohort": cohort.name,
            "closed": cohort.closed_at is not None,
            "people": [{"key": key[p.id], "name": p.name, "role": p.role, "email": p.email} for p in people],
            "raters": [
                {"key": rkey[r.id], "subject": key[r.subject_id], "category": r.category, "instrument": r.instrument,
                 "label": r.label, "at": r.created_at.isoformat()}
                for r in raters
            ],
            "answers": [
                {"person": key[a.person_id], **({"rater": rkey[a.rater_id]} if a.rater_id is not None else {}),
                 "module": a.module, "exercise": a.exercise, "item": a.item, "attempt": a.attempt, "value": a.value, "at": a.created_at.isoformat()}
                for a in answers
            ],
            "progress": [{"person": key[e.person_id], "module": e.module, "status": e.status, "at": e.at.isoformat()} for e in prog],
            "notes": [
                {"person": key[n.person_id], "coach": key.get(n.coach_id, ""), "body": n.body, "shared": n.shared, "at": n.created_at.isoformat()}
                for n in notes
            ],
        }


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def parse_cohort_document(text: str, where: str = "<input>") -> CohortDoc:
    """Validate an export document; raise ImportFormatError with the place and reason."""
    fix = "give the file `workbook export` wrote; nothing was imported"
    try:
        raw = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{where}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); {fix}") from None
    except (TypeError, ValueError) as exc:
        raise ImportFormatError(f"{where}: not JSON ({exc}); {fix}") from None
    except RecursionError:
        raise ImportFormatError(f"{where}: not JSON this workbook reads (nested too deeply); {fix}") from None
    try:
        doc = CohortDoc.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".") or "(top)"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ImportFormatError(f"{where}: {loc}: {msg}; nothing was imported, correct it and import again") from None
    keys = [p.key for p in doc.people]
    if len(set(keys)) != len(keys):
        raise ImportFormatError(f"{where}: people: a key is used twice; give each person its own key (nothing was imported)")
    for field, rows in (("answers", doc.answers), ("progress", doc.progress), ("notes", doc.notes)):
        for n, row in enumerate(rows):
            if row.person not in keys:
                raise ImportFormatError(f"{where}: {field}[{n}].person: {row.person!r} is not one of the document's people; nothing was imported")
    rkeys = [r.key for r in doc.raters]
    if len(set(rkeys)) != len(rkeys):
        raise ImportFormatError(f"{where}: raters: a key is used twice; give each rater its own key (nothing was imported)")
    subject = {r.key: r.subject for r in doc.raters}
    for n, r in enumerate(doc.raters):
        if r.subject not in keys:
            raise ImportFormatError(f"{where}: raters[{n}].subject: {r.subject!r} is not one of the document's people; nothing was imported")
    for n, a in enumerate(doc.answers):
        if a.rater is not None and subject.get(a.rater) != a.person:
            raise ImportFormatError(f"{where}: answers[{n}].rater: {a.rater!r} is not a rater of {a.person!r} in the document; nothing was imported")
    return doc


def import_cohort(db: Database, actor: Identity, text: str, where: str = "<input>") -> str:
    """Create the cohort of an export document in one transaction; returns its name."""
    require_role(actor, "admin")
    doc = parse_cohort_document(text, where)
    with db.session() as s:
        if s.scalar(select(Cohort.id).where(Cohort.name == doc.cohort)) is not None:
            raise ImportFormatError(f"{where}: a cohort named {doc.cohort!r} exists already; nothing was imported")
        cohort = Cohort(name=doc.cohort, closed_at=datetime.now() if doc.closed else None)
        s.add(cohort)
        s.flush()
        ids = {}
        for p in doc.people:
            person = Person(cohort_id=cohort.id, name=p.name, role=p.role, email=p.email)
            s.add(person)
            s.flush()
            ids[p.key] = person.id
        rater_ids = {}
        for r in doc.raters:
            rater = Rater(subject_id=ids[r.subject], category=r.category, instrument=r.instrument, label=r.label, created_at=r.at)
            s.add(rater)
            s.flush()
            rater_ids[r.key] = rater.id
        for a in doc.answers:
            s.add(Answer(person_id=ids[a.person], rater_id=rater_ids.get(a.rater), module=a.module, exercise=a.exercise, item=a.item, attempt=a.attempt, value=a.value, created_at=a.at))
        for e in doc.progress:
            s.add(ProgressEvent(person_id=ids[e.person], module=e.module, status=e.status, at=e.at))
        for n in doc.notes:
            s.add(CoachNote(person_id=ids[n.person], coach_id=ids.get(n.coach, ids[n.person]), body=n.body, shared=n.shared, created_at=n.at))
    return doc.cohort
