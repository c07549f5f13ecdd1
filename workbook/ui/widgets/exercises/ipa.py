"""What the company invests in against what its clients cite: the importance–investment grid."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import IpaSpec, spec_of
from workbook.domain.ipa import by_category, ipa_frame
from workbook.render.charts import ipa_chart, to_svg
from workbook.render.html import esc

from ..common import HTML
from . import ExerciseContext, redrawn_on_change, register, summary


def ipa_results_html(cfg: IpaSpec, answers: dict[str, object]) -> str:
    """The grid as a chart, then the elements never identified and the effort clients ignore."""
    t = cfg.texts
    frame = ipa_frame(answers.get("invest") or [], answers.get("cite") or [], cfg.high)
    if frame.empty:
        return f'<p class="wb-muted">{esc(t.empty)}</p>'
    top = max(cfg.levels)
    chart = to_svg(ipa_chart(frame, cfg.high, top, t.chart_title, t.investment_axis, t.importance_axis, dict(cfg.categories)))
    groups = by_category(frame)

    def listing(key: str, heading: str) -> str:
        names = groups[key]
        body = "".join(f"<li>{esc(n)}</li>" for n in names) if names else f"<li class='wb-muted'>{esc(t.none)}</li>"
        return f"<h3>{esc(heading)}</h3><ul class='wb-ipa-{key}'>{body}</ul>"

    rows = "".join(
        f"<tr><td>{esc(r.element)}</td><td>{r.importance or '—'}</td><td>{r.investment or '—'}</td><td>{esc(cfg.categories[r.category])}</td></tr>"
        for r in frame.itertuples()
    )
    table = (
        f'<table class="wb-table"><tr><th>{esc(t.element_column)}</th><th>{esc(t.importance_column)}</th>'
        f"<th>{esc(t.investment_column)}</th><th>{esc(t.category_heading)}</th></tr>{rows}</table>"
    )
    return f'<div class="wb-chart">{chart}</div>' + listing("never_identified", t.never_identified) + listing("ignored", t.ignored) + table


def _row_list(rows: list[tuple[w.Text, w.Dropdown]], key: str) -> list[dict]:
    return [{"element": text.value.strip(), key: level.value} for text, level in rows]


def _row(*children: w.Widget) -> w.HBox:
    box = w.HBox(list(children))
    box.add_class("wb-row")
    return box


@register("ipa")
def ipa(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    cfg: IpaSpec = spec_of(spec)
    t = cfg.texts
    saved = ctx.saved(spec.id)
    levels = [("—", 0)] + [(f"{k} {v}", k) for k, v in sorted(cfg.levels.items())]
    valid = {v for _l, v in levels}

    def make_rows(item: str, key: str, combo: bool) -> list[tuple[w.Widget, w.Dropdown]]:
        old = saved.get(item) if isinstance(saved.get(item), list) else []
        rows = []
        for n in range(cfg.rows):
            prev = old[n] if n < len(old) and isinstance(old[n], dict) else {}
            cls = w.Combobox if combo else w.Text
            text = cls(value=str(prev.get("element", "")), placeholder=t.element_placeholder, continuous_update=False, layout=w.Layout(width="320px"))
            level = w.Dropdown(options=levels, value=prev.get(key) if prev.get(key) in valid else 0, layout=w.Layout(width="190px"))
            text.add_class(f"wb-ex-{spec.id}-{item}-{n}-element")
            level.add_class(f"wb-ex-{spec.id}-{item}-{n}-level")
            rows.append((text, level))
        return rows

    invest = make_rows("invest", "level", combo=False)
    cite = make_rows("cite", "importance", combo=True)

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
        head = HTML(f'<h3>{esc(heading)}</h3><div class="wb-muted">{esc(hint)}</div><div class="wb-muted">{esc(column)}</div>')
        return w.VBox([head] + [_row(a, b) for a, b in rows])

    return [
        HTML(f'<p class="wb-item">{esc(spec.prompt)}</p>'),
        block(t.invest_heading, t.invest_hint, t.invest_level, invest),
        block(t.cite_heading, t.cite_hint, t.importance_level, cite),
    ]


@summary("ipa")
@redrawn_on_change
def _summary(spec: Exercise, saved: dict[str, object]) -> str:
    return ipa_results_html(spec_of(spec), saved)
