"""Answers and progress: append-only saves, the latest row wins, every call scoped to a person."""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select

from workbook.auth.identity import ROLES, Identity
from workbook.content.catalogue import VERSION_ITEM, catalogue
from workbook.domain import quiz_scoring as quiz
from workbook.errors import AccessDenied, InvalidAnswer, NotFound
from workbook.i18n import _
from workbook.settings import Settings

from .access import check_cohort, check_person
from .db import Database
from .default_language import of_person
from .models import Answer, Person, ProgressEvent
from .quota import check_size, encoded_size, refuse_over_budget
from .save_state import save_state

DONT_KNOW = "dont_know"
ATTEMPT_MARK = "_attempt_started"
PROGRESS = ("not_started", "in_progress", "done")


class Answers(dict):
    """One attempt's latest answers by item. ``version``: the instrument version they were given
    on, as stored beside them (``None`` for answers stored before versioning: see ``Instrument.answered_version``)."""

    version: int | None = None


def mark_version(s, person_id: int, rater_id: int | None, module: str, exercise: str, attempt: int) -> None:
    """Store, once per attempt (or rater), the instrument version the answers are given on."""
    inst = catalogue().instruments.get(exercise)
    if inst is None:
        return
    q = select(Answer.id).where(
        Answer.person_id == person_id, Answer.exercise == exercise, Answer.item == VERSION_ITEM, Answer.attempt == attempt,
        Answer.rater_id.is_(None) if rater_id is None else Answer.rater_id == rater_id,
    )
    if s.scalar(q.limit(1)) is None:
        s.add(Answer(person_id=person_id, rater_id=rater_id, module=module, exercise=exercise, item=VERSION_ITEM, attempt=attempt, value=inst.version))


def validate_value(exercise: str, item: str, value: object, settings: Settings) -> object:
    """Check an answer against its item and the size limits; raise InvalidAnswer naming exercise, item and the rule."""
    where = f"{exercise}/{item}"
    cat = catalogue()
    if cat.quiz is not None and exercise in quiz.exercises(cat.quiz):  # the concept quiz (workbook/domain/quiz_scoring.py)
        return quiz.validate_answer(cat.quiz, exercise, item, value)
    if exercise in cat.instruments and item != ATTEMPT_MARK:
        inst = cat.instruments[exercise]
        asked = inst.item(item)  # NotFound for an unknown item
        if asked.retired:
            instead = f" (replaced by {', '.join(asked.replaced_by)})" if asked.replaced_by else ""
            raise InvalidAnswer(_("{where}: this statement was retired in version {version} of {exercise}{instead}; it takes no new answers").format(
                where=where, version=asked.retired_in, exercise=exercise, instead=instead))
        if value is None:
            return None
        if value == DONT_KNOW:
            if not inst.dont_know:
                raise InvalidAnswer(_("{where}: 'don't know' is not offered by instrument {exercise}").format(where=where, exercise=exercise))
            return value
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= inst.scale.points:
            raise InvalidAnswer(_("{where}: {value} is out of range; answers are whole numbers 1 to {points}").format(
                where=where, value=repr(value), points=inst.scale.points))
        return value
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidAnswer(f"{where}: the answer cannot be stored ({exc})") from None
    check_size(where, value, settings)
    return value


def _person(s, actor: Identity, person_id: int, action: str) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    if actor.role == "rater":
        raise AccessDenied("a rater code opens only the rater page")
    check_person(actor, person.id, person.cohort_id, action)
    return person


def _current_attempt(s, person_id: int, exercise: str) -> int:
    return s.scalar(
        select(func.max(Answer.attempt)).where(Answer.person_id == person_id, Answer.exercise == exercise, Answer.rater_id.is_(None))
    ) or 1


