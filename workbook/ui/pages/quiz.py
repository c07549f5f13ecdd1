"""The concept quiz page, one per form (``quiz_before.ipynb``: form A, ``quiz_after.ipynb``: form B).

Each click is saved through the page's saver (kept and retried while the store is down), module
``quiz``, exercise ``quiz_<form>``, item = question id, value = the option's index in the YAML.
"Submit" saves ``_submitted`` (the time); the form is then read-only and the page shows the score
per concept, the feedback on every answer and, once both forms are submitted, what the person learned.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import ipywidgets as w

from workbook.auth.identity import ROLES, Identity
from workbook.content.catalogue import catalogue
from workbook.content.quiz_spec import SUBMITTED, Quiz, QuizQuestion
from workbook.domain.quiz_scoring import MODULE, display_order, person_gain, submitted
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import fmt, markdown_html
from workbook.render.quiz_html import LETTERS, learned_html, results_html
from workbook.store import Database, current_answers

from ..widgets.common import HTML, StatusLine, VBox, safe, shared
from ..widgets.saver import AnswerSaver
from .shell import Page, page_link

PAGES = {"before": "quiz_before.ipynb", "after": "quiz_after.ipynb"}


def question_html(n: int, q: QuizQuestion, labels: dict[str, str]) -> str:
    """The question and its options, lettered in their display order."""
    options = [(LETTERS[pos], q.options[i]) for pos, i in enumerate(display_order(q))]
    tag = trusted(fmt(labels.get("concept_tag", "{concept}"), concept=q.concept))
    return str(render_fragment("quiz_page", part="question", n=n, q=q, tag=tag, options=options))


class QuizQuestions(w.VBox):
    """A form's questions, each with a radio group of letters; built before anyone signs in (a
    preheated kernel), bound to the person's saver at sign-in."""

    def __init__(self, quiz: Quiz, form_id: str):
        self.labels = quiz.labels
        self._on_change: Callable[[str, object], None] = lambda _item, _value: None
        self._restoring = False
        self.radios: dict[str, w.RadioButtons] = {}
        rows = []
        for n, q in enumerate(quiz.questions_of(form_id), 1):
            radio = w.RadioButtons(options=[(LETTERS[pos], i) for pos, i in enumerate(display_order(q))], value=None,
                                   layout=shared("auto_width"), style=shared("description_style"))
            radio.add_class("wb-likert")
            radio.add_class(f"wb-quiz-{q.id}")
            radio.observe(self._changed(q.id), names="value")
            self.radios[q.id] = radio
            rows.append(VBox([HTML(question_html(n, q, self.labels)), radio]))
        super().__init__(rows)

    def bind(self, on_change: Callable[[str, object], None]) -> None:
        """Send the person's changes to ``on_change(item, value)`` from now on."""
        self._on_change = on_change

    def _changed(self, item: str):
        def handler(change) -> None:
            if not self._restoring:
                self._on_change(item, change["new"])

        return handler

    def restore(self, answers: dict[str, object]) -> None:
        """Show saved answers without saving them again."""
        self._restoring = True
        try:
            for qid, radio in self.radios.items():
                value = answers.get(qid)
                radio.value = value if value in {v for _l, v in radio.options} else None
        finally:
            self._restoring = False


