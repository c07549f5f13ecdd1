"""Cohorts, people and their access codes; sign-in with slow-down on wrong codes."""
from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from ..auth import Identity, dummy_verify, hash_secret, new_code, normalise_code, verify_secret, ROLES
from ..errors import AccessDenied, NotFound, WorkbookError
from .access import check_cohort, check_person, require_role
from .db import Database
from .models import AccessCode, Cohort, PageSession, Person, Rater, SigninFailure, utcnow


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
    s.execute(delete(PageSession).where(PageSession.subject_kind == kind, PageSession.subject_id == subject_id))
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
    s.add(AccessCode(lookup=lookup, subject_kind=kind, subject_id=subject_id, salt=salt, digest=digest))
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


def invite(db: Database, actor: Identity, cohort_id: int, name: str, role: str = "trainee", email: str = "") -> tuple[int, str]:
    """Add a person to a cohort and return (person id, access code). The code is shown only now."""
    require_role(actor, "coach")
    check_cohort(actor, cohort_id)
    name, role, email = _checked_person(name, role, email)
    with db.session() as s:
        _open_cohort(s, cohort_id)
        person = Person(cohort_id=cohort_id, name=name, role=role, email=email)
        s.add(person)
        s.flush()
        return person.id, _issue_code(s, "person", person.id)


def invite_many(db: Database, actor: Identity, cohort_id: int, people: list[tuple[str, str, str]]) -> list[tuple[int, str, str, str]]:
    """Invite (name, role, email) rows in one transaction: all or nobody. Returns (id, name, role, code) each."""
    require_role(actor, "coach")
    check_cohort(actor, cohort_id)
    checked = [_checked_person(*row) for row in people]
    out = []
    with db.session() as s:
        _open_cohort(s, cohort_id)
        for name, role, email in checked:
            person = Person(cohort_id=cohort_id, name=name, role=role, email=email)
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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessCodeAuthenticator:
    """Sign in with a personal access code; wrong codes are slowed down per code and per source."""

    def __init__(self, db: Database):
        self.db = db
        self.settings = db.settings

    def _locked(self, s, keys: list[str]) -> bool:
        since = utcnow() - timedelta(seconds=self.settings.signin_lockout_seconds)
        for key in keys:
            n = s.scalar(select(func.count()).select_from(SigninFailure).where(SigninFailure.key == key, SigninFailure.at >= since))
            limit = self.settings.signin_max_failures_per_address if key.startswith("addr:") else self.settings.signin_max_failures
            if n >= limit:
                return True
        return False

    @staticmethod
    def _source_keys(source: str | Sequence[str]) -> list[str]:
        """Failure keys of the attempt's sources: ``addr:...`` (a client address) as is, any other
        source (a page) as ``src:...``."""
        sources = [source] if isinstance(source, str) else list(source)
        keys = [x if x.startswith("addr:") else f"src:{x}" for x in sources if x]
        return keys or ["src:local"]

    def _fail(self, keys: list[str], message: str) -> AccessDenied:
        """Record a wrong code against each key (and forget failures older than two windows)."""
        with self.db.session() as s:
            old = utcnow() - timedelta(seconds=2 * self.settings.signin_lockout_seconds)
            s.execute(delete(SigninFailure).where(SigninFailure.at < old))
            for key in keys:
                s.add(SigninFailure(key=key))
        return AccessDenied(message)

    def _too_many(self) -> AccessDenied:
        return AccessDenied(f"too many wrong codes from this page, this address or for this code; wait {self.settings.signin_lockout_seconds} seconds and try again")

    def authenticate(self, credential: str, source: str | Sequence[str] = "") -> Identity:
        parts = normalise_code(credential or "")
        keys = self._source_keys(source)
        if parts is None:
            with self.db.session() as s:
                if self._locked(s, keys):
                    raise self._too_many()
            raise self._fail(keys, "that is not an access code: it has 15 letters and digits, like ABCDE-FGHJK-MNPQR")
        lookup, secret = parts
        keys.append(f"code:{lookup}")
        with self.db.session() as s:
            if self._locked(s, keys):
                raise self._too_many()
            row = s.get(AccessCode, lookup)
            if row is None or row.revoked_at is not None:
                dummy_verify(secret)
                ok = False
            else:
                ok = verify_secret(secret, row.salt, row.digest)
            if ok:
                identity = self._identity(s, row)
                # only this code's count is cleared: signing in with one's own code between guesses
                # must not reset the count of the page (source) the guesses come from
                s.execute(delete(SigninFailure).where(SigninFailure.key == f"code:{lookup}"))
                return identity
        raise self._fail(keys, "this access code is not valid (mistyped, or replaced by a newer one); ask your coach")

    def start_session(self, identity: Identity) -> str:
        """A page-to-page session token for this identity (shown only in this person's links)."""
        token = secrets.token_urlsafe(24)
        kind, subject = ("rater", identity.rater_id) if identity.role == "rater" else ("person", identity.person_id)
        expires = utcnow() + timedelta(hours=self.settings.session_hours)
        with self.db.session() as s:
            s.add(PageSession(token_hash=_token_hash(token), subject_kind=kind, subject_id=subject, expires_at=expires))
        return token

    def resume(self, token: str) -> Identity:
        """The identity of a live session token; AccessDenied when unknown, expired or revoked."""
        with self.db.session() as s:
            row = s.get(PageSession, _token_hash(token or ""))
            if row is None or row.expires_at < utcnow():
                raise AccessDenied("your sign-in has expired; type your access code again")
            return self._identity(s, row)

    @staticmethod
    def _identity(s, row) -> Identity:
        if row.subject_kind == "rater":
            rater = s.get(Rater, row.subject_id)
            subject = s.get(Person, rater.subject_id)
            return Identity(role="rater", rater_id=rater.id, person_id=None, cohort_id=subject.cohort_id, name=f"{rater.category} rater")
        person = s.get(Person, row.subject_id)
        return Identity(role=person.role, person_id=person.id, cohort_id=person.cohort_id, name=person.name)


def identity_for_login(db: Database, login: str) -> Identity:
    """The person whose ``external_login`` is the JupyterHub user name."""
    with db.session() as s:
        person = s.scalar(select(Person).where(Person.external_login == login))
        if person is None:
            raise AccessDenied(f"JupyterHub user {login!r} is not invited to any cohort; ask your coach")
        return Identity(role=person.role, person_id=person.id, cohort_id=person.cohort_id, name=person.name)