class AnswerWriter:
    """Saves one person's answers as one actor: a signed-in page holds one for its whole session (its kernel).

    What cannot change between two answers of the page's person — that the person exists and the actor may write
    for them, and the language they answer in (their own, else their cohort's; a page that changes language builds
    a new writer) — is read at the first save only. Everything else is read at each save, in one statement
    (``save_state.py``: attempt, repeated row, budget, version mark, progress), then the rows are written: two
    statements a save after the first. The page's session is still checked before each action (``pages/shell.py``)."""

    def __init__(self, db: Database, actor: Identity, person_id: int):
        self.db, self.actor, self.person_id = db, actor, person_id
        self._language: str | None = None

    def save(self, module: str, exercise: str, item: str, value: object, attempt: int | None = None) -> int:
        """Append one answer (see ``save_answer``); the new row's id, or the latest row's when it says the same."""
        actor, person_id = self.actor, self.person_id
        if actor.role not in (*ROLES, "admin") or (actor.role != "admin" and actor.person_id != person_id):
            raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not answer for person {person_id}")
        value = validate_value(exercise, item, value, self.db.settings)
        with self.db.session() as s:
            language = self._language or of_person(s, _person(s, actor, person_id, "write"))  # the language answered in
            state = save_state(s, person_id, module, exercise, item, attempt)
            if state.latest_id is not None and state.latest_value == value and state.latest_language == language:
                return state.latest_id  # nothing new: the latest row already says this
            refuse_over_budget(self.db.settings, person_id, None, state.rows_hour or 0, state.chars_day or 0, encoded_size(value))
            row = {"person_id": person_id, "module": module, "exercise": exercise, "attempt": state.attempt}
            rows = [{**row, "item": item, "value": value, "language": language}]
            inst = catalogue().instruments.get(exercise)
            if item != ATTEMPT_MARK and inst is not None and not state.version_marks:
                rows.insert(0, {**row, "item": VERSION_ITEM, "value": inst.version, "language": None})
            new_id = s.scalars(insert(Answer).returning(Answer.id, sort_by_parameter_order=True), rows).all()[-1]
            if not state.progress_events:
                s.add(ProgressEvent(person_id=person_id, module=module, status="in_progress"))
        self._language = language  # kept once the save is committed
        return new_id


def save_answer(
    db: Database, actor: Identity, person_id: int, module: str, exercise: str, item: str, value: object, attempt: int | None = None
) -> int:
    """Append one answer (a new row, nothing overwritten, recording the language the person answers in: their
    own, else their cohort's) and mark the module in progress; a save identical to the item's latest row (value
    and language) writes nothing and returns that row's id (write quotas: quota.py). A page saving many answers
    of one person keeps an ``AnswerWriter`` instead."""
    return AnswerWriter(db, actor, person_id).save(module, exercise, item, value, attempt)


def _latest(s, person_id: int, exercise: str, attempt: int | None, rater_id: int | None = None) -> dict[str, object]:
    q = select(Answer.item, Answer.value).where(Answer.person_id == person_id, Answer.exercise == exercise)
    q = q.where(Answer.rater_id.is_(None) if rater_id is None else Answer.rater_id == rater_id)
    if attempt is not None:
        q = q.where(Answer.attempt == attempt)
    return latest_rows(s.execute(q.order_by(Answer.id)).all())


def latest_rows(rows) -> Answers:
    """``(item, value)`` rows oldest first -> the latest non-blank value per item; the version mark goes to ``.version``."""
    out: dict[str, object] = {}
    for item, value in rows:
        out[item] = value
    answers = Answers({k: v for k, v in out.items() if v is not None and k != VERSION_ITEM})
    version = out.get(VERSION_ITEM)
    answers.version = version if isinstance(version, int) and not isinstance(version, bool) else None
    return answers


def answers_of_exercises(db: Database, actor: Identity, person_id: int, exercises: Iterable[str]) -> dict[str, Answers]:
    """``current_answers`` of several exercises (each in its current attempt) in one transaction and one
    query: a module page's sign-in and its "your results" read every exercise of the module at once."""
    wanted = list(dict.fromkeys(exercises))
    with db.session() as s:
        _person(s, actor, person_id, "read")
        rows = s.execute(
            select(Answer.exercise, Answer.attempt, Answer.item, Answer.value)
            .where(Answer.person_id == person_id, Answer.exercise.in_(wanted), Answer.rater_id.is_(None))
            .order_by(Answer.id)
        ).all() if wanted else []
    current: dict[str, int] = {}
    for exercise, attempt, _item, _value in rows:
        current[exercise] = max(current.get(exercise, 0), attempt or 0)
    by_exercise: dict[str, list] = {x: [] for x in wanted}
    for exercise, attempt, item, value in rows:
        if attempt == (current[exercise] or 1):
            by_exercise[exercise].append((item, value))
    return {x: latest_rows(by_exercise[x]) for x in wanted}


def current_answers(db: Database, actor: Identity, person_id: int, exercise: str, attempt: int | None = None) -> Answers:
    """The person's latest answer per item for one exercise (current attempt unless given)."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        if attempt is None:
            attempt = _current_attempt(s, person_id, exercise)
        return _latest(s, person_id, exercise, attempt)


def attempts(db: Database, actor: Identity, person_id: int, exercise: str) -> dict[int, dict[str, object]]:
    """Every attempt at an exercise, oldest first, each as its latest answers."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        numbers = s.scalars(
            select(Answer.attempt).where(Answer.person_id == person_id, Answer.exercise == exercise, Answer.rater_id.is_(None)).distinct()
        ).all()
        return {n: _latest(s, person_id, exercise, n) for n in sorted(numbers)}


