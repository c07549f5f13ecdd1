"""The individual report carries the person's own experience-map summary, and nobody else's; a curriculum
without an experience-map exercise says the part is not available."""
import shutil

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



def test_a_curriculum_without_an_experience_map_says_the_part_is_not_available(db, cohort, tmp_path, monkeypatch):
    """The same person and map, read with a copy of the content whose Module 5 exercise is plain text: the report
    says "not available yet" instead of the summary (the part follows the curriculum, it is not a constant)."""
    from workbook.settings import get_settings, reset_settings

    ann, hr = cohort["ident"]["Ann"], cohort["ident"]["HR H"]
    save_map(db, ann, ann.person_id, new_map("Plant maintenance", client="Acme"))
    assert NOT_YET not in journey_html(individual_report(db, hr, ann.person_id))
    content = tmp_path / "content"
    shutil.copytree(get_settings().content_dir, content)
    for m05 in content.rglob("m05_*.yaml"):
        text = m05.read_text(encoding="utf-8")
        assert "type: journey_map" in text
        m05.write_text(text.replace("type: journey_map", "type: text"), encoding="utf-8")
    monkeypatch.setenv("WORKBOOK_CONTENT_DIR", str(content))
    reset_settings()
    try:
        rep = individual_report(db, hr, ann.person_id)
    finally:
        monkeypatch.delenv("WORKBOOK_CONTENT_DIR")
        reset_settings()
    assert not rep.journey_available and NOT_YET in journey_html(rep) and "Plant maintenance" not in journey_html(rep)
