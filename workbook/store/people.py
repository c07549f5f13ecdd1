"""Cohorts, people and their access codes; sign-in with slow-down on wrong codes."""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from workbook.auth.identity import (
    CODES_OFF,
    ROLES,
    Identity,
    current_cost,
    dummy_verify,
    hash_secret,
    new_code,
    normalise_code,
    verify_secret,
)
from workbook.auth.signin_delay import seconds_left
from workbook.errors import AccessDenied, NotFound, StoreError, WorkbookError

from .access import check_cohort, check_person, require_role
from .db import Database
from .models import AccessCode, Cohort, Person, SigninFailure, utcnow
from .sessions import delete_subject_sessions, identity_of, resume_session, start_session


@dataclass(frozen=True)
class PersonInfo:
    id: int
    cohort_id: int
    cohort: str
    name: str
    role: str
    email: str = ""


def _info(p: Person, cohort: Cohort) -> PersonInfo:
    return PersonInfo(p.id, p.cohort_id, cohort.name, p.name, p.role, p.email)


def _check_name(what: str, name: str) -> str:
    """A name as typed, stripped; refuse control characters (NUL, escapes) that no name holds."""
    name = name.strip()
    bad = sorted({f"U+{ord(ch):04X}" for ch in name if unicodedata.category(ch) == "Cc"})
    if bad:
        raise WorkbookError(f"{what} {name[:40]!r} holds control characters ({', '.join(bad)}); retype it without them")
    return name


def create_cohort(db: Database, actor: Identity, name: str) -> int:
    """A new cohort; names are unique. Returns its id."""
    require_role(actor, "coach")
    name = _check_name("the cohort name", name)
    if not name or len(name) > 200:
        raise WorkbookError("a cohort needs a name of 1 to 200 characters; give one")
    with db.session() as s:
        if s.scalar(select(Cohort.id).where(Cohort.name == name)) is not None:
            raise WorkbookError(f"a cohort named {name!r} exists already; choose another name")
        cohort = Cohort(name=name)
        s.add(cohort)
        s.flush()
        return cohort.id


def cohort_by_name(db: Database, name: str) -> int:
    with db.session() as s:
        cid = s.scalar(select(Cohort.id).where(Cohort.name == name))
    if cid is None:
        raise NotFound(f"no cohort named {name!r}; `workbook cohort list` shows them")
    return cid


def list_cohorts(db: Database, actor: Identity) -> list[dict]:
    """Cohorts the actor may see, with their head counts by role."""
    with db.session() as s:
        rows = s.execute(select(Cohort).order_by(Cohort.name)).scalars().all()
        out = []
        for c in rows:
            if actor.role != "admin" and not (actor.is_staff and actor.cohort_id == c.id):
                continue
            counts = dict(s.execute(select(Person.role, func.count()).where(Person.cohort_id == c.id).group_by(Person.role)).all())
            out.append({"id": c.id, "name": c.name, "closed": c.closed_at is not None, **{r: counts.get(r, 0) for r in ROLES}})
        return out


def close_cohort(db: Database, actor: Identity, cohort_id: int) -> None:
    require_role(actor, "coach")
    check_cohort(actor, cohort_id)
    with db.session() as s:
        s.execute(update(Cohort).where(Cohort.id == cohort_id).values(closed_at=utcnow()))


