"""What every chart shares, whether Altair draws it (``charts``) or Python does (``score_bars``): the palette, the
font per language, the accessible name of an SVG and its text alternative. Imports neither Altair nor pandas, so a
page that draws only Python-drawn charts (Module 1's score bars) loads neither.
"""
from __future__ import annotations

PALETTE = {"primary": "#1f5f8b", "accent": "#e07a1f", "muted": "#9aa5b1"}
# The font family of a chart's text per language. Chinese names Noto Sans CJK SC (installed with the workbook's
# system packages: fonts-noto-cjk) so the SVG's text, vl-convert's PNG and Chromium's PDF all draw the Han
# characters with it rather than with whatever fallback a viewer has; other languages keep Vega's default.
CHART_FONTS = {"zh": "Noto Sans CJK SC, Noto Sans CJK, sans-serif"}


def missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA (what ``pandas.isna`` says of one value), without importing pandas."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except TypeError:  # pandas.NA: its comparison is NA, which has no truth value
        return True


def labelled_svg(svg: str, label: str) -> str:
    """The SVG as one image with ``label`` as its accessible name (role="img", aria-label and a <title>)."""
    from .fragments import render_fragment

    if not label or not svg.startswith("<svg") or 'role="img"' in svg[:400]:
        return svg
    head, sep, rest = svg.partition(">")
    return f"{head} {render_fragment('chart_label', part='attributes', label=label)}{sep}{render_fragment('chart_label', part='title', label=label)}{rest}"


def summary_text(parts: list[str]) -> str:
    """A chart's text alternative from its data, one "label value" part per mark (README "Accessibility")."""
    return "; ".join(p for p in parts if p) + "."


def number_text(value: object, spec: str = ".0f") -> str:
    """A figure for a text alternative (``—`` when missing); score_bars' SVG bars write theirs with it too."""
    return "—" if missing(value) else format(float(value), spec)
