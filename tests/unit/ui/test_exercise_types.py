"""The structured exercise types: settings validation, pure analysis, save-and-reload through the store."""
from __future__ import annotations

import ipywidgets as w
import pytest
from widget_tools import find, one

from workbook.content.catalogue import Exercise, parse_document
from workbook.content.exercise_specs import parse_spec
from workbook.domain.service_analysis import (
    checklist_fit,
    count_by,
    dominant_link,
    layer_shares,
    left_aside,
    mean_rating,
    mix_alignment,
    rows_from_answers,
)
from workbook.errors import ContentError

# ---- pure analysis, hand-worked examples -------------------------------------------------

def test_left_aside_is_the_entity_the_link_does_not_join():
    assert left_aside("mastery") == "client"  # seed 002's example: the client is the poor relation
    assert left_aside("relationship") == "service"
    assert left_aside("involvement") == "provider"
    with pytest.raises(ValueError, match="unknown link 'price'"):
        left_aside("price")


def test_dominant_link_needs_all_three_and_a_clear_lead():
    assert dominant_link({"mastery": 75.0, "relationship": 50.0, "involvement": 25.0}) == "mastery"
    assert dominant_link({"mastery": 60.0, "relationship": 64.0, "involvement": 58.0}) is None  # lead 4 < 5
    assert dominant_link({"mastery": 60.0, "relationship": 65.0, "involvement": 10.0}) == "relationship"  # lead exactly 5
    assert dominant_link({"mastery": 90.0, "relationship": None, "involvement": 10.0}) is None


def test_checklist_fit_counts_only_rated_levers():
    # 2 + 1 + 0 over three rated levers of max 2 = 3 / 6 = 50 %; 'd' unrated, 'c' a gap
    fit = checklist_fit({"a": 2, "b": 1, "c": 0, "x": 2}, ["a", "b", "c", "d"], 2)
    assert fit.percent == pytest.approx(50.0)
    assert (fit.rated, fit.total, fit.gaps) == (3, 4, ("c",))
    assert checklist_fit({}, ["a"], 2).percent is None
    assert checklist_fit({"a": True, "b": 7}, ["a", "b"], 2).rated == 0  # booleans and out-of-range ignored


def test_mix_alignment():
    assert mix_alignment("mastery", {"mastery": 80.0, "relationship": 40.0, "involvement": None}) == ("mastery", True)
    assert mix_alignment("mastery", {"mastery": 30.0, "relationship": 40.0}) == ("relationship", False)
    assert mix_alignment(None, {"mastery": 30.0, "relationship": 40.0}) == ("relationship", None)
    assert mix_alignment("mastery", {"mastery": 40.0, "relationship": 40.0}) == (None, None)  # a tie decides nothing
    assert mix_alignment("mastery", {"mastery": None}) == (None, None)


def test_rows_from_answers_orders_rows_and_drops_blank_ones():
    answers = {"10.action": "training", "2.action": "dinner", "2.layer": "emotional", "3.action": "  ", "10.layer": "value", "junk": 1, "4.other": "x"}
    rows = rows_from_answers(answers, ["action", "layer"])
    assert rows == [{"row": 2, "action": "dinner", "layer": "emotional"}, {"row": 10, "action": "training", "layer": "value"}]
    counts = count_by(rows, "layer", ["emotional", "needs", "value"])
    assert counts == [("emotional", 1), ("needs", 0), ("value", 1)]
    assert layer_shares(counts) == {"emotional": 50.0, "needs": 0.0, "value": 50.0}
    assert layer_shares([("a", 0)]) == {}


def test_mean_rating():
    rows = [{"s": 4}, {"s": 1}, {"s": None}, {"s": True}]
    assert mean_rating(rows, "s") == (2.5, 2)
    assert mean_rating([], "s") == (None, 0)


# ---- settings validation: one line naming the exercise and field ---------------------------

MODULE = """
kind: module
id: mx
number: 19
title: X
notebook: x.ipynb
concepts: [C1]
objectives: [o]
sections: [{heading: h, text: t, source: workbook}]
exercises:
  - id: ex
    type: {type}
{body}
"""


