"""The interface language of each person, each 360 rater and each cohort (issue #15).

A person's choice (``people.language``) wins; without one, the cohort's default (the cohort setting
``language``, chosen by its coach); without that, English. A rater's is the one the trainee chose for
them at nomination or the rater's own choice on the rater page (``raters.language``); without one, the
cohort's default of the person they rate.
"""
from __future__ import annotations

from sqlalchemy import select

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied, NotFound
from workbook.i18n import check_language

from .access import check_cohort, require_role
from .answers import _person
from .db import Database
from .default_language import LANGUAGE_KEY, cohort_default, of_person, of_rater
from .models import Cohort, CohortSetting, Person, Rater
from .raters import _own_rater


def _cohort_default(s, cohort_id: int) -> str:
    return cohort_default(s, cohort_id)


def _of_person(s, person: Person) -> str:
    return of_person(s, person)


def cohort_language(db: Database, actor: Identity, cohort_id: int) -> str:
    """The cohort's default language (English until its coach chooses one); staff of the cohort."""
    check_cohort(actor, cohort_id)
    with db.session() as s:
        return _cohort_default(s, cohort_id)


def set_cohort_language(db: Database, actor: Identity, cohort_id: int, language: str) -> None:
    """A coach of the cohort (or the operator) chooses the cohort's default language."""
    require_role(actor, "coach")
    check_cohort(actor, cohort_id)
    check_language(language, "cohort language")
    with db.session() as s:
        if s.get(Cohort, cohort_id) is None:
            raise NotFound(f"no cohort with id {cohort_id}")
        s.add(CohortSetting(cohort_id=cohort_id, key=LANGUAGE_KEY, value=language, set_by=actor.person_id))


def language_of(db: Database, actor: Identity, person_id: int) -> str:
    """The language a person's pages, reports and e-mails are in: their choice, else their cohort's default."""
    with db.session() as s:
        return _of_person(s, _person(s, actor, person_id, "read"))


def chosen_language(db: Database, actor: Identity, person_id: int) -> str | None:
    """The language the person chose themselves (None: never chosen, the cohort's default applies)."""
    with db.session() as s:
        return _person(s, actor, person_id, "read").language


def set_language(db: Database, actor: Identity, person_id: int, language: str) -> None:
    """Save the person's interface language (the person themselves, or the operator)."""
    check_language(language)
    with db.session() as s:
        person = _person(s, actor, person_id, "write")
        if actor.role != "admin" and actor.person_id != person_id:
            raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not choose the language of person {person_id}; each person chooses their own")
        person.language = language


def rater_language(db: Database, actor: Identity) -> str:
    """A signed-in rater's language: their own choice or the trainee's for them, else the cohort's default."""
    with db.session() as s:
        return of_rater(s, _own_rater(s, actor))


def set_rater_language(db: Database, actor: Identity, language: str) -> None:
    """A signed-in rater chooses the language of their page (and of their reminders)."""
    check_language(language)
    with db.session() as s:
        _own_rater(s, actor).language = language


def languages_of_raters(s, rater_ids: list[int]) -> dict[int, str]:
    """Each rater's language (for their e-mails); inside a store session."""
    out = {}
    for rater in s.scalars(select(Rater).where(Rater.id.in_(rater_ids))).all():
        out[rater.id] = of_rater(s, rater)
    return out
