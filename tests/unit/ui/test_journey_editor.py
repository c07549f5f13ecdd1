"""The journey editor's widgets on a real database: every change saved as it happens, restored on reload."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as w
from widget_tools import settle, walk

from workbook.domain import journey as J
from workbook.ui.widgets.common import StatusLine
from workbook.ui.widgets.journey_editor import JourneyEditor, MapBackend

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _editor(db, ident) -> JourneyEditor:
    return JourneyEditor(MapBackend(db, ident), status=StatusLine())


def _html_values(widget: w.Widget) -> list[str]:
    """Every HTML widget's text under ``widget``, once its waiting redraw has run."""
    return [x.value for x in walk(widget) if isinstance(x, w.HTML)]


def test_build_a_map_with_the_widgets_and_find_it_after_reload(db, cohort):
    ann = cohort["ident"]["Ann"]
    ed = _editor(db, ann)
    assert ed.current is None and ed.editor.layout.display == "none"
    ed.new_map_btn.click()
    assert [s.name for s in ed.current.stages] == list(J.DEFAULT_STAGES)
    ed.stage_select.value = ed.current.stages[4].id  # delivery on the client's site
    ed.new_tp_name.value = "Quarterly inspection"
    ed.add_tp_btn.click()
    assert ed.status.value and "wb-error" not in ed.status.value, ed.status.value
    ed.form["emotion"].value = -2
    ed.form["moment_of_truth"].value = True
    ed.form["location"].value = "client_site"
    ed.form["control"].value = "me"
    ed.form["provider_actors"].value = "front: Technician; back: Planner"
    ed.form["client_actors"].value = "Plant manager; Operator"
    ed.form["pain_point"].value = "Arrived without the permit"
    assert ed.redraw.pending  # the chart follows the last of these quick edits, once
    settle(ed)
    assert ed.redraw.runs == 1
    assert "Quarterly inspection" in ed.curve.value  # the chart shows the new touchpoint

    again = _editor(db, ann)  # a reload: everything comes back from the store
    m = again.current
    tp = m.stage(m.stages[4].id).touchpoints[0]
    assert (tp.name, tp.emotion, tp.moment_of_truth, tp.control, tp.pain_point) == ("Quarterly inspection", -2, True, "me", "Arrived without the permit")
    assert [(a.role, a.side) for a in tp.provider_actors] == [("Technician", "front_line"), ("Planner", "back_office")]
    assert tp.client_actors == ("Plant manager", "Operator")
    settle(again)
    assert "Quarterly inspection" in again.curve.value


def test_reorder_delete_undo_duplicate_and_compare_through_the_widgets(db, cohort):
    ann = cohort["ident"]["Ann"]
    ed = _editor(db, ann)
    ed.example_btn.click()
    original = ed.current
    ed.stage_select.value = "s_onsite"
    ed.tp_select.value = "t11"
    ed.tp_up.click()
    assert [t.id for t in ed.current.stage("s_onsite").touchpoints] == ["t09", "t11", "t10"]
    ed.del_tp_btn.click()  # deletes the selected t11
    assert [t.id for t in ed.current.stage("s_onsite").touchpoints] == ["t09", "t10"]
    ed.undo_btn.click()
    assert [t.id for t in _editor(db, ann).current.stage("s_onsite").touchpoints] == ["t09", "t11", "t10"]
    ed.undo_btn.click()
    assert _editor(db, ann).current == original

    ed.dup_btn.click()
    assert len(ed.maps) == 2 and ed.current.variant == "to_be"
    ed.stage_select.value = "s_onsite"
    ed.tp_select.value = "t10"
    ed.form["emotion"].value = 1
    ed.cmp_a.value, ed.cmp_b.value = original.id, ed.current.id
    ed.views.selected_index = 3
    assert "emotion: -2 → +1" in ed.cmp_out.value
    ed.del_map_btn.click()
    assert list(_editor(db, ann).maps) == [original.id]
    ed.undo_btn.click()
    assert len(_editor(db, ann).maps) == 2