@pytest.mark.parametrize(
    "kind, body, expected",
    [
        ("rated_checklist", "    title: T\n    items: [{id: a, label: A}]\n    options: [{value: 1, label: x}, {value: 2, label: y}]", "options: the lowest value must be 0"),
        ("rated_checklist", "    title: T\n    items: [{id: a, label: A}, {id: a, label: B}]\n    options: [{value: 0, label: x}, {value: 2, label: y}]", "items[1]: 'a' is used twice"),
        ("row_list", "    columns: [{id: a, label: A}]\n    count_by: a", "count_by: 'a' is not a choice column"),
        ("row_list", "    columns: [{id: a, label: A, kind: choice, options: [{value: x, label: X}]}]", "a choice column needs at least two options"),
        ("pick_one", "    options: [{value: a, label: A}, {value: b, label: B}]\n    feedback: {c: hmm}", "feedback: c is not an option value"),
        ("text_fields", "    fields: [{id: a, label: A}]\n    colour: red", "colour: is not a field of a text_fields exercise"),
        ("text_fields", "    prompt: p", "fields: is missing"),
    ],
)
def test_bad_settings_are_named_in_one_line(kind, body, expected):
    with pytest.raises(ContentError) as exc:
        parse_document(MODULE.replace("{type}", kind).replace("{body}", body), "mx.yaml")
    msg = str(exc.value)
    assert msg.startswith("mx.yaml: exercises[0]") and expected in msg, msg
    assert "\n" not in msg


def test_unknown_source_of_a_checklist_is_refused(tmp_path):
    import shutil
    from pathlib import Path

    from workbook.content.catalogue import load_directory

    root = Path(__file__).resolve().parents[3] / "exercises"
    shutil.copy(root / "sources.yaml", tmp_path / "sources.yaml")
    body = "    title: T\n    source: nowhere\n    items: [{id: a, label: A}]\n    options: [{value: 0, label: x}, {value: 2, label: y}]"
    (tmp_path / "mx.yaml").write_text(MODULE.replace("{type}", "rated_checklist").replace("{body}", body))
    with pytest.raises(ContentError, match=r"module mx: exercises\[0\]\.source: 'nowhere' is not in sources.yaml"):
        load_directory(tmp_path)


def test_types_without_settings_refuse_unknown_fields():
    assert parse_spec("text", {}).model_dump() == {}
    with pytest.raises(ValueError, match="^anything: is not a field of a text exercise$"):
        parse_spec("text", {"anything": 1})


# ---- each type saves as the person works and comes back on reload --------------------------

def _ctx(db, identity):
    from workbook.content.catalogue import catalogue
    from workbook.ui.widgets.common import StatusLine
    from workbook.ui.widgets.exercises import ExerciseContext
    from workbook.ui.widgets.saver import AnswerSaver

    status = StatusLine()
    saver = AnswerSaver(db, identity, "m01", status)
    return ExerciseContext(db, identity, catalogue().module("m01"), saver, status)


def _spec(kind: str, **extra) -> Exercise:
    return Exercise(id="ex", type=kind, **extra)


def _build(db, identity, spec):
    from workbook.ui.widgets.exercises import build

    return w.VBox(build(_ctx(db, identity), spec))


CHECK = dict(title="T", source="workbook", items=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
             options=[{"value": 0, "label": "no"}, {"value": 1, "label": "partly"}, {"value": 2, "label": "yes"}])


def test_rated_checklist_saves_and_reloads(cohort, db):
    ann = cohort["ident"]["Ann"]
    spec = _spec("rated_checklist", **CHECK)
    page = _build(db, ann, spec)
    assert "wb-own" in one(page, "wb-ex-ex")._dom_classes  # workbook-derived checklists are marked
    one(page, "wb-item-a", w.RadioButtons).value = 2
    one(page, "wb-item-b", w.RadioButtons).value = 0
    again = _build(db, ann, spec)
    assert one(again, "wb-item-a", w.RadioButtons).value == 2
    assert one(again, "wb-item-b", w.RadioButtons).value == 0
    # another trainee sees nothing of Ann's
    assert one(_build(db, cohort["ident"]["Ben"], spec), "wb-item-a", w.RadioButtons).value is None
    from workbook.ui.widgets.exercises import summarize

    html = summarize(spec, {"a": 2, "b": 0})
    assert "T: 50% fit (2 of 2 rated)." in html and "<li>B</li>" in html


