"""The concept quiz as content (``exercises/quiz.yaml``, ``kind: quiz``), validated when loaded.

Two parallel forms (one taken before the workshop, one after), 2–3 multiple-choice questions
per concept C1–C23 in each form, the same number per concept in both; every question has 3–4
options, exactly one keyed correct, and a teaching feedback for every option. A problem is one
line naming the question (``questions[5] (a_c03_1).options: …``).
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from .exercise_specs import Slug, _Spec, _unique

CONCEPTS = tuple(f"C{n}" for n in range(1, 24))
PER_CONCEPT = (2, 3)  # questions per concept and form: at least, at most
SUBMITTED = "_submitted"  # the item saved when a person submits a form (its value: when)


class QuizOption(_Spec):
    """One answer: its text, whether it is the keyed one, and what it teaches when chosen."""

    text: str = Field(min_length=1)
    feedback: str = Field(min_length=1)
    correct: bool = False


class QuizQuestion(_Spec):
    """A multiple-choice question on one concept, citing where the concept comes from."""

    id: str = Slug
    form: str
    concept: str
    stem: str = Field(min_length=1)
    options: list[QuizOption] = Field(min_length=3, max_length=4)
    source: str  # a key of sources.yaml, or "workbook" for the workbook's own material
    where: str = ""  # the section of the source

    @model_validator(mode="after")
    def _one_key(self) -> QuizQuestion:
        if self.concept not in CONCEPTS:
            raise ValueError(f"concept: {self.concept!r} is not one of C1…C23")
        keyed = sum(o.correct for o in self.options)
        if keyed != 1:
            raise ValueError(f"options: exactly one option must have correct: true (found {keyed})")
        return self

    @property
    def key(self) -> int:
        """The index of the keyed option."""
        return next(n for n, o in enumerate(self.options) if o.correct)


class QuizForm(_Spec):
    id: str = Slug
    when: Literal["before", "after"]
    title: str
    intro: str = ""


class Quiz(_Spec):
    """The whole quiz: its forms, its questions and the page's own words (``labels``)."""

    kind: Literal["quiz"]
    id: str = Slug
    title: str
    intro: str = ""
    labels: dict[str, str] = {}
    forms: list[QuizForm] = Field(min_length=2, max_length=2)
    questions: list[QuizQuestion]

    @model_validator(mode="after")
    def _consistent(self) -> Quiz:
        _unique([f.id for f in self.forms], "forms")
        if sorted(f.when for f in self.forms) != ["after", "before"]:
            raise ValueError("forms: one form must be taken 'before' and the other 'after'")
        forms = {f.id for f in self.forms}
        seen: set[str] = set()
        for n, q in enumerate(self.questions):
            if q.id in seen:
                raise ValueError(f"questions[{n}] ({q.id}).id: {q.id!r} is used twice")
            if q.form not in forms:
                raise ValueError(f"questions[{n}] ({q.id}).form: {q.form!r} is not one of {', '.join(sorted(forms))}")
            seen.add(q.id)
        counts = {f: {c: 0 for c in CONCEPTS} for f in forms}
        for q in self.questions:
            counts[q.form][q.concept] += 1
        low, high = PER_CONCEPT
        for f in sorted(forms):
            for c in CONCEPTS:
                if not low <= counts[f][c] <= high:
                    raise ValueError(f"form {f}: concept {c} has {counts[f][c]} questions; each concept needs {low} to {high} per form")
        uneven = [c for c in CONCEPTS if len({counts[f][c] for f in forms}) > 1]
        if uneven:
            raise ValueError(f"the two forms must be parallel: {', '.join(uneven)} have a different number of questions per form")
        return self

    def form(self, when_or_id: str) -> QuizForm:
        """The form taken ``before``/``after``, or the form with that id."""
        for f in self.forms:
            if when_or_id in (f.when, f.id):
                return f
        raise ValueError(f"quiz {self.id}: no form {when_or_id!r}; forms: before, after")

    def questions_of(self, form_id: str) -> list[QuizQuestion]:
        return [q for q in self.questions if q.form == form_id]

    def exercise(self, form_id: str) -> str:
        """The exercise id a form's answers are stored under (module ``quiz``)."""
        return f"{self.id}_{form_id}"


def name_question(raw: dict, where: str) -> str:
    """A validation error's place with the question's id after its index (``questions[5] (a_c03_1).stem``)."""
    m = re.match(r"questions\[(\d+)\]", where)
    questions = raw.get("questions")
    if m and isinstance(questions, list) and int(m[1]) < len(questions) and isinstance(questions[int(m[1])], dict):
        qid = questions[int(m[1])].get("id")
        if qid is not None and not where[m.end():].startswith(" ("):
            return f"{m[0]} ({qid}){where[m.end():]}"
    return where
