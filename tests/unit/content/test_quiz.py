"""The concept quiz: content validation, scoring per concept, a person's gain, the cohort's gain
under the anonymity threshold (expected values worked out by hand in the comments)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from workbook.content.catalogue import catalogue, load_directory, parse_document
from workbook.content.quiz_spec import CONCEPTS, SUBMITTED
from workbook.content.yaml_text import load_yaml
from workbook.domain.quiz_scoring import MODULE, cohort_gain, concept_scores, display_order, person_gain, total_score
from workbook.errors import ContentError, InvalidAnswer

ROOT = Path(__file__).resolve().parents[3]
QUIZ_YAML = ROOT / "exercises" / "quiz.yaml"


@pytest.fixture(scope="module")
def quiz():
    return catalogue().quiz


def answers(quiz, form: str, right: dict[str, int], submit: bool = True) -> dict[str, object]:
    """``right[concept]`` of that concept's questions answered with the key, the others with a wrong
    option; concepts not named are left open."""
    out: dict[str, object] = {}
    for concept, n_right in right.items():
        qs = [q for q in quiz.questions_of(form) if q.concept == concept]
        for i, q in enumerate(qs):
            out[q.id] = q.key if i < n_right else (q.key + 1) % len(q.options)
    if submit:
        out[SUBMITTED] = "2026-12-01T09:00:00"
    return out


# ---- the content ------------------------------------------------------------------------------

def test_the_shipped_quiz_has_two_parallel_forms_of_two_questions_per_concept(quiz):
    assert quiz.form("before").id == "a" and quiz.form("after").id == "b"
    for form in ("a", "b"):
        per = {c: sum(1 for q in quiz.questions_of(form) if q.concept == c) for c in CONCEPTS}
        assert per == {c: 2 for c in CONCEPTS}, per
    assert len(quiz.questions) == 92
    for q in quiz.questions:
        assert 3 <= len(q.options) <= 4 and sum(o.correct for o in q.options) == 1
        assert all(o.feedback.strip() for o in q.options), q.id
        assert q.source in catalogue().sources or q.source == "workbook"


def test_keyed_answers_are_spread_over_the_displayed_positions(quiz):
    # written with the key mostly second; the page shows a fixed shuffle per question
    shown = [display_order(q).index(q.key) for q in quiz.questions]
    assert display_order(quiz.questions[0]) == display_order(quiz.questions[0])  # stable across calls
    counts = [shown.count(p) for p in range(3)]
    assert min(counts) >= 20, counts  # 92 questions: no position holds the key in fewer than 20


def _write(tmp_path, edit) -> Path:
    doc = load_yaml(QUIZ_YAML.read_text(encoding="utf-8"))
    edit(doc)
    for f in (ROOT / "exercises").glob("*.yaml"):
        if f.name != "quiz.yaml":
            shutil.copy(f, tmp_path / f.name)
    (tmp_path / "quiz.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path


def _two_keys(doc):
    doc["questions"][5]["options"][0]["correct"] = True
    doc["questions"][5]["options"][1]["correct"] = True


def _no_feedback(doc):
    del doc["questions"][7]["options"][2]["feedback"]


def _one_question_short(doc):
    doc["questions"] = [q for q in doc["questions"] if q["id"] != "b_c04_2"]


def _uneven_forms(doc):
    extra = dict(doc["questions"][0], id="a_c01_3")
    doc["questions"].append(extra)


def _bad_source(doc):
    doc["questions"][3]["source"] = "mathieu-9.9"


def _two_options(doc):
    doc["questions"][2]["options"] = doc["questions"][2]["options"][:2]


@pytest.mark.parametrize("edit, message", [
    (_two_keys, r"quiz\.yaml: questions\[5\] \(a_c02_2\): options: exactly one option must have correct: true \(found 2\)$"),
    (_no_feedback, r"quiz\.yaml: questions\[7\] \(b_c02_2\)\.options\[2\]\.feedback: is missing$"),
    (_two_options, r"quiz\.yaml: questions\[2\] \(b_c01_1\)\.options: .*at least 3"),
    (_one_question_short, r"quiz\.yaml: form b: concept C4 has 1 questions; each concept needs 2 to 3 per form$"),
    (_uneven_forms, r"quiz\.yaml: the two forms must be parallel: C1 have a different number of questions per form$"),
    (_bad_source, r"quiz\.yaml: questions\[3\] \(b_c01_2\)\.source: 'mathieu-9\.9' is not in sources\.yaml$"),
])
def test_a_malformed_quiz_is_one_line_naming_file_and_question(tmp_path, edit, message):
    with pytest.raises(ContentError, match=message) as err:
        load_directory(_write(tmp_path, edit))
    assert "\n" not in str(err.value)


def test_the_quiz_is_covered_by_the_copy_check():
    from test_curriculum import _content_strings

    assert any(name == "quiz.yaml" and where.endswith(".feedback") for name, where, _ in _content_strings())


def test_the_quiz_uses_none_of_the_seeds_own_examples():
    """Like the modules: the workbook's own B2B situations, never a seed's examples retold."""
    from workbook.content.copycheck import SEED_PROFILES, example_markers, strings_of

    doc = load_yaml(QUIZ_YAML.read_text(encoding="utf-8"))
    found = [f"{where}: seed {key}: {m}" for where, text in strings_of(doc) for key, p in SEED_PROFILES.items() for m in example_markers(text, p)]
    assert not found, "\n".join(found)


def test_parse_document_rejects_an_unknown_form_in_a_question():
    doc = load_yaml(QUIZ_YAML.read_text(encoding="utf-8"))
    doc["questions"][0]["form"] = "c"
    with pytest.raises(ContentError, match=r"x\.yaml: questions\[0\] \(a_c01_1\)\.form: 'c' is not one of a, b$"):
        parse_document(yaml.safe_dump(doc, allow_unicode=True), "x.yaml")


# ---- scoring ----------------------------------------------------------------------------------

def test_concept_scores_count_right_answers_per_concept(quiz):
    ans = answers(quiz, "a", {"C1": 2, "C2": 1, "C3": 0})
    s = concept_scores(quiz, "a", ans)
    assert list(s) == list(CONCEPTS)
    assert (s["C1"].right, s["C1"].asked, s["C1"].percent) == (2, 2, 100.0)
    assert (s["C2"].right, s["C2"].percent) == (1, 50.0)
    assert (s["C3"].right, s["C3"].percent) == (0, 0.0)  # both answered wrongly
    assert (s["C4"].right, s["C4"].percent) == (0, 0.0)  # left open
    assert total_score(quiz, "a", ans).right == 3 and total_score(quiz, "a", ans).asked == 46


def test_answers_that_are_not_an_option_index_are_not_right(quiz):
    q1, q2 = [q for q in quiz.questions_of("a") if q.concept == "C5"]
    s = concept_scores(quiz, "a", {q1.id: True if q1.key == 1 else str(q1.key), q2.id: float(q2.key)})
    assert s["C5"].right == 0


def test_person_gain_is_after_minus_before_per_concept(quiz):
    before = answers(quiz, "a", {"C1": 0, "C2": 1, "C9": 2, "C23": 1})
    after = answers(quiz, "b", {"C1": 2, "C2": 1, "C9": 1})
    g = {x.concept: x for x in person_gain(quiz, before, after)}
    assert (g["C1"].before, g["C1"].after, g["C1"].gain) == (0.0, 100.0, 100.0)
    assert (g["C2"].before, g["C2"].after, g["C2"].gain) == (50.0, 50.0, 0.0)
    assert (g["C9"].before, g["C9"].after, g["C9"].gain) == (100.0, 50.0, -50.0)
    assert (g["C23"].before, g["C23"].after, g["C23"].gain) == (50.0, 0.0, -50.0)
    assert (g["C12"].before, g["C12"].after, g["C12"].gain) == (0.0, 0.0, 0.0)


def test_cohort_gain_is_the_mean_over_people_who_submitted_both_forms(quiz):
    before = {
        1: answers(quiz, "a", {"C1": 0, "C2": 2}),
        2: answers(quiz, "a", {"C1": 1, "C2": 2}),
        3: answers(quiz, "a", {"C1": 1, "C2": 0}),
        4: answers(quiz, "a", {"C1": 0}),  # never took the after form
        5: answers(quiz, "a", {"C1": 0}),  # after form answered, not submitted
    }
    after = {
        1: answers(quiz, "b", {"C1": 2, "C2": 2}),
        2: answers(quiz, "b", {"C1": 2, "C2": 1}),
        3: answers(quiz, "b", {"C1": 1, "C2": 1}),
        5: answers(quiz, "b", {"C1": 2}, submit=False),
    }
    res = cohort_gain(quiz, before, after, threshold=3)
    assert (res.took_before, res.took_after, res.took_both, res.hidden) == (5, 3, 3, False)
    g = {x.concept: x for x in res.concepts}
    # C1: before 0, 50, 50 -> 33.33; after 100, 100, 50 -> 83.33; gain 50
    assert g["C1"].before == pytest.approx(100 / 3) and g["C1"].after == pytest.approx(250 / 3)
    assert g["C1"].gain == pytest.approx(50.0) and g["C1"].n == 3
    # C2: before 100, 100, 0 -> 66.67; after 100, 50, 50 -> 66.67; gain 0
    assert g["C2"].before == pytest.approx(200 / 3) and g["C2"].gain == pytest.approx(0.0)
    assert g["C3"].before == 0.0 and g["C3"].gain == 0.0


def test_cohort_gain_is_hidden_under_the_threshold_with_its_reason(quiz):
    before = {p: answers(quiz, "a", {"C1": 1}) for p in (1, 2, 3)}
    after = {p: answers(quiz, "b", {"C1": 2}) for p in (1, 2)}
    res = cohort_gain(quiz, before, after, threshold=3)
    assert res.hidden and res.took_both == 2
    assert all(x.before is None and x.after is None and x.gain is None for x in res.concepts)
    assert res.concepts[0].reason == "Hidden: 2 people have submitted both forms; figures are shown from 3 people."
    shown = cohort_gain(quiz, before, after, threshold=2)
    assert not shown.hidden and shown.concepts[0].gain == pytest.approx(50.0)


# ---- storing answers --------------------------------------------------------------------------

def test_the_store_refuses_a_quiz_answer_that_is_not_an_option(db, cohort):
    from workbook.store import current_answers, save_answer

    ann = cohort["ident"]["Ann"]
    q = catalogue().quiz.questions_of("a")[0]
    save_answer(db, ann, ann.person_id, MODULE, "quiz_a", q.id, 2)
    with pytest.raises(InvalidAnswer, match=rf"^quiz_a/{q.id}: 3 is not an option; answers are option numbers 0 to 2$"):
        save_answer(db, ann, ann.person_id, MODULE, "quiz_a", q.id, 3)
    with pytest.raises(InvalidAnswer, match=r"^quiz_b/a_c01_1: form b has no question 'a_c01_1'$"):
        save_answer(db, ann, ann.person_id, MODULE, "quiz_b", q.id, 0)
    assert current_answers(db, ann, ann.person_id, "quiz_a") == {q.id: 2}