def test_hostile_text_is_escaped_in_every_view(db, cohort):
    ann = cohort["ident"]["Ann"]
    ed = _editor(db, ann)
    ed.example_btn.click()
    ed.title.value = HOSTILE
    ed.stage_select.value = "s_onsite"
    ed.new_tp_name.value = HOSTILE
    ed.add_tp_btn.click()
    for field in ("client_action", "frontstage", "backstage", "support", "pain_point", "opportunity"):
        ed.form[field].value = HOSTILE + field
    ed.form["control"].value = "me"
    ed.dup_btn.click()
    ed.form["pain_point"].value = HOSTILE + " changed"
    ed.cmp_a.value, ed.cmp_b.value = list(ed.maps)
    seen = []
    for tab in range(5):
        ed.views.selected_index = tab
        seen += _html_values(ed)
    ed.export_btn.click()
    seen += _html_values(ed)
    joined = "\n".join(seen)
    assert "&lt;script" in joined  # the hostile text is shown, as text
    assert "<script" not in joined and "<img" not in joined and "onerror=alert" not in joined.replace("onerror=alert(1)&gt;", "")


def test_bad_csv_import_changes_nothing(db, cohort):
    from workbook.store import answer_history

    ann, pid = cohort["ident"]["Ann"], cohort["people"]["Ann"]["id"]
    ed = _editor(db, ann)
    ed.example_btn.click()
    rows_before = len(answer_history(db, ann, pid, "journey"))
    text = J.export_csv(ed.current).replace(",client_site,", ",on_mars,", 1)
    ed.upload.value = ({"name": "bad.csv", "type": "text/csv", "size": len(text), "content": memoryview(text.encode()), "last_modified": datetime.now(UTC)},)
    assert "nothing imported" in ed.status.value and "column location" in ed.status.value
    assert len(answer_history(db, ann, pid, "journey")) == rows_before and len(ed.maps) == 1
    good = J.export_csv(ed.current)
    ed.upload.value = ({"name": "ok.csv", "type": "text/csv", "size": len(good), "content": memoryview(good.encode()), "last_modified": datetime.now(UTC)},)
    assert len(_editor(db, ann).maps) == 2  # imported as a new map, the original untouched


def test_a_change_made_while_the_store_is_down_is_kept_and_saved_later(db, cohort, monkeypatch):
    from workbook.errors import StoreUnavailable
    from workbook.store import list_maps
    from workbook.ui.widgets.saver import AnswerSaver

    ann, pid = cohort["ident"]["Ann"], cohort["people"]["Ann"]["id"]
    status = StatusLine()
    saver = AnswerSaver(db, ann, "m05", status)
    monkeypatch.setattr("workbook.ui.widgets.saver.RETRY_SECONDS", 3600)
    ed = JourneyEditor(MapBackend(db, ann, save_value=saver.save), status=status)
    ed.new_map_btn.click()
    real = db.session

    def down():
        raise StoreUnavailable("cannot use database: disk I/O error (test)")

    monkeypatch.setattr(db, "session", down)
    ed.title.value = "Renamed while down"
    assert "Not saved yet" in status.value and saver.pending
    monkeypatch.setattr(db, "session", real)
    assert saver.flush()
    assert [m.title for m in list_maps(db, ann, pid)] == ["Renamed while down"]


def test_your_results_summary_lists_each_maps_action_list_escaped(db, cohort):
    from workbook.content.catalogue import catalogue
    from workbook.store import current_answers, delete_map, save_map
    from workbook.ui.widgets.exercises import SUMMARIES, _load_structured

    _load_structured()
    ann, pid = cohort["ident"]["Ann"], cohort["people"]["Ann"]["id"]
    spec = catalogue().module("m05").exercises[0]
    assert SUMMARIES[spec.type](spec, {}) == '<p class="wb-muted">No experience map yet.</p>'
    example = J.import_csv((Path(__file__).resolve().parents[3] / "datasets" / "journey_example.csv").read_text(encoding="utf-8"))
    gone = J.new_map(HOSTILE)
    save_map(db, ann, pid, example)
    save_map(db, ann, pid, gone)
    delete_map(db, ann, pid, gone.id)
    html = SUMMARIES[spec.type](spec, current_answers(db, ann, pid, spec.id))
    assert "Hotline asked for the contract number three times" in html  # a pain point my team controls
    assert "Invoice lines do not match" not in html  # another department's
    assert "&lt;script" not in html and "<script" not in html  # the deleted map is not summarised
