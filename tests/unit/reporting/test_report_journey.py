"""The individual report carries the person's own experience-map summary, and nobody else's."""
from workbook.domain.journey import add_touchpoint, new_map
from workbook.reporting.report_content import individual_report, journey_html
from workbook.store.journeys import save_map

NOT_YET = "not available yet"  # what the report says of a part this installation does not have


def test_report_shows_own_map_summary_escaped_and_not_others(db, cohort):
    ann, ben, hr = cohort["ident"]["Ann"], cohort["ident"]["Ben"], cohort["ident"]["HR H"]
    m = new_map("Plant <b>maintenance</b>", client="Acme")
    stage = m.stages[0]
    m = add_touchpoint(m, stage.id, name="Kick-off", pain_point="<script>x()</script> late badge", control="me")
    save_map(db, ann, ann.person_id, m)
    rep = individual_report(db, hr, ann.person_id)
    # one touchpoint with a pain point, controlled by the trainee: counted once, and on the action list
    first, *rest = rep.journey
    assert first.startswith("Plant <b>maintenance</b> (") and "1 touchpoints" in first and "1 pain points" in first
    assert "  you or your team control 1 of 1 touchpoints" in rest
    [action] = [line for line in rest if line.startswith("  - [")]
    assert f"{stage.name} / Kick-off" in action and action.endswith("<script>x()</script> late badge")
    html = journey_html(rep)
    assert NOT_YET not in html and "Plant &lt;b&gt;maintenance&lt;/b&gt;" in html
    assert "&lt;script&gt;x()&lt;/script&gt; late badge" in html and "<script>" not in html and "<b>" not in html
    other = individual_report(db, hr, ben.person_id)
    assert other.journey == []
    other_html = journey_html(other)
    assert "No experience map yet." in other_html and NOT_YET not in other_html and "Plant" not in other_html


def test_report_shows_360_gaps_from_the_feedback_functions(db, admin):
    """Demo trainee 1 has 360 answers: the report's table is feedback360.compare's, under the threshold rules."""
    from workbook.content.catalogue import catalogue
    from workbook.domain.feedback360 import RaterResponse, compare
    from workbook.reporting.report_content import feedback_html
    from workbook.store import current_answers, list_people
    from workbook.store.demo import build_demo
    from workbook.store.raters import feedback_responses

    build_demo(db)
    cohort_id = list_people(db, admin, 1)[0].cohort_id
    first = list_people(db, admin, cohort_id, role="trainee")[0]
    rep = individual_report(db, admin, first.id)
    assert rep.feedback_available and rep.feedback
    inst = catalogue().instrument("manager_profile")
    responses = [RaterResponse(x["category"], x["answers"], x.get("comment", "")) for x in feedback_responses(db, admin, first.id, inst.id)]
    s = db.settings
    expected = compare(inst, current_answers(db, admin, first.id, inst.id), responses, s.anonymity_threshold, s.blind_spot_gap, s.manager_shown_alone, seed=first.id)
    html = feedback_html(rep)
    assert "360-degree feedback" in html
    flagged = [d for d in expected.dimensions if d.flag]
    assert flagged, "the demo 360 data should produce at least one blind spot or hidden strength"
    for d in expected.dimensions:
        row = html.split(f"<td>{d.label}</td>", 1)[1].split("</tr>", 1)[0]
        assert (d.flag.replace("_", " ") in row) if d.flag else row.endswith("<td>—</td>"), (d.label, d.flag, row)
        if d.gap is not None:
            assert f"{d.gap:+.2f}" in row
