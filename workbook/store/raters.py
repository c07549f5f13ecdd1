"""360-degree raters: invitations by category, rater codes, rater answers, anonymised inputs.

A trainee invites raters (manager, peer, direct report, client) for an instrument; each
invitation yields a rater code (the same access-code machinery as people, ``subject_kind
"rater"``). A rater's answers are stored as answers about the trainee with ``rater_id`` set.
A rater reaches only their own answers about their subject; a rater code opens no other page.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update

from ..auth import RATER_CATEGORIES as CATEGORIES, Identity
from ..content import catalogue
from ..errors import AccessDenied, InvalidAnswer, NotFound, WorkbookError
from .access import check_person
from .answers import validate_value
from .db import Database
from .models import AccessCode, Answer, PageSession, Person, Rater, utcnow
from .people import _issue_code
from .quota import check_budget, encoded_size, repeated_row

RATER_MODULE = "360"
COMMENT_ITEM = "_comment"
MAX_COMMENT = 2000


@dataclass(frozen=True)
class RaterInvitation:
    """What the inviting trainee sees of one of their raters (their own label for them)."""

    id: int
    category: str
    instrument: str
    label: str


@dataclass(frozen=True)
class RaterTask:
    """What a rater sees: whom they rate, on which instrument. Nothing else."""

    subject_name: str
    instrument: str
    category: str = "peer"


def _owner(s, actor: Identity, subject_id: int, action: str) -> Person:
    if actor.role == "rater":
        raise AccessDenied("a rater code opens only the rater page")
    person = s.get(Person, subject_id)
    if person is None:
        raise NotFound(f"no person with id {subject_id}")
    check_person(actor, person.id, person.cohort_id, action)
    return person


def _check_instrument(instrument: str) -> None:
    inst = catalogue().instrument(instrument)
    missing = [i.id for i in inst.items if not i.text_360]
    if missing:
        raise WorkbookError(f"instrument {instrument} has no rater phrasing (text_360) for items {', '.join(missing)}; it cannot be used in 360")


def invite_rater(db: Database, actor: Identity, subject_id: int, category: str, instrument: str, label: str = "") -> tuple[int, str]:
    """The trainee invites one rater; returns (rater id, rater code). The code is shown only now."""
    if actor.role != "admin" and actor.person_id != subject_id:
        raise AccessDenied(f"only the person themselves invites their raters, not {actor.role} {actor.name or actor.person_id}")
    if category not in CATEGORIES:
        raise WorkbookError(f"rater category {category!r} is not one of {', '.join(CATEGORIES)}")
    _check_instrument(instrument)
    label = label.strip()[:200]
    with db.session() as s:
        _owner(s, actor, subject_id, "write")
        rater = Rater(subject_id=subject_id, category=category, instrument=instrument, label=label)
        s.add(rater)
        s.flush()
        return rater.id, _issue_code(s, "rater", rater.id)


def list_raters(db: Database, actor: Identity, subject_id: int, instrument: str | None = None) -> list[RaterInvitation]:
    """The raters the person invited (their own labels); never who answered what."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        q = select(Rater).where(Rater.subject_id == subject_id)
        if instrument:
            q = q.where(Rater.instrument == instrument)
        return [RaterInvitation(r.id, r.category, r.instrument, r.label) for r in s.scalars(q.order_by(Rater.id)).all()]