def test_text_fields_save_and_reload_escaped_in_summary(cohort, db):
    ann = cohort["ident"]["Ann"]
    spec = _spec("text_fields", fields=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}], summary_heading="S")
    page = _build(db, ann, spec)
    one(page, "wb-field-b", w.Textarea).value = "<script>x</script> landings"
    again = _build(db, ann, spec)
    assert one(again, "wb-field-b", w.Textarea).value == "<script>x</script> landings"
    assert one(again, "wb-field-a", w.Textarea).value == ""
    from workbook.ui.widgets.exercises import summarize

    html = summarize(spec, {"b": "<script>x</script> landings"})
    assert "&lt;script&gt;x&lt;/script&gt; landings" in html and "<script>" not in html
    assert summarize(spec, {}) == ""


def test_pick_one_saves_choice_and_reason_and_shows_feedback(cohort, db):
    ann = cohort["ident"]["Ann"]
    spec = _spec("pick_one", options=[{"value": "a", "label": "Rung A"}, {"value": "b", "label": "Rung B"}],
                 feedback={"b": "Feedback for B"}, why_label="Why?", summary="You chose {label}.")
    page = _build(db, ann, spec)
    radio = find(page, "wb-pick", w.RadioButtons)[0]
    radio.value = "b"
    assert any("Feedback for B" in x.value for x in find(page, "wb-ex-ex")[0].children if isinstance(x, w.HTML))
    one(page, "wb-field-why", w.Textarea).value = "because"
    again = _build(db, ann, spec)
    assert find(again, "wb-pick", w.RadioButtons)[0].value == "b"
    assert one(again, "wb-field-why", w.Textarea).value == "because"
    from workbook.ui.widgets.exercises import summarize

    assert "You chose Rung B." in summarize(spec, {"choice": "b", "why": "because"})


ROWS = dict(rows=2, max_rows=3, count_by="layer", chart_title="By layer", columns=[
    {"id": "action", "label": "Action"},
    {"id": "layer", "label": "Layer", "kind": "choice", "options": [{"value": "emotional", "label": "Emotional"}, {"value": "value", "label": "Value"}]},
])


def test_row_list_saves_cells_adds_and_removes_rows(cohort, db):
    from workbook.store import current_answers

    ann = cohort["ident"]["Ann"]
    spec = _spec("row_list", **ROWS)
    page = _build(db, ann, spec)
    assert len(find(page, "wb-row")) == 2
    texts = find(page, "wb-cell-action", w.Text)
    texts[0].value = "dinner"
    find(page, "wb-cell-layer", w.Dropdown)[0].value = "emotional"
    texts[1].value = "training"
    find(page, "wb-cell-layer", w.Dropdown)[1].value = "value"
    add = one(page, "wb-add-row", w.Button)
    add.click()
    assert len(find(page, "wb-row")) == 3 and add.disabled  # max_rows reached
    find(page, "wb-cell-action", w.Text)[2].value = "gift"
    again = _build(db, ann, spec)
    assert [t.value for t in find(again, "wb-cell-action", w.Text)] == ["dinner", "training", "gift"]
    assert [d.value for d in find(again, "wb-cell-layer", w.Dropdown)] == ["emotional", "value", None]
    # remove the first row: its cells are cleared in the store (append-only), the rest stay
    find(again, "wb-remove-row", w.Button)[0].click()
    third = _build(db, ann, spec)
    assert [t.value for t in find(third, "wb-cell-action", w.Text)] == ["training", "gift"]
    assert current_answers(db, ann, ann.person_id, "ex") == {"2.action": "training", "2.layer": "value", "3.action": "gift"}


def test_row_list_summary_counts_and_escapes():
    from workbook.ui.widgets.exercises import summarize

    spec = _spec("row_list", **ROWS)
    html = summarize(spec, {"1.action": "<b>dinner</b>", "1.layer": "emotional", "2.action": "x", "2.layer": "emotional"})
    assert "&lt;b&gt;dinner&lt;/b&gt;" in html and "<b>dinner</b>" not in html
    assert "<svg" in html and "By layer" in html
    assert "Emotional" in html
