"""360-degree raters: nominations, the coach's approval, rater codes, rounds, rater answers.

A trainee *nominates* raters (name, e-mail, category) for an instrument; they never see a rater
code. A coach of their cohort approves the nominations and sends the codes: by e-mail through the
configured SMTP server (``workbook.mail``) or, without one, shown to the coach only. Every
nomination belongs to a feedback *round*; a round closes on its date or when the coach closes it,
and results are read only from closed rounds (never live, answer by answer). A rater's answers are
stored as answers about the trainee with ``rater_id`` set; a rater reaches only their own answers
and a rater code opens no other page. A *pulse* round asks the same raters again, on the items an
action plan targets, after a closed main round.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from workbook.auth.identity import Identity
from workbook.content.catalogue import RATER_CATEGORIES as CATEGORIES
from workbook.content.catalogue import catalogue
from workbook.errors import AccessDenied, InvalidAnswer, MailError, NotFound, WorkbookError
from workbook.i18n import _, check_language, format_day, format_number, using

from .access import check_cohort, check_nominate, check_person, check_rater_admin
from .answers import latest_rows, mark_version, validate_value
from .db import Database
from .default_language import of_rater
from .models import AccessCode, Answer, FeedbackRound, Person, Rater, RaterContact, RoundRater, utcnow
from .people import _issue_code
from .quota import check_budget, encoded_size, repeated_row
from .sessions import delete_subject_sessions

RATER_MODULE = "360"
COMMENT_ITEM = "_comment"
MAX_COMMENT = 2000
MAIN, PULSE = "main", "pulse"
INVITATION_TEXT = {  # a rater invitation's state in words (a module's progress is render.fragments.STATUS_TEXT)
    "nominated": "waiting for the coach's approval",
    "approved": "approved; the code is not sent yet",
    "email": "code sent by e-mail",
    "coach": "code given to the coach to pass on",
    "withdrawn": "withdrawn",
    "operator": "invited by the operator",
}


@dataclass(frozen=True)
class RaterInvitation:
    """One rater as the inviting trainee and their coach see them: never their code, never their answers."""

    id: int
    category: str
    instrument: str
    label: str
    email: str = ""
    status: str = ""  # a key of INVITATION_TEXT
    round_id: int | None = None
    reminders: int = 0

    @property
    def status_text(self) -> str:
        return INVITATION_TEXT.get(self.status, self.status)


@dataclass(frozen=True)
class IssuedCode:
    """What the coach learns from sending (or reminding): e-mailed, or the code itself when there is no SMTP."""

    rater_id: int
    name: str
    email: str
    category: str
    delivered: str  # email | coach | failed
    code: str | None = None  # only when delivered == "coach"
    error: str = ""


@dataclass(frozen=True)
class RaterTask:
    """What a rater sees: whom they rate, on which instrument (and which items, in a pulse). Nothing else."""

    subject_name: str
    instrument: str
    category: str = "peer"
    items: tuple[str, ...] | None = None  # None: every item
    closed: bool = False
    closes_on: date | None = None


@dataclass(frozen=True)
class RoundInfo:
    """A feedback round with its response counts per category (counts only, never who answered)."""

    id: int
    kind: str
    instrument: str
    opened_at: datetime
    closes_on: date | None
    closed: bool
    closed_at: datetime | None
    items: tuple[str, ...] | None
    invited: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> tuple[int, int]:
        """(invited, answered) over all categories."""
        return sum(self.invited.values()), sum(self.answered.values())


def _owner(s, actor: Identity, subject_id: int, action: str) -> Person:
    if actor.role == "rater":
        raise AccessDenied("a rater code opens only the rater page")
    person = s.get(Person, subject_id)
    if person is None:
        raise NotFound(f"no person with id {subject_id}")
    check_person(actor, person.id, person.cohort_id, action)
    return person


def _managed(s, actor: Identity, subject_id: int) -> Person:
    """The person whose raters a coach of their cohort manages (approve, send, remind, close)."""
    if actor.role == "rater":
        raise AccessDenied("a rater code opens only the rater page")
    person = s.get(Person, subject_id)
    if person is None:
        raise NotFound(f"no person with id {subject_id}")
    check_rater_admin(actor, person.cohort_id)
    return person


def _check_instrument(instrument: str) -> None:
    inst = catalogue().instrument(instrument)
    missing = [i.id for i in inst.items if not i.text_360]
    if missing:
        raise WorkbookError(f"instrument {instrument} has no rater phrasing (text_360) for items {', '.join(missing)}; it cannot be used in 360")


def _check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise WorkbookError(f"rater category {category!r} is not one of {', '.join(CATEGORIES)}")


def _check_contact(name: str, email: str) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip()
    for what, text, limit in ((_("the rater's name"), name, 200), (_("the rater's e-mail"), email, 320)):
        bad = sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cc"})
        if bad:
            raise WorkbookError(_("{what} {text} holds control characters ({characters}); retype it without them").format(
                what=what, text=repr(text[:40]), characters=", ".join(bad)))
        if not text or len(text) > limit:
            raise WorkbookError(_("{what} needs 1 to {limit} characters; give it").format(what=what, limit=limit))
    local, _at, domain = email.rpartition("@")
    if not local or "." not in domain or any(ch.isspace() for ch in email) or domain.startswith(".") or domain.endswith("."):
        raise WorkbookError(_("the rater's e-mail {email} is not an e-mail address (like name@company.com)").format(email=repr(email[:60])))
    return name, email


def _today() -> date:
    return utcnow().date()


def round_closed(r: FeedbackRound, today: date | None = None) -> bool:
    """Closed by the coach, or past its closing date (a round closes at the end of ``closes_on``)."""
    return r.closed_at is not None or (r.closes_on is not None and (today or _today()) > r.closes_on)


def _open_round(s, subject_id: int, instrument: str, kind: str) -> FeedbackRound | None:
    rounds = s.scalars(
        select(FeedbackRound).where(FeedbackRound.subject_id == subject_id, FeedbackRound.instrument == instrument, FeedbackRound.kind == kind)
        .order_by(FeedbackRound.id.desc())
    ).all()
    return next((r for r in rounds if not round_closed(r)), None)


def _latest_closed(s, subject_id: int, instrument: str, kind: str) -> FeedbackRound | None:
    rounds = s.scalars(
        select(FeedbackRound).where(FeedbackRound.subject_id == subject_id, FeedbackRound.instrument == instrument, FeedbackRound.kind == kind)
        .order_by(FeedbackRound.id.desc())
    ).all()
    return next((r for r in rounds if round_closed(r)), None)


def _main_round(s, db: Database, subject_id: int, instrument: str) -> FeedbackRound:
    """The open main round of the person for the instrument, opened now when there is none."""
    current = _open_round(s, subject_id, instrument, MAIN)
    if current is None:
        current = FeedbackRound(subject_id=subject_id, instrument=instrument, kind=MAIN,
                                closes_on=_today() + timedelta(days=db.settings.feedback_round_days))
        s.add(current)
        s.flush()
    return current


def _round_of(s, rater_id: int) -> FeedbackRound | None:
    rid = s.scalar(select(RoundRater.round_id).where(RoundRater.rater_id == rater_id))
    return s.get(FeedbackRound, rid) if rid is not None else None


def _revoke_codes(s, rater_id: int) -> None:
    s.execute(
        update(AccessCode)
        .where(AccessCode.subject_kind == "rater", AccessCode.subject_id == rater_id, AccessCode.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    delete_subject_sessions(s, "rater", rater_id)  # its open page ends at its next action


def _status(contact: RaterContact | None) -> str:
    if contact is None:
        return "operator"
    if contact.withdrawn:
        return "withdrawn"
    if contact.sent_at is not None:
        return contact.sent_by or "coach"
    return "approved" if contact.approved_at is not None else "nominated"


# ---------------------------------------------------------------- nominations (the trainee)

def nominate_rater(db: Database, actor: Identity, subject_id: int, name: str, email: str, category: str, instrument: str,
                   language: str | None = None) -> int:
    """The trainee nominates one rater for themselves (name, e-mail, category, and the language of the rater's
    page and e-mails: None for the cohort's default); returns its id. No code is made here: a coach approves
    and sends it (at once by e-mail when approval is off)."""
    check_nominate(actor, subject_id)
    if language is not None:
        check_language(language, "rater language")
    _check_category(category)
    _check_instrument(instrument)
    name, email = _check_contact(name, email)
    with db.session() as s:
        person = _owner(s, actor, subject_id, "write")
        if person.email and person.email.strip().lower() == email.lower():
            raise WorkbookError(_("{email} is your own e-mail address; nominate other people as raters").format(email=repr(email)))
        rnd = _main_round(s, db, subject_id, instrument)
        taken = s.scalars(
            select(RaterContact.email).join(RoundRater, RoundRater.rater_id == RaterContact.rater_id)
            .where(RoundRater.round_id == rnd.id, RaterContact.withdrawn.is_(False))
        ).all()
        if email.lower() in {e.lower() for e in taken}:
            raise WorkbookError(_("{email} is nominated already in this round; each rater answers once").format(email=repr(email)))
        rater = Rater(subject_id=subject_id, category=category, instrument=instrument, label=name, language=language)
        s.add(rater)
        s.flush()
        auto = not db.settings.rater_approval
        s.add(RaterContact(rater_id=rater.id, name=name, email=email, nominated_by=actor.person_id, approved_at=utcnow() if auto else None))
        s.add(RoundRater(rater_id=rater.id, round_id=rnd.id))
        rid = rater.id
    if not db.settings.rater_approval:
        from workbook.mail import mail_configured

        if mail_configured(db.settings):
            _send(db, [rid], reminder=False)  # the code goes to the rater, never back to the trainee
    return rid


def invite_rater(db: Database, actor: Identity, subject_id: int, category: str, instrument: str, label: str = "") -> tuple[int, str]:
    """Operator only (demo data, scripts): a rater in the person's open round with its code at once.
    Trainees nominate (``nominate_rater``) and never receive a code."""
    if actor.role != "admin":
        raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not make rater codes; trainees nominate raters and a coach sends the codes")
    _check_category(category)
    _check_instrument(instrument)
    label = label.strip()[:200]
    with db.session() as s:
        _owner(s, actor, subject_id, "write")
        rnd = _main_round(s, db, subject_id, instrument)
        rater = Rater(subject_id=subject_id, category=category, instrument=instrument, label=label)
        s.add(rater)
        s.flush()
        s.add(RoundRater(rater_id=rater.id, round_id=rnd.id))
        return rater.id, _issue_code(s, "rater", rater.id)


def list_raters(db: Database, actor: Identity, subject_id: int, instrument: str | None = None) -> list[RaterInvitation]:
    """The person's raters (name, e-mail, category, where the invitation stands); never a code,
    never who answered what."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        q = select(Rater).where(Rater.subject_id == subject_id)
        if instrument:
            q = q.where(Rater.instrument == instrument)
        out = []
        for r in s.scalars(q.order_by(Rater.id)).all():
            c = s.get(RaterContact, r.id)
            out.append(RaterInvitation(r.id, r.category, r.instrument, r.label, c.email if c else "", _status(c),
                                       s.scalar(select(RoundRater.round_id).where(RoundRater.rater_id == r.id)), c.reminders if c else 0))
        return out


def revoke_rater(db: Database, actor: Identity, subject_id: int, rater_id: int) -> None:
    """Withdraw an invitation (the person or their coach): the rater's code and sessions stop
    working, no code or reminder goes out any more (answers already given stay)."""
    with db.session() as s:
        person = _owner(s, actor, subject_id, "write")
        if actor.role not in ("admin", "trainee"):
            check_rater_admin(actor, person.cohort_id)
        rater = s.get(Rater, rater_id)
        if rater is None or rater.subject_id != subject_id:
            raise NotFound(f"no rater {rater_id} for person {subject_id}")
        _revoke_codes(s, rater_id)
        contact = s.get(RaterContact, rater_id)
        if contact is not None:
            contact.withdrawn = True


# ---------------------------------------------------------------- the coach: approve, send, remind

def approve_raters(db: Database, actor: Identity, subject_id: int, rater_ids: Sequence[int] | None = None) -> int:
    """A coach of the person's cohort approves their nominated raters (all, or ``rater_ids``); returns how many."""
    with db.session() as s:
        _managed(s, actor, subject_id)
        q = (select(RaterContact).join(Rater, Rater.id == RaterContact.rater_id)
             .where(Rater.subject_id == subject_id, RaterContact.approved_at.is_(None), RaterContact.withdrawn.is_(False)))
        if rater_ids is not None:
            q = q.where(RaterContact.rater_id.in_(list(rater_ids)))
        n = 0
        for c in s.scalars(q).all():
            c.approved_at, c.approved_by = utcnow(), actor.person_id
            n += 1
        return n


def _mail_text(subject_name: str, code: str, closes_on: date | None, url: str, reminder: bool, pulse: bool) -> tuple[str, str]:
    """The invitation (or reminder) e-mail, in the current language (the rater's: ``_send``)."""
    if pulse:
        title = _("Reminder: {name} asks for a short follow-up on the behaviours they are working on") if reminder else \
            _("{name} asks for a short follow-up on the behaviours they are working on")
        asked = _("{name} asked you for a short follow-up on the behaviours they are working on, as part of a training programme.")
    else:
        title = _("Reminder: {name} asks for your 360-degree feedback") if reminder else _("{name} asks for your 360-degree feedback")
        asked = _("{name} asked you for 360-degree feedback as part of a training programme.")
    lines = [_("A reminder: {name} still hopes for your answers.").format(name=subject_name), ""] if reminder else []
    lines += [asked.format(name=subject_name), "", _("Open {url} and sign in with this rater code:").format(url=url), "", f"    {code}", ""]
    privacy = _("Your answers are shown only pooled with other raters of your group, once enough of them have answered, and never with your name.")
    if closes_on:
        privacy += " " + _("The round closes on {date}.").format(date=format_day(closes_on))
    lines.append(privacy)
    if reminder:
        lines.append(_("This code replaces the one sent earlier."))
    lines += ["", _("The code is personal: do not forward this message.")]
    return title.format(name=subject_name), "\n".join(lines) + "\n"


def _rater_language(s, rater: Rater) -> str:
    from .languages import languages_of_raters  # languages reads raters' own sign-in (no cycle at import)

    return languages_of_raters(s, [rater.id])[rater.id]


def _send(db: Database, rater_ids: Sequence[int], reminder: bool) -> list[IssuedCode]:
    """Issue a fresh code for each rater; e-mail it when SMTP is configured (else hand it back for the
    coach). A failed e-mail voids its code again. Callers have checked the actor's rights."""
    from workbook.mail import mail_configured, rater_page_url, send_mail

    st = db.settings
    by_mail = mail_configured(st)
    out = []
    for rid in rater_ids:
        with db.session() as s:
            rater, contact = s.get(Rater, rid), s.get(RaterContact, rid)
            rnd = _round_of(s, rid)
            person = s.get(Person, rater.subject_id)
            first = person.name.split()[0] if person.name.split() else person.name
            code = _issue_code(s, "rater", rid)
            previous = (contact.sent_at, contact.sent_by, contact.reminders, contact.reminded_at)
            contact.sent_at, contact.sent_by = utcnow(), "email" if by_mail else "coach"
            if reminder:
                contact.reminders, contact.reminded_at = (contact.reminders or 0) + 1, utcnow()
            name, email, category = contact.name, contact.email, rater.category
            language = _rater_language(s, rater)
            closes_on, pulse = (rnd.closes_on if rnd else None), bool(rnd and rnd.kind == PULSE)
        if not by_mail:
            out.append(IssuedCode(rid, name, email, category, "coach", code))
            continue
        with using(language):
            title, body = _mail_text(first, code, closes_on, rater_page_url(st), reminder, pulse)
        try:
            send_mail(email, title, body, to_name=name, settings=st)
        except MailError as exc:
            with db.session() as s:
                _revoke_codes(s, rid)
                contact = s.get(RaterContact, rid)
                contact.sent_at, contact.sent_by, contact.reminders, contact.reminded_at = previous
            out.append(IssuedCode(rid, name, email, category, "failed", None, str(exc)))
            continue
        out.append(IssuedCode(rid, name, email, category, "email"))
    return out


def send_rater_codes(db: Database, actor: Identity, subject_id: int) -> list[IssuedCode]:
    """A coach sends the codes of the person's approved raters not sent yet (open rounds only): by
    e-mail, or without SMTP handed back to the coach to pass on. The trainee never gets them."""
    with db.session() as s:
        _managed(s, actor, subject_id)
        due = []
        for c in s.scalars(select(RaterContact).join(Rater, Rater.id == RaterContact.rater_id).where(
                Rater.subject_id == subject_id, RaterContact.approved_at.is_not(None), RaterContact.sent_at.is_(None),
                RaterContact.withdrawn.is_(False)).order_by(RaterContact.rater_id)).all():
            rnd = _round_of(s, c.rater_id)
            if rnd is not None and not round_closed(rnd):
                due.append(c.rater_id)
    return _send(db, due, reminder=False)


def _has_answered(s, rater: Rater) -> bool:
    """The rater answered at least one item their category judges (a comment alone does not count)."""
    asked = catalogue().instrument(rater.instrument).rated_ids(rater.category)  # current or retired items
    return any(k in asked for k in _rater_latest(s, rater.id))


def remind_raters(db: Database, actor: Identity, subject_id: int, due_only: bool = False) -> list[IssuedCode]:
    """Remind the person's raters who have not answered (open rounds, code sent): a fresh code each,
    by e-mail or to the coach. ``due_only``: only those not sent or reminded for ``rater_reminder_days``."""
    cutoff = utcnow() - timedelta(days=db.settings.rater_reminder_days)
    with db.session() as s:
        _managed(s, actor, subject_id)
        due = []
        for c in s.scalars(select(RaterContact).join(Rater, Rater.id == RaterContact.rater_id).where(
                Rater.subject_id == subject_id, RaterContact.sent_at.is_not(None), RaterContact.withdrawn.is_(False)
        ).order_by(RaterContact.rater_id)).all():
            rnd = _round_of(s, c.rater_id)
            if rnd is None or round_closed(rnd) or _has_answered(s, s.get(Rater, c.rater_id)):
                continue
            if due_only and (c.reminded_at or c.sent_at) > cutoff:
                continue
            due.append(c.rater_id)
    return _send(db, due, reminder=True)


def remind_cohort_raters(db: Database, actor: Identity, cohort_id: int, due_only: bool = True) -> dict[int, list[IssuedCode]]:
    """Every trainee of the cohort: ``remind_raters`` (the operator's scheduled reminder)."""
    check_cohort(actor, cohort_id)
    check_rater_admin(actor, cohort_id)
    with db.session() as s:
        ids = s.scalars(select(Person.id).where(Person.cohort_id == cohort_id, Person.role == "trainee").order_by(Person.id)).all()
    return {pid: got for pid in ids if (got := remind_raters(db, actor, pid, due_only))}


# ---------------------------------------------------------------- rounds

def _info(s, r: FeedbackRound) -> RoundInfo:
    invited = {c: 0 for c in CATEGORIES}
    answered = {c: 0 for c in CATEGORIES}
    for rater in s.scalars(select(Rater).join(RoundRater, RoundRater.rater_id == Rater.id).where(RoundRater.round_id == r.id)).all():
        contact = s.get(RaterContact, rater.id)
        if contact is not None and (contact.withdrawn or contact.sent_at is None):
            continue  # only raters who received a code count as invited
        invited[rater.category] = invited.get(rater.category, 0) + 1
        if _has_answered(s, rater):
            answered[rater.category] = answered.get(rater.category, 0) + 1
    items = tuple(r.items) if isinstance(r.items, list) else None
    return RoundInfo(r.id, r.kind, r.instrument, r.opened_at, r.closes_on, round_closed(r), r.closed_at, items, invited, answered)


def feedback_rounds(db: Database, actor: Identity, subject_id: int, instrument: str) -> list[RoundInfo]:
    """The person's rounds on the instrument, oldest first, with response counts (counts only)."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        rounds = s.scalars(select(FeedbackRound).where(FeedbackRound.subject_id == subject_id, FeedbackRound.instrument == instrument)
                           .order_by(FeedbackRound.id)).all()
        return [_info(s, r) for r in rounds]


def _current_round(s, subject_id: int, instrument: str, kind: str) -> FeedbackRound:
    rnd = _open_round(s, subject_id, instrument, kind)
    if rnd is None:
        raise NotFound(f"person {subject_id} has no open {kind} feedback round on {instrument}")
    return rnd


def close_round(db: Database, actor: Identity, subject_id: int, instrument: str, kind: str = MAIN) -> int:
    """A coach closes the person's open round now: answers stop, results appear. Raters outside any
    round (imported, or older than rounds) are closed into it. Returns the round id."""
    with db.session() as s:
        _managed(s, actor, subject_id)
        loose = _roundless(s, subject_id, instrument) if kind == MAIN else []
        if loose and _open_round(s, subject_id, instrument, MAIN) is None:  # raters outside any round: closed into one now
            rnd = FeedbackRound(subject_id=subject_id, instrument=instrument, kind=MAIN, opened_at=min(r.created_at for r in loose))
            s.add(rnd)
            s.flush()
        else:
            rnd = _current_round(s, subject_id, instrument, kind)
        for r in loose:
            s.add(RoundRater(rater_id=r.id, round_id=rnd.id))
        rnd.closed_at, rnd.closed_by = utcnow(), actor.person_id
        return rnd.id


def set_round_closing(db: Database, actor: Identity, subject_id: int, instrument: str, closes_on: date, kind: str = MAIN) -> None:
    """A coach sets the day the person's open round closes (at the end of that day; not in the past)."""
    if not isinstance(closes_on, date):
        raise WorkbookError(_("closing date {value} is not a date; give it as YYYY-MM-DD").format(value=repr(closes_on)))
    with db.session() as s:
        _managed(s, actor, subject_id)
        if closes_on < _today():
            raise WorkbookError(_("closing date {day} is in the past; close the round now instead").format(day=closes_on.isoformat()))
        _current_round(s, subject_id, instrument, kind).closes_on = closes_on


def start_pulse_round(db: Database, actor: Identity, subject_id: int, instrument: str, items: Sequence[str], closes_on: date | None = None) -> int:
    """A coach asks the raters of the person's last closed main round again, on ``items`` only
    (the behaviours the action plan targets). Codes go out with ``send_rater_codes``. Returns the round id."""
    inst = catalogue().instrument(instrument)
    items = list(dict.fromkeys(items))
    if not items:
        raise WorkbookError(_("a pulse round needs at least one item (the behaviours the action plan targets)"))
    for i in items:
        inst.item(i)  # NotFound names an unknown item
    with db.session() as s:
        _managed(s, actor, subject_id)
        base = _latest_closed(s, subject_id, instrument, MAIN)
        if base is None:
            raise WorkbookError(f"person {subject_id} has no closed 360 round on {instrument}; a pulse round follows a closed round")
        if _open_round(s, subject_id, instrument, PULSE) is not None:
            raise WorkbookError(f"person {subject_id} has an open pulse round on {instrument} already; close it first")
        rnd = FeedbackRound(subject_id=subject_id, instrument=instrument, kind=PULSE, items=items, baseline_id=base.id,
                            closes_on=closes_on or _today() + timedelta(days=db.settings.feedback_round_days))
        s.add(rnd)
        s.flush()
        for old in s.scalars(select(Rater).join(RoundRater, RoundRater.rater_id == Rater.id).where(RoundRater.round_id == base.id)).all():
            c = s.get(RaterContact, old.id)
            if c is None or c.withdrawn or c.sent_at is None or not set(items) & inst.rater_item_ids(old.category):
                continue  # withdrawn, never sent, or a category that judges none of the targeted items
            new = Rater(subject_id=subject_id, category=old.category, instrument=instrument, label=old.label)
            s.add(new)
            s.flush()
            s.add(RaterContact(rater_id=new.id, name=c.name, email=c.email, nominated_by=c.nominated_by, approved_by=actor.person_id,
                               approved_at=utcnow(), follows=old.id))
            s.add(RoundRater(rater_id=new.id, round_id=rnd.id))
        return rnd.id


# ---------------------------------------------------------------- the rater

def _own_rater(s, actor: Identity) -> Rater:
    if actor.role != "rater" or actor.rater_id is None:
        raise AccessDenied(_("this page is for raters; sign in with the rater code you were sent"))
    rater = s.get(Rater, actor.rater_id)
    if rater is None:
        raise NotFound(_("this rater invitation no longer exists"))
    return rater


def rater_task(db: Database, actor: Identity) -> RaterTask:
    """For a signed-in rater: the first name of the person they rate, the instrument, the items and whether the round is closed."""
    with db.session() as s:
        rater = _own_rater(s, actor)
        person = s.get(Person, rater.subject_id)
        rnd = _round_of(s, rater.id)
        items = tuple(rnd.items) if rnd is not None and isinstance(rnd.items, list) else None
        return RaterTask(person.name.split()[0] if person.name.split() else person.name, rater.instrument, rater.category, items,
                         bool(rnd and round_closed(rnd)), rnd.closes_on if rnd else None)


def save_rater_answer(db: Database, actor: Identity, item: str, value: object) -> int:
    """A rater's answer to one item (or their comment, item ``_comment``), appended; refused once the round is closed."""
    with db.session() as s:
        rater = _own_rater(s, actor)
        subject, instrument, category = rater.subject_id, rater.instrument, rater.category
        rnd = _round_of(s, rater.id)
        if rnd is not None and round_closed(rnd):
            raise AccessDenied(_("this feedback round is closed; answers are no longer taken. Thank you"))
        pulse_items = rnd.items if rnd is not None and isinstance(rnd.items, list) else None
    if item == COMMENT_ITEM:
        if value is not None and not isinstance(value, str):
            raise InvalidAnswer(f"{instrument}/{COMMENT_ITEM}: a comment is text")
        if value is not None and len(value) > MAX_COMMENT:
            raise InvalidAnswer(_("{where}: the comment has {n} characters; the limit is {limit}").format(
                where=f"{instrument}/{COMMENT_ITEM}", n=format_number(len(value)), limit=format_number(MAX_COMMENT)))
    else:
        value = validate_value(instrument, item, value, db.settings)
        _check_rated_by(instrument, item, category)
        if pulse_items is not None and item not in pulse_items:
            raise InvalidAnswer(f"{instrument}/{item}: this follow-up asks only about {', '.join(pulse_items)}")
    with db.session() as s:
        language = of_rater(s, _own_rater(s, actor))  # the language the rater answers in
        same = repeated_row(s, subject, rater.id, instrument, item, 1, value, language)
        if same is not None:
            return same
        check_budget(s, db.settings, subject, rater.id, encoded_size(value))
        mark_version(s, subject, rater.id, RATER_MODULE, instrument, 1)
        row = Answer(person_id=subject, rater_id=rater.id, module=RATER_MODULE, exercise=instrument, item=item, attempt=1, value=value,
                     language=language)
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
    return latest_rows(s.execute(select(Answer.item, Answer.value).where(Answer.rater_id == rater_id).order_by(Answer.id)).all())


def rater_answers(db: Database, actor: Identity) -> dict[str, object]:
    """A rater's own current answers (to restore their page); nobody else's."""
    with db.session() as s:
        return _rater_latest(s, _own_rater(s, actor).id)


# ---------------------------------------------------------------- results (closed rounds only)

def _result_raters(s, subject_id: int, instrument: str, kind: str = MAIN, round_id: int | None = None) -> list[Rater]:
    """The raters whose answers make the results: the latest closed round's (``round_id``: that one,
    if closed). Never an open round's, and never raters outside any round (imported, or made before
    rounds existed) until a coach closes them into one (``close_round``)."""
    if round_id is not None:
        rnd = s.get(FeedbackRound, round_id)
        rnd = rnd if rnd is not None and rnd.subject_id == subject_id and round_closed(rnd) else None
    else:
        rnd = _latest_closed(s, subject_id, instrument, kind)
    if rnd is None:
        return []
    return list(s.scalars(select(Rater).join(RoundRater, RoundRater.rater_id == Rater.id).where(RoundRater.round_id == rnd.id).order_by(Rater.id)).all())


def _roundless(s, subject_id: int, instrument: str) -> list[Rater]:
    """The person's raters on the instrument that belong to no round (imported, or older than rounds)."""
    return list(s.scalars(select(Rater).where(Rater.subject_id == subject_id, Rater.instrument == instrument,
                                              Rater.id.not_in(select(RoundRater.rater_id))).order_by(Rater.id)).all())


def _responses(s, raters: Sequence[Rater]) -> list[dict]:
    out = []
    for r in raters:
        answers = _rater_latest(s, r.id)
        comment = answers.pop(COMMENT_ITEM, "")
        out.append({"category": r.category, "answers": answers, "comment": comment if isinstance(comment, str) else ""})
    return out


def feedback_responses(db: Database, actor: Identity, subject_id: int, instrument: str) -> list[dict]:
    """The answers of the person's latest *closed* round as ``{category, answers, comment}`` (no ids,
    no labels), in no particular order; an open round gives nothing. Feed ``feedback360.compare``,
    which applies the anonymity rules before anything is shown."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        return _responses(s, _result_raters(s, subject_id, instrument))


def pulse_responses(db: Database, actor: Identity, subject_id: int, instrument: str) -> tuple[list[str], list[dict], list[dict]] | None:
    """The latest closed pulse round: (its items, the baseline round's responses, the pulse's), or None."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        rnd = _latest_closed(s, subject_id, instrument, PULSE)
        if rnd is None:
            return None
        before = _responses(s, _result_raters(s, subject_id, instrument, round_id=rnd.baseline_id))
        after = _responses(s, _result_raters(s, subject_id, instrument, round_id=rnd.id))
        return list(rnd.items or []), before, after


def response_counts(db: Database, actor: Identity, subject_id: int, instrument: str) -> dict[str, tuple[int, int]]:
    """Per category: (invited, answered) in the round the results come from — a response rate, never who answered."""
    with db.session() as s:
        _owner(s, actor, subject_id, "read")
        invited = {c: 0 for c in CATEGORIES}
        answered = {c: 0 for c in CATEGORIES}
        for r in _result_raters(s, subject_id, instrument):
            invited[r.category] = invited.get(r.category, 0) + 1
            if _has_answered(s, r):
                answered[r.category] = answered.get(r.category, 0) + 1
        return {c: (invited[c], answered[c]) for c in invited}
