"""Importance–investment grid (Module 4), on hand-worked examples."""
import pytest

from workbook.domain.ipa import by_category, category, ipa_frame, normalise


def test_names_match_whatever_the_case_spacing_and_end_punctuation():
    assert normalise("  Response   Time. ") == normalise("response time") == "response time"
    assert normalise("Reports") != normalise("Report")


@pytest.mark.parametrize(
    "importance, investment, expected",
    [(5, 0, "never_identified"), (0, 4, "ignored"), (4, 2, "concentrate"), (3, 3, "keep_up"), (2, 1, "low_priority"), (1, 5, "overkill")],
)
def test_category_of_each_corner_with_high_from_3(importance, investment, expected):
    assert category(importance, investment, high=3) == expected


def test_frame_merges_the_two_lists_and_finds_the_gaps():
    invest = [
        {"element": "Predictive analytics", "level": 5},
        {"element": "Response time", "level": 2},
        {"element": "response time ", "level": 1},  # listed twice: the higher level counts
        {"element": "", "level": 4},  # blank rows are ignored
        {"element": "Reporting portal", "level": 0},  # no level: ignored
    ]
    cite = [{"element": "RESPONSE TIME", "importance": 5}, {"element": "Same technician", "importance": 4}, {"element": "Reporting portal", "importance": 2}]
    f = ipa_frame(invest, cite, high=3).set_index("element")
    assert f.loc["RESPONSE TIME"].to_dict() == {"importance": 5, "investment": 2, "gap": 3, "category": "concentrate"}
    assert f.loc["Same technician"].to_dict() == {"importance": 4, "investment": 0, "gap": 4, "category": "never_identified"}
    assert f.loc["Predictive analytics"].to_dict() == {"importance": 0, "investment": 5, "gap": -5, "category": "ignored"}
    assert f.loc["Reporting portal", "category"] == "never_identified"
    assert len(f) == 4


def test_by_category_lists_every_category_largest_gap_first():
    cite = [{"element": "A", "importance": 2}, {"element": "B", "importance": 5}]
    groups = by_category(ipa_frame([], cite))
    assert groups["never_identified"] == ["B", "A"]
    assert groups["keep_up"] == [] and set(groups) == {"never_identified", "ignored", "concentrate", "keep_up", "low_priority", "overkill"}


def test_rows_that_are_not_mappings_are_skipped():
    assert ipa_frame(["x", None, {"element": "A", "level": "5"}], [{"element": "B", "importance": True}]).empty


def test_grid_chart_names_every_element_and_escapes_them():
    from workbook.domain.ipa import CATEGORIES
    from workbook.render.charts import ipa_chart, to_svg

    invest = [{"element": "<script>alert(1)</script>", "level": 4}, {"element": "Reporting software", "level": 4}]
    cite = [{"element": "Same team every visit", "importance": 5}]
    svg = to_svg(ipa_chart(ipa_frame(invest, cite), 3, 5, "Grid", "investment", "importance", {c: c.upper() for c in CATEGORIES}))
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    for text in ("Reporting software", "Same team every visit", "CONCENTRATE", "OVERKILL", "NEVER_IDENTIFIED", "IGNORED"):
        assert text in svg, text
