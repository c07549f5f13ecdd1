"""The quiz pages, the coach's quiz tab and the cohort report's quiz section, driven in-process
against a real SQLite store (expected figures worked out by hand in the comments)."""
from __future__ import annotations

import ipywidgets as w
import pytest
from widget_tools import walk

from workbook.content.catalogue import catalogue
from workbook.content.quiz_spec import SUBMITTED
from workbook.domain.quiz_scoring import MODULE, display_order
from workbook.render.quiz_html import LETTERS
from workbook.store import current_answers, save_answer


def _signin(page, code):
    page.signin.code.value = code
    assert page.body.children, page.status.value
    return page


def _form(page):
    from workbook.ui.pages.quiz import QuizForm

    return next(x for x in walk(page) if isinstance(x, QuizForm))


def _wrong(q) -> int:
    return next(i for i in range(len(q.options)) if i != q.key)


def _take(db, who, form: str, right_c1: int) -> None:
    """Submit a form through the store: ``right_c1`` of the two C1 questions right, the rest open."""
    quiz = catalogue().quiz
    for i, q in enumerate([q for q in quiz.questions_of(form) if q.concept == "C1"]):
        save_answer(db, who, who.person_id, MODULE, quiz.exercise(form), q.id, q.key if i < right_c1 else _wrong(q))
    save_answer(db, who, who.person_id, MODULE, quiz.exercise(form), SUBMITTED, "2026-12-01T10:00:00")


def test_a_trainee_answers_submits_and_sees_feedback_per_answer(db, cohort):
    from workbook.ui.pages.quiz import quiz_page

    quiz = catalogue().quiz
    q1, q2 = quiz.questions_of("a")[:2]  # both on C1
    page = _signin(quiz_page("before", db), cohort["people"]["Ann"]["code"])
    form = _form(page)
    assert form.results.value == "" and not form.radios[q1.id].disabled
    form.radios[q1.id].value = q1.key
    form.radios[q2.id].value = _wrong(q2)
    ann = cohort["ident"]["Ann"]
    assert current_answers(db, ann, ann.person_id, "quiz_a") == {q1.id: q1.key, q2.id: _wrong(q2)}
    # the radio shows letters in the question's display order
    assert [label for label, _v in form.radios[q1.id].options] == list(LETTERS[: len(q1.options)])
    assert [v for _l, v in form.radios[q1.id].options] == display_order(q1)

    form.submit.click()  # 44 questions open: the first press only warns
    assert "44 of 46 questions still open" in form.status.value
    assert SUBMITTED not in current_answers(db, ann, ann.person_id, "quiz_a") and form.results.value == ""
    form.submit.click()
    assert SUBMITTED in current_answers(db, ann, ann.person_id, "quiz_a")
    assert all(r.disabled for r in form.radios.values())
    form.radios[q1.id].value = _wrong(q1)  # a crafted change to a disabled radio is not saved
    assert current_answers(db, ann, ann.person_id, "quiz_a")[q1.id] == q1.key and "final" in form.status.value
    assert form.radios[q1.id].value == q1.key  # the page shows the saved answer again
    res = form.results.value
    # per concept: C1 one of two right (50%), every other concept 0 of 2; all: 1 of 46 (2%)
    assert "<td>C1</td><td>Module 1</td><td>1 / 2</td><td>50%</td>" in res
    assert "<td>C2</td><td>Module 1</td><td>0 / 2</td><td>0%</td>" in res
    assert "<th>1 / 46</th><th>2%</th>" in res
    # feedback: the chosen option's for both, the keyed option's for the wrong one, escaped text
    from workbook.render.html import esc

    assert esc(q1.options[q1.key].feedback) in res
    assert esc(q2.options[_wrong(q2)].feedback) in res and esc(q2.options[q2.key].feedback) in res
    assert f"The keyed answer is {LETTERS[display_order(q2).index(q2.key)]}." in res
    assert res.count("You left this question open.") == 44
    assert "What you learned" not in form.learned.value and "form B (after)" in form.learned.value

    again = _form(_signin(quiz_page("before", db), cohort["people"]["Ann"]["code"]))
    assert again.radios[q1.id].value == q1.key and again.radios[q1.id].disabled and again.results.value == res
    ben = _form(_signin(quiz_page("before", db), cohort["people"]["Ben"]["code"]))  # nobody else's answers
    assert ben.radios[q1.id].value is None and ben.results.value == ""


def test_after_both_forms_the_page_shows_what_the_person_learned(db, cohort):
    from workbook.ui.pages.quiz import quiz_page

    quiz = catalogue().quiz
    ann = cohort["ident"]["Ann"]
    page = _signin(quiz_page("after", db), cohort["people"]["Ann"]["code"])
    assert "You have not submitted form A yet" in _form(page).note.value
    _take(db, ann, "a", right_c1=0)
    form = _form(_signin(quiz_page("after", db), cohort["people"]["Ann"]["code"]))
    assert "You have not submitted form A yet" not in form.note.value
    for q in [q for q in quiz.questions_of("b") if q.concept in ("C1", "C2")]:
        form.radios[q.id].value = q.key
    form.submit.click()
    form.submit.click()
    learned = form.learned.value
    # C1: 0% before, 100% after, +100; C2: 0% -> 100%; C3: 0% -> 0%, +0
    assert "<td>C1</td><td>Module 1</td><td>0%</td><td>100%</td><td>+100</td>" in learned
    assert "<td>C2</td><td>Module 1</td><td>0%</td><td>100%</td><td>+100</td>" in learned
    assert "<td>C3</td><td>Module 2</td><td>0%</td><td>0%</td><td>+0</td>" in learned
    assert "<svg" in learned