def revoke_rater(db: Database, actor: Identity, subject_id: int, rater_id: int) -> None:
    """Withdraw an invitation: the rater's code and sign-in sessions stop working (answers already given stay)."""
    with db.session() as s:
        _owner(s, actor, subject_id, "write")
        rater = s.get(Rater, rater_id)
        if rater is None or rater.subject_id != subject_id:
            raise NotFound(f"no rater {rater_id} for person {subject_id}")
        s.execute(
            update(AccessCode)
            .where(AccessCode.subject_kind == "rater", AccessCode.subject_id == rater_id, AccessCode.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        s.execute(delete(PageSession).where(PageSession.subject_kind == "rater", PageSession.subject_id == rater_id))


def _own_rater(s, actor: Identity) -> Rater:
    if actor.role != "rater" or actor.rater_id is None:
        raise AccessDenied("this page is for raters; sign in with the rater code you were sent")
    rater = s.get(Rater, actor.rater_id)
    if rater is None:
        raise NotFound("this rater invitation no longer exists")
    return rater


def rater_task(db: Database, actor: Identity) -> RaterTask:
    """For a signed-in rater: the first name of the person they rate and the instrument."""
    with db.session() as s:
        rater = _own_rater(s, actor)
        person = s.get(Person, rater.subject_id)
        return RaterTask(person.name.split()[0] if person.name.split() else person.name, rater.instrument, rater.category)


def save_rater_answer(db: Database, actor: Identity, item: str, value: object) -> int:
    """A rater's answer to one item (or their comment, item ``_comment``), appended."""
    with db.session() as s:
        rater = _own_rater(s, actor)
        subject, instrument, category = rater.subject_id, rater.instrument, rater.category
    if item == COMMENT_ITEM:
        if value is not None and not isinstance(value, str):
            raise InvalidAnswer(f"{instrument}/{COMMENT_ITEM}: a comment is text")
        if value is not None and len(value) > MAX_COMMENT:
            raise InvalidAnswer(f"{instrument}/{COMMENT_ITEM}: the comment has {len(value):,} characters; the limit is {MAX_COMMENT:,}")
    else:
        value = validate_value(instrument, item, value, db.settings)
        _check_rated_by(instrument, item, category)
    with db.session() as s:
        same = repeated_row(s, subject, rater.id, instrument, item, 1, value)
        if same is not None:
            return same
        check_budget(s, db.settings, subject, rater.id, encoded_size(value))
        row = Answer(person_id=subject, rater_id=rater.id, module=RATER_MODULE, exercise=instrument, item=item, attempt=1, value=value)
        s.add(row)
        s.flush()
        return row.id


def _check_rated_by(instrument: str, item: str, category: str) -> None:
    """Refuse an answer to an item the rater's category does not judge (``rater_items`` of the instrument)."""
    inst = catalogue().instrument(instrument)
    if item not in inst.rater_item_ids(category):
        dim = inst.item(item).dimension
        raise InvalidAnswer(f"{instrument}/{item}: {category} raters do not rate this item ({dim}); it is not on their page")


def _rater_latest(s, rater_id: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for item, value in s.execute(select(Answer.item, Answer.value).where(Answer.rater_id == rater_id).order_by(Answer.id)).all():
        out[item] = value
    return {k: v for k, v in out.items() if v is not None}


def rater_answers(db: Database, actor: Identity) -> dict[str, object]:
    """A rater's own current answers (to restore their page); nobody else's."""
    with db.session() as s:
        return _rater_latest(s, _own_rater(s, actor).id)


def feedback_responses(db: Database, actor: Identity, subject_id: int, instrument: str) -> list[dict]:
    """Every rater's answers about the person as ``{category, answers, comment}`` (no ids, no
    labels), in no particular order: feed ``feedback360.compare``, which applies the anonymity
    rules before anything is shown."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        raters = s.scalars(select(Rater).where(Rater.subject_id == subject_id, Rater.instrument == instrument).order_by(Rater.id)).all()
        out = []
        for r in raters:
            answers = _rater_latest(s, r.id)
            comment = answers.pop(COMMENT_ITEM, "")
            out.append({"category": r.category, "answers": answers, "comment": comment if isinstance(comment, str) else ""})
        return out


def response_counts(db: Database, actor: Identity, subject_id: int, instrument: str) -> dict[str, tuple[int, int]]:
    """Per category: (invited, answered) — a response rate, never who answered."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        rows = s.execute(select(Rater.id, Rater.category).where(Rater.subject_id == subject_id, Rater.instrument == instrument)).all()
        inst = catalogue().instrument(instrument)
        asked = {c: inst.rater_item_ids(c) for c in CATEGORIES}
        invited = {c: 0 for c in CATEGORIES}
        answered = {c: 0 for c in CATEGORIES}
        for rid, cat in rows:
            invited[cat] = invited.get(cat, 0) + 1
            if any(k in asked[cat] for k in _rater_latest(s, rid)):  # only answers to items the category judges count
                answered[cat] = answered.get(cat, 0) + 1
        return {c: (invited[c], answered[c]) for c in invited}