def _issue_code(s, kind: str, subject_id: int, fixed: str | None = None) -> str:
    """Revoke the subject's codes and issue a new one (``fixed``: the demo's known code); returns it, shown once."""
    s.execute(
        update(AccessCode)
        .where(AccessCode.subject_kind == kind, AccessCode.subject_id == subject_id, AccessCode.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    delete_subject_sessions(s, kind, subject_id)  # open pages of the old code end at their next action
    if fixed is not None:
        lookup, secret = normalise_code(fixed)
        display = fixed
        s.execute(delete(AccessCode).where(AccessCode.lookup == lookup))
    else:
        while True:
            display, lookup, secret = new_code()
            if s.get(AccessCode, lookup) is None:
                break
    salt, digest = hash_secret(secret)
    s.add(AccessCode(lookup=lookup, subject_kind=kind, subject_id=subject_id, salt=salt, digest=digest, cost=current_cost()))
    return display


def _checked_person(name: str, role: str, email: str) -> tuple[str, str, str]:
    if role not in ROLES:
        raise WorkbookError(f"role {role!r} is not one of {', '.join(ROLES)}")
    name = _check_name("the name", name)
    if not name or len(name) > 200:
        raise WorkbookError(f"a person needs a name of 1 to 200 characters (got {len(name)}); give a shorter or non-empty one")
    return name, role, _check_name("the e-mail address", email)


def _open_cohort(s, cohort_id: int) -> Cohort:
    cohort = s.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(f"no cohort with id {cohort_id}")
    if cohort.closed_at is not None:
        raise WorkbookError(f"cohort {cohort.name!r} is closed; it takes no new people")
    return cohort


def _checked_login(s, login: str | None) -> str | None:
    """A JupyterHub user name for ``external_login``: stripped, 1 to 200 characters without spaces or control
    characters, nobody else's; None stays None (no hub login)."""
    if login is None:
        return None
    login = login.strip()
    if not login or len(login) > 200 or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in login):
        raise WorkbookError(f"JupyterHub login {login[:40]!r}: give the hub user name, 1 to 200 characters without spaces")
    owner = s.scalar(select(Person.name).where(Person.external_login == login))
    if owner is not None:
        raise WorkbookError(f"JupyterHub login {login!r} belongs to {owner!r} already; one hub user is one person")
    return login


def set_login(db: Database, actor: Identity, person_id: int, login: str | None) -> str | None:
    """Operator only: give a person their JupyterHub login, change it, or remove it (``login`` None); returns the
    previous one. A login another person has is refused in one line naming them."""
    require_role(actor, "admin")
    with db.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        previous = person.external_login
        if login is not None and login.strip() == previous:
            return previous  # unchanged (and not "belongs to" themselves)
        person.external_login = _checked_login(s, login)
        return previous


def rehearsal_trainee(db: Database) -> Identity:
    """A trainee alone in a new cohort, without an access code, inside ``Database.rehearsal()`` only (rolled
    back with it; refused outside one)."""
    if not db.rehearsing:
        raise StoreError("a rehearsal trainee exists only inside Database.rehearsal()")
    import uuid

    with db.session() as s:
        cohort = Cohort(name=f"rehearsal {uuid.uuid4().hex}")
        s.add(cohort)
        s.flush()
        person = Person(cohort_id=cohort.id, name="Rehearsal", role="trainee")
        s.add(person)
        s.flush()
        return Identity(role="trainee", person_id=person.id, cohort_id=cohort.id, name=person.name)


def rehearsal_code(db: Database, identity: Identity) -> str:
    """An access code for the rehearsal trainee, inside ``Database.rehearsal()`` only (rolled back with it): a
    preheated page rehearses a sign-in's own statements with it."""
    if not db.rehearsing:
        raise StoreError("a rehearsal access code exists only inside Database.rehearsal()")
    with db.session() as s:
        return _issue_code(s, "person", identity.person_id)


def invite(db: Database, actor: Identity, cohort_id: int, name: str, role: str = "trainee", email: str = "",
           login: str | None = None) -> tuple[int, str]:
    """Add a person to a cohort and return (person id, access code). The code is shown only now.
    ``login``: their JupyterHub user name (``auth_mode = "jupyterhub"`` signs them in by it, never by the code)."""
    require_role(actor, "coach")
    check_cohort(actor, cohort_id)
    name, role, email = _checked_person(name, role, email)
    with db.session() as s:
        _open_cohort(s, cohort_id)
        person = Person(cohort_id=cohort_id, name=name, role=role, email=email, external_login=_checked_login(s, login))
        s.add(person)
        s.flush()
        return person.id, _issue_code(s, "person", person.id)


def invite_many(db: Database, actor: Identity, cohort_id: int, people: list[tuple]) -> list[tuple[int, str, str, str]]:
    """Invite (name, role, email[, hub login]) rows in one transaction: all or nobody. Returns (id, name, role, code) each."""
    require_role(actor, "coach")
    check_cohort(actor, cohort_id)
    checked = [(*_checked_person(*row[:3]), row[3] if len(row) > 3 else None) for row in people]
    out = []
    with db.session() as s:
        _open_cohort(s, cohort_id)
        for name, role, email, login in checked:
            person = Person(cohort_id=cohort_id, name=name, role=role, email=email, external_login=_checked_login(s, login))
            s.add(person)
            s.flush()
            out.append((person.id, name, role, _issue_code(s, "person", person.id)))
    return out


def reissue_code(db: Database, actor: Identity, person_id: int) -> str:
    """A new code for a person who lost theirs; the old one stops working at once.

    A coach re-issues trainees' codes only: a staff code (coach, HR) is re-issued by the operator,
    so a coach's leaked session cannot hand out a working staff code."""
    require_role(actor, "coach")
    with db.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        check_person(actor, person.id, person.cohort_id, "write")
        if person.role != "trainee" and actor.role != "admin":
            cohort = s.get(Cohort, person.cohort_id)
            raise AccessDenied(
                f"{person.name} is {person.role} staff: staff codes are re-issued by the operator only "
                f"(`workbook reissue {cohort.name!r} {person.name!r}`)"
            )
        return _issue_code(s, "person", person.id)


def person_by_name(db: Database, actor: Identity, cohort_id: int, name: str) -> PersonInfo:
    """The one person of a cohort with this name (NotFound naming the cohort's people otherwise)."""
    people = list_people(db, actor, cohort_id)
    found = [p for p in people if p.name == name.strip()]
    if len(found) != 1:
        names = ", ".join(sorted(p.name for p in people)[:10]) or "nobody yet"
        raise NotFound(f"no single person named {name!r} in this cohort ({len(found)} found); its people: {names}")
    return found[0]


def set_known_code(db: Database, actor: Identity, person_id: int, code: str) -> None:
    """Operator only: give a person a known code (the demo cohort's published codes)."""
    require_role(actor, "admin")
    if normalise_code(code) is None:
        raise WorkbookError(f"{code!r} is not a well-formed access code")
    with db.session() as s:
        _issue_code(s, "person", person_id, fixed=code)


def get_person(db: Database, actor: Identity, person_id: int) -> PersonInfo:
    with db.session() as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        check_person(actor, person.id, person.cohort_id, "read")
        return _info(person, s.get(Cohort, person.cohort_id))


def list_people(db: Database, actor: Identity, cohort_id: int, role: str | None = None) -> list[PersonInfo]:
    check_cohort(actor, cohort_id)
    with db.session() as s:
        q = select(Person, Cohort).join(Cohort, Cohort.id == Person.cohort_id).where(Person.cohort_id == cohort_id)
        if role:
            q = q.where(Person.role == role)
        return [_info(p, c) for p, c in s.execute(q.order_by(Person.id)).all()]


class AccessCodeAuthenticator:
    """Sign in with a personal access code; wrong codes are slowed down per code and per source
    by a wait that grows with each wrong code (``workbook/auth/signin_delay.py``), never locked out."""

    def __init__(self, db: Database):
        self.db = db
        self.settings = db.settings

    def _wait(self, s, keys: list[str]) -> float:
        """Seconds before the next try from these sources (the longest wait of any of them)."""
        return self._failures(s, keys)[0]

    def _failures(self, s, keys: list[str]) -> tuple[float, set[str]]:
        """(seconds before the next try from these sources, the keys with recent wrong codes)."""
        st = self.settings
        since = utcnow() - timedelta(seconds=st.signin_failure_memory_seconds)
        rows = s.execute(
            select(SigninFailure.key, func.count(), func.max(SigninFailure.at))
            .where(SigninFailure.key.in_(keys), SigninFailure.at >= since)
            .group_by(SigninFailure.key)
        ).all()
        now, wait = utcnow(), 0.0
        for key, n, last in rows:
            by_address = key.startswith("addr:")
            free = st.signin_max_failures_per_address if by_address else st.signin_max_failures
            cap = st.signin_delay_max_seconds_per_address if by_address else st.signin_delay_max_seconds
            wait = max(wait, seconds_left(n, last, now, free, st.signin_delay_seconds, cap))
        return wait, {key for key, _n, _last in rows}

    @staticmethod
    def _source_keys(source: str | Sequence[str]) -> list[str]:
        """Failure keys of the attempt's sources: ``addr:...`` (a client address) as is, any other
        source (a page) as ``src:...``."""
        sources = [source] if isinstance(source, str) else list(source)
        keys = [x if x.startswith("addr:") else f"src:{x}" for x in sources if x]
        return keys or ["src:local"]

    def _fail(self, keys: list[str], message: str) -> AccessDenied:
        """Record a wrong code against each key (and forget failures older than the memory)."""
        with self.db.session() as s:
            old = utcnow() - timedelta(seconds=self.settings.signin_failure_memory_seconds)
            s.execute(delete(SigninFailure).where(SigninFailure.at < old))
            for key in keys:
                s.add(SigninFailure(key=key))
        return AccessDenied(message)

    @staticmethod
    def _too_many(wait: float) -> AccessDenied:
        return AccessDenied(f"too many wrong codes from this page, this address or for this code; wait {math.ceil(wait)} seconds and try again")

    def authenticate(self, credential: str, source: str | Sequence[str] = "") -> Identity:
        if self.settings.auth_mode == "jupyterhub":  # identity comes from the hub only: no code counts, none is looked up
            raise AccessDenied(CODES_OFF)
        parts = normalise_code(credential or "")
        keys = self._source_keys(source)
        if parts is None:
            with self.db.session() as s:
                wait = self._wait(s, keys)
            if wait > 0:
                raise self._too_many(wait)
            raise self._fail(keys, "that is not an access code: it has 15 letters and digits, like ABCDE-FGHJK-MNPQR")
        lookup, secret = parts
        keys.append(f"code:{lookup}")
        with self.db.session() as s:
            wait, failed = self._failures(s, keys)
            if wait > 0:
                raise self._too_many(wait)
            row = s.get(AccessCode, lookup)
            if row is None or row.revoked_at is not None:
                dummy_verify(secret)
                ok = False
            else:
                try:
                    ok = verify_secret(secret, row.salt, row.digest, row.cost)
                except ValueError as exc:  # a stored row altered by hand: say so, never guess a cost
                    raise StoreError(f"{exc} (access code {lookup}): re-issue the code with `workbook reissue`") from None
            if ok:
                identity = identity_of(s, row.subject_kind, row.subject_id)
                if row.cost != current_cost():  # hashed at an earlier cost (revision 0005): re-hashed at today's, once
                    row.salt, row.digest = hash_secret(secret)
                    row.cost = current_cost()
                # only this code's count is cleared: signing in with one's own code between guesses
                # must not reset the count of the page (source) the guesses come from. Without wrong codes of its own
                # the sign-in writes nothing here (older rows count for nothing; the next wrong code clears them)
                if f"code:{lookup}" in failed:
                    s.execute(delete(SigninFailure).where(SigninFailure.key == f"code:{lookup}"))
                return identity
        raise self._fail(keys, "this access code is not valid (mistyped, or replaced by a newer one); ask your coach")

    def start_session(self, identity: Identity) -> str:
        """A new session for this identity (``store/sessions.py``); returns its token."""
        return start_session(self.db, identity)

    def resume(self, token: str) -> Identity:
        """The identity of a live session token (its expiry slid forward); AccessDenied when
        unknown, expired or ended (and always under JupyterHub: no session is started there)."""
        if self.settings.auth_mode == "jupyterhub":
            raise AccessDenied(CODES_OFF)
        return resume_session(self.db, token)


def identity_for_login(db: Database, login: str) -> Identity:
    """The person whose ``external_login`` is the JupyterHub user name."""
    with db.session() as s:
        person = s.scalar(select(Person).where(Person.external_login == login))
        if person is None:
            raise AccessDenied(f"JupyterHub user {login!r} is not invited to any cohort; ask your coach")
        return Identity(role=person.role, person_id=person.id, cohort_id=person.cohort_id, name=person.name)