class QuizForm(w.VBox):
    """One form for the signed-in person: the questions, a submit button, then results and feedback."""

    def __init__(self, db: Database, identity: Identity, quiz: Quiz, when: str, questions: QuizQuestions | None = None):
        self.db, self.identity, self.quiz = db, identity, quiz
        self.form = quiz.form(when)
        self.other = quiz.form("after" if when == "before" else "before")
        self.exercise = quiz.exercise(self.form.id)
        self.labels = quiz.labels
        self.status = StatusLine()
        self.saver = AnswerSaver(db, identity, MODULE, self.status)
        self.results = HTML()
        self.results.add_class("wb-quiz-results")
        self.learned = HTML()
        self.learned.add_class("wb-quiz-learned")
        self.note = HTML()
        self.submit = w.Button(description=self.labels.get("submit", "Submit"), button_style="primary", layout=w.Layout(width="auto"))
        self.submit.on_click(lambda _b: safe(self.status)(self.press_submit)())
        self._confirming = False
        self._final = False
        self.questions = questions or QuizQuestions(quiz, self.form.id)
        self.radios = self.questions.radios
        saved = current_answers(db, identity, identity.person_id, self.exercise)
        self.questions.restore(saved)
        self.questions.bind(self._save)
        super().__init__([self.note, HTML(render_fragment("quiz_page", part="text", text=self.labels.get("how", ""))), self.questions, self.submit, self.status,
                          self.results, self.learned])
        self.show(saved)

    def _save(self, item: str, value: object) -> None:
        if self._final:  # a disabled radio can still be changed by a crafted widget message
            self.status.warn(self.labels.get("final", "This form is submitted; its answers are final."))
            self.questions.restore(current_answers(self.db, self.identity, self.identity.person_id, self.exercise))
            return
        safe(self.status)(self.saver.save)(self.exercise, item, value)
        self._confirming = False
        self.submit.description = self.labels.get("submit", "Submit")

    def answers(self) -> dict[str, object]:
        """The answers shown on the page (the saved ones once the saver has flushed)."""
        return {qid: r.value for qid, r in self.radios.items() if r.value is not None}

    def press_submit(self) -> None:
        """Submit; with open questions, the first press warns and the second submits."""
        open_ = sum(1 for r in self.radios.values() if r.value is None)
        if open_ and not self._confirming:
            self._confirming = True
            self.submit.description = self.labels.get("confirm_submit", "Submit")
            self.status.warn(self.labels.get("unanswered", "").format(n=open_, total=len(self.radios)))
            return
        if self.saver.save(self.exercise, SUBMITTED, datetime.now().isoformat(timespec="seconds")):
            self.show(current_answers(self.db, self.identity, self.identity.person_id, self.exercise))

    def show(self, saved: dict[str, object]) -> None:
        """Draw the page for the saved state: open for answers, or submitted with results."""
        other = current_answers(self.db, self.identity, self.identity.person_id, self.quiz.exercise(self.other.id))
        href = page_link(PAGES[self.other.when])
        if self.form.when == "after" and not submitted(other):
            self.note.value = render_fragment("quiz_page", part="before_first", labels=self.labels, href=href)
        else:
            self.note.value = render_fragment("quiz_page", part="intro", intro=trusted(markdown_html(self.form.intro)))
        if not submitted(saved):
            return
        self._final = True
        for radio in self.radios.values():
            radio.disabled = True
        self.submit.layout.display = "none"
        self.status.ok(self.labels.get("submitted", "").format(when=str(saved[SUBMITTED]).replace("T", " ")))
        self.results.value = results_html(self.quiz, self.form.id, saved)
        before, after = (saved, other) if self.form.when == "before" else (other, saved)
        if submitted(before) and submitted(after):
            self.learned.value = learned_html(self.quiz, person_gain(self.quiz, before, after))
        else:
            self.learned.value = render_fragment("quiz_page", part="learned_wait", labels=self.labels, href=href)


def quiz_links_html() -> str:
    """Links to both forms of the quiz (the home page), carrying the person's sign-in along."""
    quiz = catalogue().quiz
    if quiz is None:
        return ""
    return str(render_fragment("quiz_page", part="links", labels=quiz.labels, title=quiz.title, before=page_link(PAGES["before"]), after=page_link(PAGES["after"])))


def quiz_page(when: str, db: Database | None = None) -> Page:
    """The quiz page for the form taken ``before`` or ``after`` the modules."""
    quiz = catalogue().quiz
    form = quiz.form(when)  # a wrong ``when`` fails here, when the notebook is written
    L = quiz.labels
    intro = HTML(render_fragment("quiz_page", part="text", text=quiz.intro))
    title = L.get(f"{form.when}_title", form.title)
    prebuilt: dict = {}  # filled while a preheated kernel waits for its visitor
    build = lambda d, i: [QuizForm(d, i, quiz, form.when, prebuilt.pop("questions", None))]  # noqa: E731
    return Page(L.get("kicker", quiz.title), title, build, intro=[intro], roles=ROLES, db=db,
                warm=lambda _db: warm_up(quiz, form.id, prebuilt))


def warm_up(quiz: Quiz, form_id: str, prebuilt: dict) -> None:
    """In a preheated kernel: build the form's questions and draw a results page once (the chart
    renderer's first drawing is the slow one), so sign-in and submit cost less."""
    prebuilt["questions"] = QuizQuestions(quiz, form_id)
    keyed = {q.id: q.key for q in quiz.questions}
    results_html(quiz, form_id, keyed)
    learned_html(quiz, person_gain(quiz, keyed, keyed))
