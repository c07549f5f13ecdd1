"""The scores chart of a module's results, drawn as SVG in Python (workbook/render/score_bars.py)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd

from workbook.render.score_bars import LEFT_PAD, WIDTH, score_bars_svg

NS = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> dict[str, float]:
    """Each bar's width by the label drawn beside it (the text just before the bar)."""
    root = ET.fromstring(svg)
    out, label = {}, None
    for el in root.iter():
        if el.tag == NS + "text":
            label = el.text
        elif el.tag == NS + "rect" and el.get("height") != "100%":
            out[label] = float(el.get("width"))
    return out


def test_each_scored_dimension_gets_a_bar_as_long_as_its_score():
    frame = pd.DataFrame({"dimension": ["Client", "Staff", "Unscored", "Support"], "score_100": [100.0, 50.0, None, 25.0]})
    svg = score_bars_svg(frame, title="Your scores (0–100)")
    bars = _bars(svg)
    assert set(bars) == {"Client", "Staff", "Support"}, "an unscored dimension has no bar"
    assert bars["Client"] == WIDTH
    assert abs(bars["Staff"] - WIDTH / 2) < 0.1 and abs(bars["Support"] - WIDTH / 4) < 0.1
    values = [t.text for t in ET.fromstring(svg).iter(NS + "text")]
    assert {"100", "50", "25"} <= set(values), "each bar shows its value"
    assert LEFT_PAD > 0


def test_labels_are_escaped_and_the_image_is_named_by_title_and_figures():
    frame = pd.DataFrame({"dimension": ["Client", "Contact <b>staff</b> & co"], "score_100": [72.0, 40.4]})
    svg = score_bars_svg(frame, title="Scores <i>")
    ET.fromstring(svg)  # well-formed: the label's markup is text
    assert "<b>" not in svg and "<i>" not in svg
    name = re.match(r'<svg[^>]*\brole="img"[^>]*\baria-label="([^"]*)"', svg).group(1)
    assert name == "Scores &lt;i&gt;: Client 72; Contact &lt;b&gt;staff&lt;/b&gt; &amp; co 40."


def test_chinese_labels_are_drawn_with_the_cjk_font():
    from workbook.i18n import using
    from workbook.render.charts import CHART_FONTS

    frame = pd.DataFrame({"dimension": ["客户"], "score_100": [60.0]})
    with using("zh"):
        svg = score_bars_svg(frame, title="你的得分")
    assert ET.fromstring(svg).get("font-family") == CHART_FONTS["zh"]
    assert ET.fromstring(score_bars_svg(frame)).get("font-family") == "sans-serif"


def test_pairs_draw_what_the_frame_draws_and_need_no_pandas():
    """A module page passes ``(dimension, score)`` pairs (it loads no pandas for them): the same image as the frame."""
    frame = pd.DataFrame({"dimension": ["Client", "Staff", "Unscored", "Support"], "score_100": [100.0, 50.0, None, 25.0]})
    pairs = [("Client", 100.0), ("Staff", 50.0), ("Unscored", None), ("Support", 25.0)]
    assert score_bars_svg(pairs, title="T") == score_bars_svg(frame, title="T")
    assert "Unscored" not in score_bars_svg(pairs)


def test_missing_says_what_pandas_isna_says_of_one_value():
    from workbook.render.chart_style import missing

    for value in (None, float("nan"), pd.NA, pd.NaT, 0, 0.0, 12.5, "x", ""):
        assert missing(value) == bool(pd.isna(value)), value
