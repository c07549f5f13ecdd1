"""Altair charts from plain data frames (one function per chart), rendered to inline SVG.

Charts are drawn server-side with vl-convert so a page or a report needs no JavaScript and
no CDN: a workshop room without internet still sees every chart.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

PALETTE = {"primary": "#1f5f8b", "accent": "#e07a1f", "muted": "#9aa5b1"}


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document (no browser, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())


def dimension_scores(frame: pd.DataFrame, title: str = "Your scores (0–100)") -> alt.Chart:
    """Horizontal bars of dimension scores on 0–100; unscored dimensions are left out."""
    data = frame.dropna(subset=["score_100"])
    base = alt.Chart(data, title=title).encode(
        y=alt.Y("dimension:N", title=None, sort=None),
        x=alt.X("score_100:Q", title="score (0–100)", scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar(color=PALETTE["primary"], height=22)
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("score_100:Q", format=".0f"))
    return (bars + labels).properties(width=420, height=alt.Step(34))
