"""A person's dimension scores as horizontal bars on 0–100, drawn here as SVG.

A module page redraws this chart after the person's answers. Built as an Altair chart and drawn by
vl-convert it cost ~15 ms in the page's kernel and ~50–70 ms in the renderer for each trainee of a
workshop (the largest share of a burst's CPU after the sign-in); drawn here it costs well under a
millisecond. The same picture as Vega-Lite's (title, one bar and its value per scored dimension,
an axis with ticks every 20), and the same text alternative as every chart (``charts.labelled_svg``).
"""
from __future__ import annotations

from collections.abc import Iterable

from markupsafe import escape

from workbook.i18n import _, current_language

from .chart_style import CHART_FONTS, PALETTE, labelled_svg, missing, number_text, summary_text

INK, GRID, MUTED = "#1d2733", "#dddddd", "#888888"
WIDTH, STEP, BAR = 420, 34, 22  # plot width, row height and bar height (px), as the Altair chart had them
LABEL_PX = 6.2  # estimated width of one character of an 11 px label
LEFT_PAD = 10  # px left of the longest label


def score_bars_svg(scores: Iterable[tuple[str, float | None]], title: str = "", axis: str = "") -> str:
    """Bars of the ``(dimension, score on 0–100)`` pairs, or of a frame's ``score_100`` per ``dimension`` (unscored
    dimensions left out), as one SVG image named by its title and a summary of its figures (title and axis by default
    in the language shown). Needs neither pandas nor Altair: a module page draws it from its scores."""
    title, axis = title or _("Your scores (0–100)"), axis or _("score (0–100)")
    pairs = ((r.dimension, r.score_100) for r in scores.itertuples()) if hasattr(scores, "itertuples") else scores
    rows = [(str(name), float(score)) for name, score in pairs if not missing(score)]
    font = CHART_FONTS.get(current_language(), "sans-serif")
    left = LEFT_PAD + int(max((len(name) for name, _ in rows), default=0) * LABEL_PX)
    top, height = 30, STEP * max(len(rows), 1)
    width, total_height = left + WIDTH + 40, top + height + 44

    def x(score: float) -> float:
        return left + max(0.0, min(100.0, score)) / 100 * WIDTH

    parts = [f'<text x="{left + WIDTH / 2:.0f}" y="18" text-anchor="middle" font-size="13" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for tick in range(0, 101, 20):
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{top + height}" stroke="{GRID}"/>'
                     f'<text x="{tx:.1f}" y="{top + height + 15}" text-anchor="middle" font-size="10" fill="{INK}">{tick}</text>')
    for n, (name, score) in enumerate(rows):
        y = top + n * STEP + (STEP - BAR) / 2
        parts.append(f'<text x="{left - 6}" y="{y + BAR / 2 + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">{escape(name)}</text>'
                     f'<rect x="{left}" y="{y:.1f}" width="{x(score) - left:.1f}" height="{BAR}" fill="{PALETTE["primary"]}"/>'
                     f'<text x="{x(score) + 4:.1f}" y="{y + BAR / 2 + 4:.1f}" font-size="11" fill="{INK}">{number_text(score)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + height}" x2="{left + WIDTH}" y2="{top + height}" stroke="{MUTED}"/>'
                 f'<text x="{left + WIDTH / 2:.0f}" y="{top + height + 34}" text-anchor="middle" font-size="11" font-weight="bold" fill="{INK}">'
                 f'{escape(axis)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_height}" viewBox="0 0 {width} {total_height}" '
           f'font-family="{escape(font)}"><rect width="100%" height="100%" fill="white"/>{"".join(parts)}</svg>')
    summary = summary_text([f"{name} {number_text(score)}" for name, score in rows])
    return labelled_svg(svg, f"{title}: {summary}")
