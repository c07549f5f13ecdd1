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
    from workbook.render.charts import dimension_scores, to_svg

    frame = pd.DataFrame({"dimension": ["Client", "Contact staff <b>"], "score_100": [72.0, 40.4]})
    svg = to_svg(dimension_scores(frame, title="Your scores (0–100)"))
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
