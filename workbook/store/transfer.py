"""Export a whole cohort as one JSON document, and import it into another database.

The document names people, 360 raters and feedback rounds by position (``p1``…, ``r1``…,
``f1``…), not by database id, so export → import into an empty database → export gives the same
document. It carries everything a coach would otherwise lose: people, answers (rater answers
included), progress, coach notes, the 360 rounds (open or closed, with their dates, a pulse
round's items and baseline), each rater's round and contact (name, e-mail, nomination, approval,
when the code was sent and reminded, withdrawn) and the cohort's settings (its chosen path).
Version 3 adds each person's and each rater's interface language, the cohort's default language (a
setting) and each person's JupyterHub login (``login``: the hub user name that signs them in under
``auth_mode = "jupyterhub"``; null: none), refused when another person of the database has it already; a version 2 document still imports (nobody has chosen a language: the cohort's default, English),
and so does a version 1 document (its raters belong to no round, as before: their results show once a coach
closes them into one).

Not exported, on purpose:
- access codes, neither the code nor its hash (a database row holds only the hash; carrying hashes
  would let a code leaked from one server open another): re-issue people's codes after an import;
  a rater who has not answered gets a fresh code with the next reminder (their e-mail came along);
- page sessions and sign-in tickets: they belong to a browser signed in to the old server;
- sign-in failure counters: a protection of the running server against its own recent traffic,
  not a fact about the cohort (write quotas have no table: they are counted from the answers'
  own times, which do come along).
"""
from __future__ import annotations

import json
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select

from workbook.auth.identity import ROLES, Identity
from workbook.content.catalogue import RATER_CATEGORIES, catalogue
from workbook.errors import ImportFormatError, WorkbookError, one_line
from workbook.i18n import LANGUAGES

from . import Database
from .access import require_role
from .languages import LANGUAGE_KEY
from .models import (
    Answer,
    CoachNote,
    Cohort,
    CohortSetting,
    FeedbackRound,
    Person,
    ProgressEvent,
    Rater,
    RaterContact,
    RoundRater,
)
from .paths import PATH_KEY
from .raters import MAIN, PULSE, _check_contact, round_closed

FORMAT = "servuction-workbook/cohort"
VERSION = 3  # 3: languages; 2: rounds, rater contacts, cohort settings; 1: people, raters, answers, progress, notes
SETTING_KEYS = (PATH_KEY, LANGUAGE_KEY)
Language = Annotated[str, AfterValidator(lambda c: _one_of(c, LANGUAGES, "a language of the workbook"))]


