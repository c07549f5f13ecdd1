"""The individual report carries the person's own experience-map summary, and nobody else's."""
from workbook.journey import add_touchpoint, new_map
from workbook.report_content import individual_report, journey_html
from workbook.store.journeys import save_map


def test_report_shows_own_map_summary_escaped_and_not_others(db, cohort):
    ann, ben, hr = cohort["ident"]["Ann"], cohort["ident"]["Ben"], cohort["ident"]["HR H"]
    m = new_map("Plant <b>maintenance</b>", client="Acme")
    stage = m.stages[0].id
    m = add_touchpoint(m, stage, name="Kick-off", pain_point="<script>x()</script> late badge", control="me")
    save_map(db, ann, ann.person_id, m)
    rep = individual_report(db, hr, ann.person_id)
    assert rep.journey_available
    text = "\n".join(rep.journey)
    assert "Plant <b>maintenance</b>" in text and "late badge" in text
    html = journey_html(rep)
    assert "&lt;script&gt;x()&lt;/script&gt; late badge" in html and "<script>" not in html
    other = individual_report(db, hr, ben.person_id)
    assert other.journey == [] and "Plant" not in journey_html(other)