def start_new_attempt(db: Database, actor: Identity, person_id: int, module: str, exercise: str) -> int:
    """Begin a retake: later saves go to a new attempt number; earlier attempts are kept."""
    with db.session() as s:
        _person(s, actor, person_id, "write")
        nxt = _current_attempt(s, person_id, exercise) + 1
    save_answer(db, actor, person_id, module, exercise, ATTEMPT_MARK, None, attempt=nxt)
    return nxt


def answer_history(db: Database, actor: Identity, person_id: int, exercise: str) -> list[tuple[str, int, object, datetime]]:
    """Every save ever made for an exercise: (item, attempt, value, time), oldest first."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        rows = s.execute(
            select(Answer.item, Answer.attempt, Answer.value, Answer.created_at)
            .where(Answer.person_id == person_id, Answer.exercise == exercise, Answer.rater_id.is_(None), Answer.item != VERSION_ITEM)
            .order_by(Answer.id)
        ).all()
        return [tuple(r) for r in rows]


def cohort_answers(db: Database, actor: Identity, cohort_id: int, exercise: str) -> dict[int, dict[str, object]]:
    """Staff only: every trainee's current answers to one exercise, by person id (aggregate before showing)."""
    check_cohort(actor, cohort_id)
    with db.session() as s:
        ids = s.scalars(select(Person.id).where(Person.cohort_id == cohort_id, Person.role == "trainee").order_by(Person.id)).all()
        out = {}
        for pid in ids:
            answers = _latest(s, pid, exercise, _current_attempt(s, pid, exercise))
            if answers:
                out[pid] = answers
        return out


def _languages(s, person_id: int, exercise: str, attempt: int) -> dict[str | None, int]:
    """How many of the attempt's current answers were given in each language (None: not recorded)."""
    rows = s.execute(select(Answer.item, Answer.value, Answer.language).where(
        Answer.person_id == person_id, Answer.exercise == exercise, Answer.attempt == attempt, Answer.rater_id.is_(None),
        Answer.item != VERSION_ITEM).order_by(Answer.id)).all()
    latest = {item: (value, language) for item, value, language in rows}
    out: dict[str | None, int] = {}
    for value, language in latest.values():
        if value is not None:
            out[language] = out.get(language, 0) + 1
    return out


def answer_languages(db: Database, actor: Identity, person_id: int, exercise: str) -> dict[str | None, int]:
    """The languages the person's current answers to one exercise were given in: {language: answers} (None: not recorded)."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        return _languages(s, person_id, exercise, _current_attempt(s, person_id, exercise))


def cohort_answer_languages(db: Database, actor: Identity, cohort_id: int, exercise: str) -> dict[str | None, int]:
    """Staff only: how many trainees' current answers to one exercise were given in each language
    (a person who answered in two languages counts in both)."""
    check_cohort(actor, cohort_id)
    with db.session() as s:
        ids = s.scalars(select(Person.id).where(Person.cohort_id == cohort_id, Person.role == "trainee").order_by(Person.id)).all()
        out: dict[str | None, int] = {}
        for pid in ids:
            for language in _languages(s, pid, exercise, _current_attempt(s, pid, exercise)):
                out[language] = out.get(language, 0) + 1
        return out


def set_progress(db: Database, actor: Identity, person_id: int, module: str, status: str) -> None:
    """Record a module's status for the person (an event; the latest wins)."""
    if status not in PROGRESS[1:]:
        raise InvalidAnswer(f"progress status {status!r} is not one of {', '.join(PROGRESS[1:])}")
    with db.session() as s:
        _person(s, actor, person_id, "write")
        if actor.role != "admin" and actor.person_id != person_id:
            raise AccessDenied("only the person themselves records their progress")
        s.add(ProgressEvent(person_id=person_id, module=module, status=status))


def progress(db: Database, actor: Identity, person_id: int) -> dict[str, str]:
    """Each module's latest status for the person; modules never opened are absent."""
    with db.session() as s:
        _person(s, actor, person_id, "read")
        return progress_in(s, person_id)


def progress_in(s, person_id: int) -> dict[str, str]:
    """Inside a transaction, access already checked: ``progress``."""
    out: dict[str, str] = {}
    for module, status in s.execute(
        select(ProgressEvent.module, ProgressEvent.status).where(ProgressEvent.person_id == person_id).order_by(ProgressEvent.id)
    ).all():
        out[module] = status
    return out


def last_activity(db: Database, actor: Identity, person_id: int) -> datetime | None:
    with db.session() as s:
        _person(s, actor, person_id, "read")
        return s.scalar(select(func.max(Answer.created_at)).where(Answer.person_id == person_id))
