"""What a person's path needs from the store: the path chosen for a cohort (table ``cohort_settings``)
and which exercises a person has answered. Only a coach or HR of the cohort (or admin) sets the
path; a trainee reads their own cohort's path through ``path_of``."""
from __future__ import annotations

from sqlalchemy import func, select

from workbook.auth.identity import STAFF_ROLES, Identity
from workbook.content.catalogue import VERSION_ITEM, catalogue
from workbook.errors import NotFound

from .access import check_cohort, require_role
from .answers import _person, progress_in
from .db import Database
from .models import Answer, Cohort, CohortSetting

PATH_KEY = "path"


def _path_id(s, cohort_id: int) -> str:
    chosen = s.scalar(
        select(CohortSetting.value).where(CohortSetting.cohort_id == cohort_id, CohortSetting.key == PATH_KEY).order_by(CohortSetting.id.desc()).limit(1)
    )
    doc = catalogue().paths
    known = {p.id for p in doc.paths} if doc else set()
    if isinstance(chosen, str) and chosen in known:
        return chosen
    return doc.default if doc else ""  # nothing chosen yet, or a path since removed from paths.yaml


def set_cohort_path(db: Database, actor: Identity, cohort_id: int, path_id: str) -> None:
    """Choose the cohort's path (a path id of exercises/paths.yaml); coach or HR of the cohort, or admin."""
    require_role(actor, *STAFF_ROLES)
    check_cohort(actor, cohort_id)
    doc = catalogue().paths
    known = [p.id for p in doc.paths] if doc else []
    if path_id not in known:
        raise NotFound(f"no path {path_id!r}; choose one of {', '.join(known) or '(none: exercises/paths.yaml is missing)'}")
    with db.session() as s:
        if s.get(Cohort, cohort_id) is None:
            raise NotFound(f"no cohort with id {cohort_id}")
        s.add(CohortSetting(cohort_id=cohort_id, key=PATH_KEY, value=path_id, set_by=actor.person_id))


def cohort_path(db: Database, actor: Identity, cohort_id: int) -> str:
    """The path id chosen for a cohort (the default path when none was chosen); staff of the cohort."""
    check_cohort(actor, cohort_id)
    with db.session() as s:
        return _path_id(s, cohort_id)


def path_of(db: Database, actor: Identity, person_id: int) -> str:
    """The path id of a person's cohort; the person themselves, or staff of their cohort."""
    with db.session() as s:
        person = _person(s, actor, person_id, "read")
        return _path_id(s, person.cohort_id)


def answered_exercises(db: Database, actor: Identity, person_id: int) -> dict[str, set[str]]:
    """module id -> the exercise (and questionnaire) ids whose latest answer to some item is not empty
    (an answer cleared since no longer counts; the version mark is not an answer)."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        return _answered(s, person_id)


def path_state(db: Database, actor: Identity, person_id: int) -> tuple[str, dict[str, str], dict[str, set[str]]]:
    """(``path_of``, ``progress``, ``answered_exercises``) of a person in one transaction and one access check: a
    page's path box and marks need all three at sign-in (#17: three transactions before)."""
    with db.session() as s:
        person = _person(s, actor, person_id, "read")
        return _path_id(s, person.cohort_id), progress_in(s, person_id), _answered(s, person_id)


def _answered(s, person_id: int) -> dict[str, set[str]]:
    latest = (select(func.max(Answer.id)).where(Answer.person_id == person_id, Answer.rater_id.is_(None), Answer.item != VERSION_ITEM)
              .group_by(Answer.exercise, Answer.item, Answer.attempt))
    rows = s.execute(select(Answer.module, Answer.exercise, Answer.value).where(Answer.id.in_(latest))).all()
    out: dict[str, set[str]] = {}
    for module, exercise, value in rows:
        if value not in (None, "", [], {}):
            out.setdefault(module, set()).add(exercise)
    return out
