"""Which language applies to a person or a rater when they chose none: the cohort's default (the cohort
setting ``language``), else English. Read inside a store session; ``languages`` and ``answers`` use it."""
from __future__ import annotations

from sqlalchemy import select

from workbook.i18n import DEFAULT_LANGUAGE, LANGUAGES

from .models import CohortSetting, Person, Rater

LANGUAGE_KEY = "language"  # the cohort setting holding the cohort's default language


def cohort_default(s, cohort_id: int) -> str:
    """The cohort's default language (English until its coach chooses one)."""
    chosen = s.scalar(select(CohortSetting.value).where(CohortSetting.cohort_id == cohort_id, CohortSetting.key == LANGUAGE_KEY)
                      .order_by(CohortSetting.id.desc()).limit(1))
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def of_person(s, person: Person) -> str:
    """The person's own choice, else their cohort's default."""
    return person.language if person.language in LANGUAGES else cohort_default(s, person.cohort_id)


def of_rater(s, rater: Rater) -> str:
    """The rater's language (theirs or the trainee's choice for them), else the rated person's cohort default."""
    return rater.language if rater.language in LANGUAGES else cohort_default(s, s.get(Person, rater.subject_id).cohort_id)