def _one_of(value: str, allowed, what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not {what} ({', '.join(allowed)})")
    return value


def _no_control(text: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ValueError("holds control characters (NUL, escapes); remove them")
    return text


def _utc_naive(when: datetime) -> datetime:
    """Times are stored as naive UTC; a time given with an offset is converted to it."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when


def _hub_login(text: str) -> str:
    if text != text.strip() or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
        raise ValueError(f"the JupyterHub login {text[:40]!r} has a space or a control character; give the hub user name")
    return text


def _email(text: str) -> str:
    try:
        return _check_contact("rater", text)[1]
    except WorkbookError as exc:
        raise ValueError(str(exc)) from None


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control)]
Key = Annotated[str, Field(max_length=100)]
When = Annotated[datetime, AfterValidator(_utc_naive)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonDoc(_M):
    key: Key
    name: Name
    role: Literal[ROLES]  # type: ignore[valid-type] - the tuple of auth.identity.ROLES
    email: Annotated[str, Field(max_length=320), AfterValidator(_no_control)] = ""
    language: Language | None = None  # version 3: the interface language the person chose
    login: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_hub_login)] | None = None  # version 3: JupyterHub user


class ContactDoc(_M):
    """How to reach a nominated rater and where the invitation stands (version 2)."""

    name: Name
    email: Annotated[str, Field(max_length=320), AfterValidator(_email)]
    nominated_by: Key | None = None  # a person key; None: the operator
    approved_by: Key | None = None
    approved_at: When | None = None
    sent_at: When | None = None
    sent_by: Literal["", "email", "coach"] = ""
    reminders: int = Field(default=0, ge=0, le=10_000)
    reminded_at: When | None = None
    follows: Key | None = None  # pulse: the same rater's earlier invitation (a rater key)
    withdrawn: bool = False


class RaterDoc(_M):
    key: Key
    subject: Key  # the person who invited the rater
    category: Annotated[str, AfterValidator(lambda c: _one_of(c, RATER_CATEGORIES, "a rater category"))]
    instrument: Annotated[str, Field(min_length=1, max_length=100)]
    label: Annotated[str, Field(max_length=200), AfterValidator(_no_control)] = ""
    at: When
    round: Key | None = None  # version 2: the round key; None: outside any round (operator raters of old)
    contact: ContactDoc | None = None  # version 2; None: invited by the operator
    language: Language | None = None  # version 3: chosen for the rater by the trainee, or by the rater


class RoundDoc(_M):
    """A 360 feedback round (version 2): results are read only once it is closed."""

    key: Key
    subject: Key
    instrument: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["main", "pulse"]
    items: list[Key] | None = None  # pulse: the item ids rated; main: None
    baseline: Key | None = None  # pulse: the (main) round it follows
    opened_at: When
    closes_on: date | None = None  # closed at the end of that day
    closed_at: When | None = None  # closed by a coach (or the operator)
    closed_by: Key | None = None  # a person key; None: the operator


class SettingDoc(_M):
    """One choice made for the cohort (version 2), in the order made: the latest of a key wins."""

    key: Annotated[str, AfterValidator(lambda k: _one_of(k, SETTING_KEYS, "a cohort setting"))]
    value: Annotated[str, Field(min_length=1, max_length=100)]
    by: Key | None = None  # a person key; None: the operator
    at: When


class AnswerDoc(_M):
    person: Key
    rater: Key | None = None  # a 360 rater's answer about ``person``
    module: Annotated[str, Field(max_length=50)]
    exercise: Key
    item: Key
    attempt: int = Field(ge=1, le=1_000_000)
    value: object = None
    at: When
    language: Language | None = None  # the language it was given in (absent: not recorded)


class ProgressDoc(_M):
    person: Key
    module: Annotated[str, Field(max_length=50)]
    status: Literal["in_progress", "done"]
    at: When


class NoteDoc(_M):
    person: str
    coach: str
    body: str
    shared: bool
    at: When


class CohortDoc(_M):
    format: Literal["servuction-workbook/cohort"]
    version: Literal[1, 2, 3]
    cohort: Name
    closed: bool = False
    people: list[PersonDoc]
    raters: list[RaterDoc] = []
    answers: list[AnswerDoc] = []
    progress: list[ProgressDoc] = []
    notes: list[NoteDoc] = []
    rounds: list[RoundDoc] = []  # version 2
    settings: list[SettingDoc] = []  # version 2


def export_cohort(db: Database, actor: Identity, name: str) -> dict:
    """The cohort as a JSON-ready dict (operator only)."""
    require_role(actor, "admin")

    def at(when: datetime | None) -> str | None:
        return when.isoformat() if when is not None else None

    with db.session() as s:
        cohort = s.scalar(select(Cohort).where(Cohort.name == name))
        if cohort is None:
            raise WorkbookError(f"no cohort named {name!r}; `workbook cohort list` shows them")
        people = s.scalars(select(Person).where(Person.cohort_id == cohort.id).order_by(Person.id)).all()
        key = {p.id: f"p{n}" for n, p in enumerate(people, 1)}
        ids = list(key)
        raters = s.scalars(select(Rater).where(Rater.subject_id.in_(ids)).order_by(Rater.id)).all()
        rkey = {r.id: f"r{n}" for n, r in enumerate(raters, 1)}
        rounds = s.scalars(select(FeedbackRound).where(FeedbackRound.subject_id.in_(ids)).order_by(FeedbackRound.id)).all()
        fkey = {r.id: f"f{n}" for n, r in enumerate(rounds, 1)}
        round_of = dict(s.execute(select(RoundRater.rater_id, RoundRater.round_id).where(RoundRater.rater_id.in_(list(rkey)))).all())
        contacts = {c.rater_id: c for c in s.scalars(select(RaterContact).where(RaterContact.rater_id.in_(list(rkey)))).all()}
        answers = s.scalars(select(Answer).where(Answer.person_id.in_(ids)).order_by(Answer.id)).all()
        prog = s.scalars(select(ProgressEvent).where(ProgressEvent.person_id.in_(ids)).order_by(ProgressEvent.id)).all()
        notes = s.scalars(select(CoachNote).where(CoachNote.person_id.in_(ids)).order_by(CoachNote.id)).all()
        chosen = s.scalars(select(CohortSetting).where(CohortSetting.cohort_id == cohort.id).order_by(CohortSetting.id)).all()

        def contact(c: RaterContact | None) -> dict | None:
            if c is None:
                return None
            return {"name": c.name, "email": c.email, "nominated_by": key.get(c.nominated_by), "approved_by": key.get(c.approved_by),
                    "approved_at": at(c.approved_at), "sent_at": at(c.sent_at), "sent_by": c.sent_by or "", "reminders": c.reminders or 0,
                    "reminded_at": at(c.reminded_at), "follows": rkey.get(c.follows), "withdrawn": bool(c.withdrawn)}

        return {
            "format": FORMAT,
            "version": VERSION,
            "cohort": cohort.name,
            "closed": cohort.closed_at is not None,
            "people": [{"key": key[p.id], "name": p.name, "role": p.role, "email": p.email, "language": p.language,
                        "login": p.external_login} for p in people],
            "rounds": [
                {"key": fkey[r.id], "subject": key[r.subject_id], "instrument": r.instrument, "kind": r.kind,
                 "items": list(r.items) if isinstance(r.items, list) else None, "baseline": fkey.get(r.baseline_id),
                 "opened_at": at(r.opened_at), "closes_on": r.closes_on.isoformat() if r.closes_on else None,
                 "closed_at": at(r.closed_at), "closed_by": key.get(r.closed_by)}
                for r in rounds
            ],
            "raters": [
                {"key": rkey[r.id], "subject": key[r.subject_id], "category": r.category, "instrument": r.instrument,
                 "label": r.label, "at": r.created_at.isoformat(), "round": fkey.get(round_of.get(r.id)), "contact": contact(contacts.get(r.id)),
                 "language": r.language}
                for r in raters
            ],
            "answers": [
                {"person": key[a.person_id], **({"rater": rkey[a.rater_id]} if a.rater_id is not None else {}),
                 "module": a.module, "exercise": a.exercise, "item": a.item, "attempt": a.attempt, "value": a.value, "at": a.created_at.isoformat(),
                 **({"language": a.language} if a.language is not None else {})}
                for a in answers
            ],
            "progress": [{"person": key[e.person_id], "module": e.module, "status": e.status, "at": e.at.isoformat()} for e in prog],
            "notes": [
                {"person": key[n.person_id], "coach": key.get(n.coach_id, ""), "body": n.body, "shared": n.shared, "at": n.created_at.isoformat()}
                for n in notes
            ],
            "settings": [{"key": c.key, "value": c.value, "by": key.get(c.set_by), "at": c.created_at.isoformat()} for c in chosen],
        }


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _check_version(raw: object, where: str) -> None:
    """A document of a later version than this workbook writes is refused before anything else is read."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return
    version = raw.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise ImportFormatError(
            f"{where}: version: {version} is newer than this workbook reads (1 to {VERSION}); import it with the workbook "
            f"that exported it, or update this one; nothing was imported")


def _check_rounds(doc: CohortDoc, where: str, people: set[str]) -> None:
    """Version 2's rounds, raters' rounds and contacts, and settings: every reference inside the document, one line each."""

    def refuse(place: str, why: str) -> None:
        raise ImportFormatError(f"{where}: {place}: {why}; nothing was imported, correct it and import again")

    def person(place: str, ref: str | None) -> None:
        if ref is not None and ref not in people:
            refuse(place, f"{ref!r} is not one of the document's people")

    def no_languages() -> None:
        for n, p in enumerate(doc.people):
            if p.language is not None:
                refuse(f"people[{n}].language", f"a version {doc.version} document has no languages; set version to {VERSION}")
            if p.login is not None:
                refuse(f"people[{n}].login", f"a version {doc.version} document has no JupyterHub logins; set version to {VERSION}")
        for n, r in enumerate(doc.raters):
            if r.language is not None:
                refuse(f"raters[{n}].language", f"a version {doc.version} document has no languages; set version to {VERSION}")
        for n, c in enumerate(doc.settings):
            if c.key == LANGUAGE_KEY:
                refuse(f"settings[{n}].key", f"a version {doc.version} document has no cohort language; set version to {VERSION}")

    if doc.version == 1:
        for field in ("rounds", "settings"):
            if field in doc.model_fields_set:
                refuse(field, f"a version 1 document has no {field}; set version to {VERSION}")
        for n, r in enumerate(doc.raters):
            for field in ("round", "contact"):
                if field in r.model_fields_set:
                    refuse(f"raters[{n}].{field}", f"a version 1 document has no rater {field}s; set version to {VERSION}")
        no_languages()
        return
    if doc.version == 2:
        no_languages()
    cat = catalogue()
    rounds: dict[str, RoundDoc] = {}
    today = datetime.now(UTC).date()
    open_ones: dict[tuple[str, str, str], str] = {}
    for n, r in enumerate(doc.rounds):
        place = f"rounds[{n}]"
        if r.key in rounds:
            refuse(f"{place}.key", f"{r.key!r} is used twice; give each round its own key")
        person(f"{place}.subject", r.subject)
        person(f"{place}.closed_by", r.closed_by)
        try:
            inst = cat.instrument(r.instrument)
        except WorkbookError:
            refuse(f"{place}.instrument", f"{r.instrument!r} is not an instrument of this workbook")
        if r.kind == MAIN and (r.items is not None or r.baseline is not None):
            refuse(f"{place}.items" if r.items is not None else f"{place}.baseline", "a main round asks every item and follows no round; give null")
        if r.kind == PULSE:
            if not r.items:
                refuse(f"{place}.items", "a pulse round names the item ids it asks (at least one)")
            for i, item in enumerate(r.items):
                try:
                    inst.item(item)
                except WorkbookError:
                    refuse(f"{place}.items[{i}]", f"{item!r} is not an item of {r.instrument}")
            base = rounds.get(r.baseline) if r.baseline is not None else None
            if base is None or base.kind != MAIN or (base.subject, base.instrument) != (r.subject, r.instrument):
                refuse(f"{place}.baseline", f"{r.baseline!r} is not an earlier main round of {r.subject!r} on {r.instrument}")
        if r.closed_at is not None and r.closed_at < r.opened_at:
            refuse(f"{place}.closed_at", f"{r.closed_at.isoformat()} is before the round opened ({r.opened_at.isoformat()})")
        if not round_closed(FeedbackRound(closes_on=r.closes_on, closed_at=r.closed_at), today):
            slot = (r.subject, r.instrument, r.kind)
            if slot in open_ones:
                refuse(place, f"{r.subject!r} has another open {r.kind} round on {r.instrument} ({open_ones[slot]!r}); close one of them")
            open_ones[slot] = r.key
        rounds[r.key] = r
    seen: dict[str, RaterDoc] = {}
    emails: dict[tuple[str, str], int] = {}
    for n, r in enumerate(doc.raters):
        place = f"raters[{n}]"
        if r.round is not None:
            rnd = rounds.get(r.round)
            if rnd is None:
                refuse(f"{place}.round", f"{r.round!r} is not one of the document's rounds")
            if (rnd.subject, rnd.instrument) != (r.subject, r.instrument):
                refuse(f"{place}.round", f"{r.round!r} is a round of {rnd.subject!r} on {rnd.instrument}, not of the rater's {r.subject!r} on {r.instrument}")
        c = r.contact
        if c is not None:
            person(f"{place}.contact.nominated_by", c.nominated_by)
            person(f"{place}.contact.approved_by", c.approved_by)
            if c.follows is not None:
                before = seen.get(c.follows)
                if before is None or before.subject != r.subject:
                    refuse(f"{place}.contact.follows", f"{c.follows!r} is not an earlier rater of {r.subject!r}")
            if r.round is not None and not c.withdrawn:
                slot = (r.round, c.email.lower())
                if slot in emails:
                    refuse(f"{place}.contact.email", f"{c.email!r} is nominated already in round {r.round!r} (raters[{emails[slot]}]); each rater answers once")
                emails[slot] = n
        seen[r.key] = r
    paths = cat.paths
    known = [p.id for p in paths.paths] if paths else []
    latest: dict[str, int] = {}
    for n, c in enumerate(doc.settings):
        person(f"settings[{n}].by", c.by)
        latest[c.key] = n
        if c.key == LANGUAGE_KEY and c.value not in LANGUAGES:
            refuse(f"settings[{n}].value", f"{c.value!r} is not a language of the workbook ({', '.join(LANGUAGES)})")
    if PATH_KEY in latest and doc.settings[latest[PATH_KEY]].value not in known:
        n = latest[PATH_KEY]
        refuse(f"settings[{n}].value", f"{doc.settings[n].value!r} is not a path of this workbook ({', '.join(known) or 'none'})")


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
    _check_version(raw, where)
    try:
        doc = CohortDoc.model_validate(raw)
    except ValidationError as exc:
        raise ImportFormatError(f"{one_line(exc, where)}; nothing was imported, correct it and import again") from exc
    keys = [p.key for p in doc.people]
    if len(set(keys)) != len(keys):
        raise ImportFormatError(f"{where}: people: a key is used twice; give each person its own key (nothing was imported)")
    logins: dict[str, int] = {}
    for n, p in enumerate(doc.people):
        if p.login is not None and p.login in logins:
            raise ImportFormatError(f"{where}: people[{n}].login: {p.login!r} is people[{logins[p.login]}]'s login too; one hub user is one "
                                    "person (nothing was imported)")
        if p.login is not None:
            logins[p.login] = n
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
    _check_rounds(doc, where, set(keys))
    return doc


def _check_logins_free(s, doc: CohortDoc, where: str) -> None:
    """No hub login of the document belongs to a person already in the database (one hub user is one person)."""
    wanted = {p.login: n for n, p in enumerate(doc.people) if p.login is not None}
    if not wanted:
        return
    for login, owner in s.execute(select(Person.external_login, Person.name).where(Person.external_login.in_(list(wanted)))).all():
        raise ImportFormatError(f"{where}: people[{wanted[login]}].login: {login!r} belongs to {owner!r} in this database already; "
                                f"one hub user is one person: change or clear it (`workbook login`) first; nothing was imported")


def import_cohort(db: Database, actor: Identity, text: str, where: str = "<input>") -> str:
    """Create the cohort of an export document in one transaction; returns its name. No access code
    is made: re-issue people's codes; raters get fresh ones with the next reminder."""
    require_role(actor, "admin")
    doc = parse_cohort_document(text, where)
    with db.session() as s:
        if s.scalar(select(Cohort.id).where(Cohort.name == doc.cohort)) is not None:
            raise ImportFormatError(f"{where}: a cohort named {doc.cohort!r} exists already; nothing was imported")
        _check_logins_free(s, doc, where)
        cohort = Cohort(name=doc.cohort, closed_at=datetime.now() if doc.closed else None)
        s.add(cohort)
        s.flush()
        ids = {}
        for p in doc.people:
            person = Person(cohort_id=cohort.id, name=p.name, role=p.role, email=p.email, language=p.language, external_login=p.login)
            s.add(person)
            s.flush()
            ids[p.key] = person.id
        round_ids = {}
        for r in doc.rounds:
            rnd = FeedbackRound(subject_id=ids[r.subject], instrument=r.instrument, kind=r.kind, items=r.items,
                                baseline_id=round_ids.get(r.baseline), opened_at=r.opened_at, closes_on=r.closes_on,
                                closed_at=r.closed_at, closed_by=ids.get(r.closed_by))
            s.add(rnd)
            s.flush()
            round_ids[r.key] = rnd.id
        rater_ids = {}
        for r in doc.raters:
            rater = Rater(subject_id=ids[r.subject], category=r.category, instrument=r.instrument, label=r.label, created_at=r.at, language=r.language)
            s.add(rater)
            s.flush()
            rater_ids[r.key] = rater.id
            if r.round is not None:
                s.add(RoundRater(rater_id=rater.id, round_id=round_ids[r.round]))
            if (c := r.contact) is not None:
                s.add(RaterContact(rater_id=rater.id, name=c.name, email=c.email, nominated_by=ids.get(c.nominated_by),
                                   approved_by=ids.get(c.approved_by), approved_at=c.approved_at, sent_at=c.sent_at, sent_by=c.sent_by,
                                   reminders=c.reminders, reminded_at=c.reminded_at, follows=rater_ids.get(c.follows), withdrawn=c.withdrawn))
        for a in doc.answers:
            s.add(Answer(person_id=ids[a.person], rater_id=rater_ids.get(a.rater), module=a.module, exercise=a.exercise, item=a.item, attempt=a.attempt, value=a.value, created_at=a.at,
                         language=a.language))
        for e in doc.progress:
            s.add(ProgressEvent(person_id=ids[e.person], module=e.module, status=e.status, at=e.at))
        for n in doc.notes:
            s.add(CoachNote(person_id=ids[n.person], coach_id=ids.get(n.coach, ids[n.person]), body=n.body, shared=n.shared, created_at=n.at))
        for c in doc.settings:
            s.add(CohortSetting(cohort_id=cohort.id, key=c.key, value=c.value, set_by=ids.get(c.by), created_at=c.at))
    return doc.cohort
