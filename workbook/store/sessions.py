"""Sign-in sessions: tokens whose hash only is stored, sliding expiry, one-time cookie tickets.

A page that signed in by code holds its own session token in its kernel and hands its browser a
one-time ticket; Voila's server exchanges the ticket for a new session whose token goes into an
HttpOnly cookie (``workbook/serving/web_session.py``). Pages opened later resume from that cookie. Every
action on a page checks its session (one primary-key lookup): a re-issued code, a revoked rater
or a sign-out deletes the subject's sessions and so ends every open page at its next action.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied
from workbook.i18n import N_

from .db import Database
from .models import PageSession, Person, Rater, SigninTicket, utcnow

EXPIRED = "your sign-in has expired; type your access code again"
ENDED = N_("your session ended — sign in again")  # translated where a page shows it
SLIDE_STEP_SECONDS = 60  # the stored expiry is moved only when it would move by at least this


def token_hash(token: str) -> str:
    """The stored form of a session token or ticket (SHA-256: tokens are long random strings)."""
    return hashlib.sha256(str(token).encode()).hexdigest()


def subject_of(identity: Identity) -> tuple[str, int]:
    """(kind, id) of the signed-in subject: a rater or a person."""
    if identity.role == "rater":
        return "rater", int(identity.rater_id)
    if identity.person_id is None:
        raise AccessDenied("only a person or a rater signed in with a code has a session")
    return "person", int(identity.person_id)


def identity_of(s, kind: str, subject_id: int) -> Identity:
    """The Identity of a session's or code's subject (AccessDenied if it no longer exists)."""
    if kind == "rater":
        rater = s.get(Rater, subject_id)
        subject = s.get(Person, rater.subject_id) if rater is not None else None
        if subject is None:
            raise AccessDenied(ENDED)
        return Identity(role="rater", rater_id=rater.id, person_id=None, cohort_id=subject.cohort_id, name=f"{rater.category} rater")
    person = s.get(Person, subject_id)
    if person is None:
        raise AccessDenied(ENDED)
    return Identity(role=person.role, person_id=person.id, cohort_id=person.cohort_id, name=person.name)


def _expiry(db: Database, created):
    st = db.settings
    return min(utcnow() + timedelta(minutes=st.session_idle_minutes), created + timedelta(hours=st.session_hours))


def start_session(db: Database, identity: Identity) -> str:
    """A new session for this identity; returns its token (never stored, only its hash)."""
    kind, subject = subject_of(identity)
    with db.session() as s:
        return _add_session(db, s, kind, subject)


def start_session_with_ticket(db: Database, identity: Identity) -> tuple[str, str]:
    """A page's sign-in by code: a new session and the one-time ticket for its cookie, (token, ticket), in one
    write transaction (each write waits for SQLite's single writer when a cohort signs in together)."""
    kind, subject = subject_of(identity)
    with db.session() as s:
        return _add_session(db, s, kind, subject), _add_ticket(db, s, kind, subject)


def _add_session(db: Database, s, kind: str, subject: int) -> str:
    """Inside a transaction: store a new session of a subject (expired ones go); its token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    s.execute(delete(PageSession).where(PageSession.expires_at < now))
    s.add(PageSession(token_hash=token_hash(token), subject_kind=kind, subject_id=subject, created_at=now, expires_at=_expiry(db, now)))
    return token


def _add_ticket(db: Database, s, kind: str, subject: int) -> str:
    """Inside a transaction: store a new one-time ticket of a subject (expired ones go); the ticket."""
    ticket = secrets.token_urlsafe(32)
    now = utcnow()
    s.execute(delete(SigninTicket).where(SigninTicket.expires_at < now))
    s.add(SigninTicket(ticket_hash=token_hash(ticket), subject_kind=kind, subject_id=subject,
                       expires_at=now + timedelta(seconds=db.settings.signin_ticket_seconds)))
    return ticket


def _live_row(db: Database, s, token: str) -> PageSession:
    """The session row of a live token, its expiry slid forward (used now); AccessDenied if none."""
    row = s.get(PageSession, token_hash(token or ""))
    if row is None or row.expires_at < utcnow():
        raise AccessDenied(EXPIRED)
    later = _expiry(db, row.created_at)
    if (later - row.expires_at).total_seconds() >= SLIDE_STEP_SECONDS:
        row.expires_at = later
    return row


def resume_session(db: Database, token: str) -> Identity:
    """The identity of a live session, its expiry slid forward (used now); AccessDenied when the
    token is unknown, expired, or ended (code re-issued, rater revoked, signed out)."""
    with db.session() as s:
        row = _live_row(db, s, token)
        return identity_of(s, row.subject_kind, row.subject_id)


def visitor_of(db: Database, token: str) -> str:
    """The kernel budget's name for a live session's subject ("person:12", "rater:3"), or '' when
    the token is not a live session. Read only: a page request does not slide the expiry."""
    if not token:
        return ""
    with db.session() as s:
        row = s.get(PageSession, token_hash(token))
        if row is None or row.expires_at < utcnow():
            return ""
        return f"{row.subject_kind}:{row.subject_id}"


def check_session(db: Database, token: str) -> None:
    """Before each action on a page: AccessDenied unless the session is live (one primary-key
    lookup; its expiry slid forward at most once a minute)."""
    with db.session() as s:
        _live_row(db, s, token)


def end_sessions(db: Database, identity: Identity) -> None:
    """Sign this subject out everywhere: every session and pending ticket is deleted."""
    kind, subject = subject_of(identity)
    with db.session() as s:
        delete_subject_sessions(s, kind, subject)


def delete_subject_sessions(s, kind: str, subject_id: int) -> None:
    """Inside a transaction: end every session and ticket of a subject (code re-issued, rater revoked)."""
    s.execute(delete(PageSession).where(PageSession.subject_kind == kind, PageSession.subject_id == subject_id))
    s.execute(delete(SigninTicket).where(SigninTicket.subject_kind == kind, SigninTicket.subject_id == subject_id))


def end_session_of_token(db: Database, token: str) -> None:
    """Sign out the subject of a session token (the cookie's), everywhere; nothing when unknown."""
    with db.session() as s:
        row = s.get(PageSession, token_hash(token or ""))
        if row is not None:
            delete_subject_sessions(s, row.subject_kind, row.subject_id)


def redeem_ticket(db: Database, ticket: str, replacing: str = "") -> str:
    """Exchange a ticket (used up now) for a new session token; the session ``replacing`` (the
    browser's previous cookie) ends. AccessDenied when the ticket is unknown, used or expired."""
    with db.session() as s:
        row = s.get(SigninTicket, token_hash(ticket or ""))
        if row is None:
            raise AccessDenied("this sign-in ticket is unknown or was used already; sign in again")
        kind, subject, expires = row.subject_kind, row.subject_id, row.expires_at
        s.delete(row)
        if replacing:
            s.execute(delete(PageSession).where(PageSession.token_hash == token_hash(replacing)))
    if expires < utcnow():
        raise AccessDenied("this sign-in ticket has expired; sign in again")
    with db.session() as s:
        identity = identity_of(s, kind, subject)
    return start_session(db, identity)