def test_the_coach_tab_hides_the_cohort_gain_under_the_threshold_then_shows_it(db, cohort):
    from workbook.ui.pages.coach import coach_page
    from workbook.ui.pages.coach_quiz import QuizGain

    ann, ben, cy = (cohort["ident"][n] for n in ("Ann", "Ben", "Cy"))
    _take(db, ann, "a", 0), _take(db, ann, "b", 2)
    _take(db, ben, "a", 1), _take(db, ben, "b", 2)
    _take(db, cy, "a", 1)  # only the before form so far
    page = _signin(coach_page(db), cohort["people"]["Coach C"]["code"])
    [tabs] = page.body.children
    assert tabs.titles[-1] == "Quiz"
    tab = tabs.children[-1]
    assert isinstance(tab, QuizGain)
    html = tab.html.value
    assert "2 people submitted both forms (3 form A, 2 form B)." in html
    assert "Hidden: 2 people have submitted both forms; figures are shown from 3 people." in html
    assert '<td>C1</td><td>Module 1</td><td colspan="3" class="wb-muted">Hidden: 2 people' in html
    assert "%</td>" not in html and "<svg" not in html
    _take(db, cy, "b", 1)
    tab.children[0].click()
    html = tab.html.value
    # C1 before: 0, 50, 50 -> 33%; after: 100, 100, 50 -> 83%; gain +50
    assert "<td>C1</td><td>Module 1</td><td>33%</td><td>83%</td><td>+50</td>" in html
    assert "<td>C2</td><td>Module 1</td><td>0%</td><td>0%</td><td>+0</td>" in html
    assert "Hidden" not in html and "<svg" in html


def test_a_trainee_cannot_read_the_cohort_gain(db, cohort):
    from workbook.errors import AccessDenied
    from workbook.render.quiz_html import cohort_quiz_gain

    with pytest.raises(AccessDenied):
        cohort_quiz_gain(db, cohort["ident"]["Ann"], cohort["id"])


def test_the_cohort_report_section_shows_the_same_table(db, cohort):
    from workbook.render.quiz_html import cohort_report_section

    coach = cohort["ident"]["Coach C"]
    for name, c1 in (("Ann", 2), ("Ben", 1), ("Cy", 0)):
        _take(db, cohort["ident"][name], "a", 0), _take(db, cohort["ident"][name], "b", c1)
    html = cohort_report_section(db, coach, cohort["id"])
    # C1 before 0% for all; after 100, 50, 0 -> 50%; gain +50
    assert "<h2>Learning gain per concept</h2>" in html
    assert "<td>C1</td><td>Module 1</td><td>0%</td><td>50%</td><td>+50</td>" in html
    assert cohort_report_section(db, coach, cohort["id"], {"sections": ["plans"]}) == ""


def test_the_home_page_links_both_forms(db, cohort):
    from workbook.ui.pages.home import home_page

    page = _signin(home_page(db), cohort["people"]["Ann"]["code"])
    html = "".join(x.value for x in walk(page) if isinstance(x, w.HTML))
    assert 'href="./quiz_before.ipynb"' in html and 'href="./quiz_after.ipynb"' in html  # plain links: the sign-in is in the cookie


def test_questions_built_in_a_preheated_kernel_are_bound_to_the_person_at_sign_in(db, cohort, monkeypatch):
    from workbook.ui.pages import quiz as quiz_pages

    quiz = catalogue().quiz
    q = quiz.questions_of("b")[0]
    ann = cohort["ident"]["Ann"]
    save_answer(db, ann, ann.person_id, MODULE, "quiz_b", q.id, q.key)
    built = []
    real = quiz_pages.warm_up
    monkeypatch.setattr(quiz_pages, "warm_up", lambda *a: (real(*a), built.append(a[2]["questions"])))
    page = quiz_pages.quiz_page("after", db)
    page._warm(page.db)  # what a preheated kernel runs before its visitor comes
    assert built and not any(r.value is not None for r in built[0].radios.values())
    form = _form(_signin(page, cohort["people"]["Ann"]["code"]))
    assert form.questions is built[0]  # the prebuilt widgets, not new ones
    assert form.radios[q.id].value == q.key  # restored from the store, not saved again
    from workbook.store import answer_history

    assert len(answer_history(db, ann, ann.person_id, "quiz_b")) == 1
    q2 = quiz.questions_of("b")[1]
    form.radios[q2.id].value = q2.key
    assert current_answers(db, ann, ann.person_id, "quiz_b") == {q.id: q.key, q2.id: q2.key}
