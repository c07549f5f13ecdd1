"""Scoring of the concept quiz (pure): right answers per concept and form, a person's gain per
concept (after − before), and the cohort's gain per concept under the anonymity threshold.

Answers are ``{question id: index of the chosen option}`` as stored (module ``quiz``, exercise
``quiz_<form>``); a form counts once its ``_submitted`` item is saved. A question left open or
answered with an index the question does not have counts as not right.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from statistics import mean

from workbook.content.quiz_spec import CONCEPTS, SUBMITTED, Quiz, QuizQuestion
from workbook.errors import InvalidAnswer

MODULE = "quiz"  # the module id quiz answers are stored under


@dataclass(frozen=True)
class ConceptScore:
    """Right answers to one concept's questions in one form."""

    concept: str
    right: int
    asked: int

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.asked


@dataclass(frozen=True)
class ConceptGain:
    """One concept for one person or the cohort: % right before and after, and the difference
    in percentage points (``None`` with a ``reason`` when it cannot be shown)."""

    concept: str
    before: float | None
    after: float | None
    gain: float | None
    n: int = 1
    reason: str = ""


@dataclass(frozen=True)
class CohortGain:
    """The cohort's gain per concept; ``hidden`` (with the reason) under the anonymity threshold."""

    took_before: int
    took_after: int
    took_both: int
    threshold: int
    concepts: list[ConceptGain]

    @property
    def hidden(self) -> bool:
        return self.took_both < self.threshold


def is_right(question: QuizQuestion, value: object) -> bool:
    """Whether a stored answer is the keyed option (booleans are not indexes)."""
    return isinstance(value, int) and not isinstance(value, bool) and value == question.key


def submitted(answers: dict[str, object]) -> bool:
    """Whether a form's answers include its submission."""
    return bool(answers.get(SUBMITTED))


def display_order(question: QuizQuestion) -> list[int]:
    """The options' order on the page: a fixed shuffle per question (from its id), so the keyed
    answer's position does not follow the order it was written in."""
    return sorted(range(len(question.options)), key=lambda i: hashlib.sha256(f"{question.id}/{i}".encode()).hexdigest())


def concept_scores(quiz: Quiz, form_id: str, answers: dict[str, object]) -> dict[str, ConceptScore]:
    """Right answers per concept in one form, concepts in order C1…C23."""
    right: dict[str, int] = {c: 0 for c in CONCEPTS}
    asked: dict[str, int] = {c: 0 for c in CONCEPTS}
    for q in quiz.questions_of(form_id):
        asked[q.concept] += 1
        right[q.concept] += is_right(q, answers.get(q.id))
    return {c: ConceptScore(c, right[c], asked[c]) for c in CONCEPTS if asked[c]}


def total_score(quiz: Quiz, form_id: str, answers: dict[str, object]) -> ConceptScore:
    """Right answers over the whole form (concept ``all``)."""
    per = concept_scores(quiz, form_id, answers).values()
    return ConceptScore("all", sum(s.right for s in per), sum(s.asked for s in per))


def person_gain(quiz: Quiz, before: dict[str, object], after: dict[str, object]) -> list[ConceptGain]:
    """A person's % right per concept in the before and after forms and the gain (after − before)."""
    a = concept_scores(quiz, quiz.form("before").id, before)
    b = concept_scores(quiz, quiz.form("after").id, after)
    return [ConceptGain(c, a[c].percent, b[c].percent, b[c].percent - a[c].percent) for c in CONCEPTS]


def cohort_gain(quiz: Quiz, before: dict[int, dict[str, object]], after: dict[int, dict[str, object]], threshold: int) -> CohortGain:
    """Mean % right per concept before and after, and the mean gain, over the people who
    submitted both forms; every value ``None`` with the reason when they are fewer than ``threshold``."""
    done_before = {p for p, ans in before.items() if submitted(ans)}
    done_after = {p for p, ans in after.items() if submitted(ans)}
    both = sorted(done_before & done_after)
    rows: list[ConceptGain] = []
    if len(both) < threshold:
        template = quiz.labels.get("cohort_hidden", "Hidden: {n} people have submitted both forms; figures are shown from {threshold} people.")
        reason = template.format(n=len(both), threshold=threshold)
        rows = [ConceptGain(c, None, None, None, len(both), reason) for c in CONCEPTS]
    else:
        gains = [person_gain(quiz, before[p], after[p]) for p in both]
        for i, c in enumerate(CONCEPTS):
            pre, post = mean(g[i].before for g in gains), mean(g[i].after for g in gains)
            rows.append(ConceptGain(c, pre, post, post - pre, len(both)))
    return CohortGain(len(done_before), len(done_after), len(both), threshold, rows)


def exercises(quiz: Quiz) -> dict[str, str]:
    """The exercise id each form is stored under: ``{exercise: form id}``."""
    return {quiz.exercise(f.id): f.id for f in quiz.forms}


def validate_answer(quiz: Quiz, exercise: str, item: str, value: object) -> object:
    """Check one quiz answer before it is stored; InvalidAnswer names the exercise, item and rule."""
    where = f"{exercise}/{item}"
    form_id = exercises(quiz)[exercise]
    if item == SUBMITTED:
        if not isinstance(value, str) or not value:
            raise InvalidAnswer(f"{where}: the submission is stored as the time it was made (text), not {value!r}")
        return value
    question = next((q for q in quiz.questions_of(form_id) if q.id == item), None)
    if question is None:
        raise InvalidAnswer(f"{where}: form {form_id} has no question {item!r}")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(question.options):
        raise InvalidAnswer(f"{where}: {value!r} is not an option; answers are option numbers 0 to {len(question.options) - 1}")
    return value
