"""What the company invests in against what its clients cite: the importance–investment grid."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import IpaSpec, spec_of
from workbook.render.fragments import render_fragment, trusted

from ..common import HTML
from . import ExerciseContext, redrawn_on_change, register, summary


def ipa_results_html(cfg: IpaSpec, answers: dict[str, object]) -> str:
    """The grid as a chart, then the elements never identified and the effort clients ignore."""
    from workbook.domain.ipa import by_category, ipa_frame  # pandas, and Altair below, only when the grid is drawn
    from workbook.render.charts import ipa_chart, to_svg

    t = cfg.texts
    frame = ipa_frame(answers.get("invest") or [], answers.get("cite") or [], cfg.high)
    if frame.empty:
        return str(render_fragment("exercise", part="muted", text=t.empty))
    top = max(cfg.levels)
    chart = to_svg(ipa_chart(frame, cfg.high, top, t.chart_title, t.investment_axis, t.importance_axis, dict(cfg.categories)))
    return str(render_fragment("exercise_results", part="ipa", t=t, chart=trusted(chart), groups=by_category(frame), rows=list(frame.itertuples()), categories=cfg.categories))


def _row_list(rows: list[tuple[w.Text, w.Dropdown]], key: str) -> list[dict]:
    return [{"element": text.value.strip(), key: level.value} for text, level in rows]


def _row(*children: w.Widget) -> w.HBox:
    box = w.HBox(list(children))
    box.add_class("wb-row")
    return box


@register("ipa", prebuild=True)
def ipa(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    cfg: IpaSpec = spec_of(spec)
    t = cfg.texts
    saved = ctx.saved(spec.id)
    levels = [("—", 0)] + [(f"{k} {v}", k) for k, v in sorted(cfg.levels.items())]
    valid = {v for _l, v in levels}

    def make_rows(item: str, key: str, combo: bool, level_label: str) -> list[tuple[w.Widget, w.Dropdown]]:
        old = saved.get(item) if isinstance(saved.get(item), list) else []
        rows = []
        for n in range(cfg.rows):
            prev = old[n] if n < len(old) and isinstance(old[n], dict) else {}
            cls = w.Combobox if combo else w.Text
            text = cls(value=str(prev.get("element", "")), placeholder=t.element_placeholder, continuous_update=False, layout=w.Layout(width="320px"),
                       tooltip=f"{t.element_placeholder} {n + 1}")
            level = w.Dropdown(options=levels, value=prev.get(key) if prev.get(key) in valid else 0, layout=w.Layout(width="190px"),
                                tooltip=f"{level_label} {n + 1}")
            text.add_class(f"wb-ex-{spec.id}-{item}-{n}-element")
            level.add_class(f"wb-ex-{spec.id}-{item}-{n}-level")
            rows.append((text, level))
        return rows

    invest = make_rows("invest", "level", combo=False, level_label=t.invest_level)
    cite = make_rows("cite", "importance", combo=True, level_label=t.importance_level)

    def offer_invest_names() -> None:
        names = sorted({text.value.strip() for text, _l in invest if text.value.strip()})
        for text, _l in cite:
            text.options = names

    def save_invest(_ch) -> None:
        offer_invest_names()
        ctx.save(spec.id, "invest", _row_list(invest, "level"))

    def save_cite(_ch) -> None:
        ctx.save(spec.id, "cite", _row_list(cite, "importance"))

    offer_invest_names()
    for text, level in invest:
        text.observe(save_invest, names="value")
        level.observe(save_invest, names="value")
    for text, level in cite:
        text.observe(save_cite, names="value")
        level.observe(save_cite, names="value")

    def block(heading: str, hint: str, column: str, rows) -> w.Widget:
        head = HTML(render_fragment("exercise", part="block", heading=heading, hint=hint, column=column))
        return w.VBox([head] + [_row(a, b) for a, b in rows])

    return [
        HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=None)),
        block(t.invest_heading, t.invest_hint, t.invest_level, invest),
        block(t.cite_heading, t.cite_hint, t.importance_level, cite),
    ]


@summary("ipa")
@redrawn_on_change
def _summary(spec: Exercise, saved: dict[str, object]) -> str:
    return ipa_results_html(spec_of(spec), saved)
