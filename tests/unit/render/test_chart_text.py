"""Charts carry a text alternative (README "Accessibility"): the SVG is one image named by its title and a summary
sentence of its data, and the emotion curve tells the element types apart by fill as well as colour."""
from __future__ import annotations

import re

import pandas as pd
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _name(svg: str) -> str:
    m = re.match(r'<svg[^>]*\brole="img"[^>]*\baria-label="([^"]*)"', svg)
    assert m, f"the SVG is not one named image: {svg[:300]}"
    return m.group(1)


def test_scores_chart_is_an_image_named_by_its_title_and_figures():
    from workbook.render.score_bars import score_bars_svg

    frame = pd.DataFrame({"dimension": ["Client", "Contact staff <b>"], "score_100": [72.0, 40.4]})
    svg = score_bars_svg(frame, title="Your scores (0–100)")
    assert _name(svg) == "Your scores (0–100): Client 72; Contact staff &lt;b&gt; 40."
    assert "<title>Your scores (0–100): Client 72; Contact staff &lt;b&gt; 40.</title>" in svg


def test_emotion_curve_names_each_touchpoint_with_its_element_and_fills_outcomes_hollow():
    from workbook.render.charts import ELEMENT_COLOURS, emotion_curve, to_svg

    frame = pd.DataFrame({
        "seq": [1, 2], "name": ["Kick-off", "Report"], "stage_id": ["s1", "s2"], "stage": ["Start", "End"], "stage_index": [0, 1],
        "emotion": [1, -2], "element": ["process", "outcome"], "moment_of_truth": [False, True],
    })
    chart = emotion_curve(frame)
    svg = to_svg(chart)
    assert _name(svg) == ("The client&#39;s emotion along the journey: 1. Kick-off +1 (process); "
                          "2. Report -2 (outcome, moment of truth).")
    spec = chart.to_dict()
    point = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "point")
    fill = point["encoding"]["fill"]["scale"]["range"]
    assert fill == [ELEMENT_COLOURS["process"], "#ffffff"], "process and outcome must differ by more than colour"
    assert "color" not in point["encoding"]


def test_labelling_is_idempotent_and_leaves_other_text_alone():
    from workbook.render.charts import labelled_svg

    once = labelled_svg('<svg width="1"><g/></svg>', "A & B")
    assert once == '<svg width="1" role="img" aria-label="A &amp; B"><title>A &amp; B</title><g/></svg>'
    assert labelled_svg(once, "other") == once
    assert labelled_svg("not svg", "x") == "not svg"


# ------------------------------------------------------------------ the six charts that were named by their title only
# Each expected sentence is worked out here from the fixed data (counts, means and signs by hand), never by the chart code.

def _said(svg: str) -> str:
    import html

    return html.unescape(_name(svg))


def _texts(svg: str) -> list[str]:
    """The words the picture itself draws (its <text> elements)."""
    import html

    return [html.unescape(" ".join(re.findall(r">([^<]+)<", f">{t}<"))) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


JOURNEY = [  # (stage, touchpoint, moment of truth, client action, front stage, back stage, support)
    ("Tender", "Site survey", False, "shows the plant", "technician counts compressors", "", ""),
    ("Tender", "Price talks", False, "", "key account manager negotiates", "planner costs the visits", ""),
    ("Operations", "Night breakdown", True, "calls the hotline", "on-call technician repairs", "parts logistics ships a valve", "remote monitoring"),
]


def _journey_frame() -> pd.DataFrame:
    stages = list(dict.fromkeys(s for s, *_ in JOURNEY))
    return pd.DataFrame([{
        "seq": n, "stage_index": stages.index(stage), "stage": stage, "stage_id": f"s{stages.index(stage)}", "id": f"t{n}", "name": name,
        "element": "process", "emotion": 0, "moment_of_truth": mot, "location": "on site", "channel": "face to face",
        "client_action": client, "frontstage": front, "backstage": back, "support": support, "client_actors": "", "front_actors": "", "back_actors": "",
    } for n, (stage, name, mot, client, front, back, support) in enumerate(JOURNEY, 1)])


def test_blueprint_says_its_touchpoints_stages_moments_of_truth_and_lanes():
    from workbook.i18n import using
    from workbook.render.charts import service_blueprint, to_svg

    # 3 touchpoints in 2 stages; the 3rd is the moment of truth; client actions 2 (1, 3), front stage 3, back stage 2 (2, 3), support 1 (3)
    svg = to_svg(service_blueprint(_journey_frame(), title="Blueprint"))
    assert _said(svg) == ("Blueprint: touchpoints: 3 in 2 stages; moments of truth: 3. Night breakdown; touchpoints per lane: "
                          "Client actions 2, Front stage (visible) 3, Back stage (invisible) 2, Support processes 1.")
    assert any(t.startswith("★ Night breakdown") for t in _texts(svg)), "the moment of truth is told by a star, not by the red frame alone"
    with using("fr"):
        said = _said(to_svg(service_blueprint(_journey_frame(), title="Plan")))
    assert said.startswith("Plan: points de contact\u00a0: 3 en 2 étapes; moments de vérité\u00a0: 3. Night breakdown;"), said


def test_blueprint_without_moment_of_truth_says_none():
    from workbook.i18n import using
    from workbook.render.charts import chart_spec, service_blueprint, text_alternative

    frame = _journey_frame().assign(moment_of_truth=False)
    assert "moments of truth: none;" in text_alternative(chart_spec(service_blueprint(frame)))
    with using("zh"):
        said = text_alternative(chart_spec(service_blueprint(frame)))
    assert "3" in said and "none" not in said and "touchpoints" not in said, said


def test_map_comparison_says_each_maps_mean_emotion_per_stage():
    from workbook.i18n import using
    from workbook.render.charts import emotion_compare, to_svg

    means = {"1. As is": {"Tender": (1 + 0) / 2, "Operations": -2.0}, "2. To be": {"Tender": 1.0, "Operations": (0 - 1 + 0) / 3}}
    frame = pd.DataFrame([{"map": m, "stage": s, "stage_index": i, "emotion": v, "touchpoints": 1}
                          for m, by in means.items() for i, (s, v) in enumerate(by.items())])
    signed = {0.5: "+0.5", -2.0: "-2.0", 1.0: "+1.0", -1 / 3: "-0.3"}
    svg = to_svg(emotion_compare(frame, title="Maps"))
    assert _said(svg) == (f"Maps: 1. As is: Tender {signed[0.5]}, Operations {signed[-2.0]}; "
                          f"2. To be: Tender {signed[1.0]}, Operations {signed[-1 / 3]}.")
    with using("fr"):
        assert "Tender +0,5, Operations -2,0" in _said(to_svg(emotion_compare(frame, title="Cartes")))
    spec = emotion_compare(frame).to_dict()
    enc = spec["encoding"]
    assert enc["strokeDash"]["field"] == enc["shape"]["field"] == enc["color"]["field"] == "map"
    assert enc["strokeDash"].get("legend", {}) is not None and enc["strokeDash"]["title"] == enc["color"]["title"], \
        "the legend shows each map's dash and point shape with its colour (one legend)"


def test_survey_chart_says_each_statement_with_both_populations_and_labels_each_bar():
    from workbook.i18n import using
    from workbook.render.charts import experience_survey, to_svg

    frame = pd.DataFrame({"statement": ["Experience matters", "Experience matters", "Pay more", "Pay more"],
                          "population": ["B2B", "B2C", "B2B", "B2C"], "percent": [89, 84, 82, 59]})
    svg = to_svg(experience_survey(frame, title="Survey"))
    assert _said(svg) == "Survey: Experience matters: B2B 89%, B2C 84%; Pay more: B2B 82%, B2C 59%."
    assert {"B2B 89", "B2C 84", "B2B 82", "B2C 59"} <= set(_texts(svg)), "each bar names its population, not by colour alone"
    with using("fr"):
        said = _said(to_svg(experience_survey(frame, title="Enquête")))
    assert re.search(r"Experience matters: B2B 89\s%, B2C 84\s%", said), said


def test_dot_plot_says_each_groups_mean_per_dimension_in_the_pages_language():
    from workbook.i18n import using
    from workbook.render.charts import feedback_dots, to_svg

    ratings = {"Listening": {"Self": [4], "Peers": [3, 4, 4], "Clients": [2, 3]}, "Planning": {"Self": [2], "Peers": [5, 4, 4], "Clients": [None]}}
    rows = []
    for dim, by in ratings.items():
        for who, values in by.items():
            got = [v for v in values if v is not None]
            rows.append({"dimension": dim, "who": who, "mean": sum(got) / len(got) if got else None})
    frame = pd.DataFrame(rows)
    svg = to_svg(feedback_dots(frame, 5, title="360"))
    # Listening: 4, 11/3 = 3.7, 5/2 = 2.5; Planning: 2, 13/3 = 4.3, clients not rated (left out)
    assert _said(svg) == "360: Listening: Self 4.0, Peers 3.7, Clients 2.5; Planning: Self 2.0, Peers 4.3."
    with using("zh"):
        assert "Listening: 自评 4.0, 同事 3.7" in _said(to_svg(feedback_dots(frame, 5, title="360")))
    with using("fr"):
        assert "Planning: Soi 2,0, Pairs 4,3." in _said(to_svg(feedback_dots(frame, 5, title="360")))


def test_attempts_chart_says_each_dimensions_score_per_attempt_and_tells_lines_apart_without_colour():
    from workbook.i18n import using
    from workbook.render.charts import attempts_lines, to_svg

    frame = pd.DataFrame({"attempt": [1, 2, 3, 1, 2, 3], "dimension": ["Client", "Client", "Client", "Staff", "Staff", "Staff"],
                          "score_100": [55.0, 70.4, 81.6, 40.0, None, 62.4]})
    chart = attempts_lines(frame, title="Attempts")
    svg = to_svg(chart)
    # 70.4 → 70, 81.6 → 82, 62.4 → 62 (whole points); Staff's 2nd attempt unscored, left out
    assert _said(svg) == "Attempts: Client: 55 (attempt 1), 70 (attempt 2), 82 (attempt 3); Staff: 40 (attempt 1), 62 (attempt 3)."
    with using("fr"):
        assert "Client: 55 (tentative 1)" in _said(to_svg(attempts_lines(frame, title="Tentatives")))
    enc = chart.to_dict()["encoding"]
    assert enc["strokeDash"]["field"] == enc["shape"]["field"] == "dimension", "the dimensions differ by dash and point shape too"


def test_profile_position_says_each_position_and_the_scale():
    from workbook.i18n import using
    from workbook.render.charts import profile_position, to_svg

    frame = pd.DataFrame({"who": ["Self", "All raters"], "position": [35.2, -12.0]})
    svg = to_svg(profile_position(frame, title="Profiles"))
    assert _said(svg) == ("Profiles: Self +35; All raters -12; "
                          "scale from -100 (technical & operational) to +100 (marketing & leadership).")
    with using("zh"):
        said = _said(to_svg(profile_position(frame, title="画像")))
    assert "自评 +35; 全部评价者 -12" in said and "技术与运营" in said and "市场与领导力" in said, said


# ------------------------------------------------------------------ no chart tells its series apart by colour alone

def test_classification_segments_are_marked_with_a_tick_or_a_cross_and_their_count():
    from workbook.render.charts import classification_chart, to_svg

    frame = pd.DataFrame({"theme": ["Visits", "Visits", "Reports", "Reports"], "result": ["like the key", "not like the key"] * 2,
                          "count": [3, 1, 2, 0], "rank": [0, 1, 0, 1]})
    texts = _texts(to_svg(classification_chart(frame, "Classified", "theme", "statements")))
    assert {"✓ 3", "✗ 1", "✓ 2"} <= set(texts) and "✗ 0" not in texts


def test_timeline_bars_say_where_they_happen_and_the_triangle_stars_the_favoured_link():
    from workbook.render.charts import servuction_triangle, timeline_chart, to_svg

    frame = pd.DataFrame({"phase": ["Survey", "Repair"], "start": [0, 2], "end": [2, 3], "duration": [2, 1], "where": ["site", "remote"], "who": ["technician", ""]})
    texts = _texts(to_svg(timeline_chart(frame, "Timeline", "days", "Where", {"site": "On site", "remote": "Remote"})))
    assert {"technician (On site)", "Remote"} <= set(texts)
    links = pd.DataFrame({"link": ["mastery", "relationship", "involvement"], "label": ["Mastery", "Relationship", "Involvement"],
                          "score_100": [60.0, 80.0, None], "favoured": [False, True, False]})
    svg = to_svg(servuction_triangle(links, {"client": "Client", "provider": "Provider", "service": "Service"}))
    assert {"Mastery: 60", "Relationship: 80 ★", "Involvement: —"} <= set(_texts(svg))
    assert "Relationship: 80 ★" in _said(svg)
