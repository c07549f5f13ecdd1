"""Sort client statements into outcome or process; feedback against the expert key."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import ClassifySpec, spec_of
from workbook.content.statements import StatementSet, load_statements
from workbook.domain.classification import grade, key_counts
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import fmt
from workbook.settings import get_settings

from ..common import HTML
from . import ExerciseContext, redrawn_on_change, register, summary


def statements_for(cfg: ClassifySpec) -> StatementSet:
    """The statements file named by the exercise, from the datasets directory."""
    return load_statements(get_settings().datasets_dir / cfg.dataset)


def classify_results_html(cfg: ClassifySpec, data: StatementSet, answers: dict[str, object]) -> str:
    """Score against the key, a chart per theme, and each missed statement with its explanation."""
    import pandas as pd

    from workbook.render.charts import classification_chart, to_svg
    t = cfg.texts
    g = grade(data.statements, answers)
    counts = key_counts(data.statements)
    share = trusted(fmt(t.key_share, process=counts['process'], outcome=counts['outcome'], total=g.total))
    if g.answered == 0:
        return str(render_fragment("exercise", part="muted", text=trusted(fmt(t.unanswered, total=g.total))))
    labels = {o.id: o.label for o in cfg.options}
    rows = []
    for theme, (right, wrong) in g.by_theme.items():
        rows += [
            {"theme": data.themes[theme], "result": t.right, "count": right, "rank": 0},
            {"theme": data.themes[theme], "result": t.wrong, "count": wrong, "rank": 1},
        ]
    chart = to_svg(classification_chart(pd.DataFrame(rows), t.chart_title, t.theme_axis, t.count_axis))
    missed = [trusted(fmt(t.missed_item, statement=m.statement.text, given=labels.get(m.given, m.given), key=labels.get(m.statement.key, m.statement.key),
                          explanation=m.statement.explanation)) for m in g.missed]
    score = trusted(fmt(t.score, correct=g.correct, answered=g.answered, total=g.total))
    return str(render_fragment("exercise_results", part="classify", t=t, score=score, chart=trusted(chart), share=share, missed=missed))


@register("classify", prebuild=True)
def classify(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    cfg: ClassifySpec = spec_of(spec)
    data = statements_for(cfg)
    saved = ctx.saved(spec.id)
    options = [(o.label, o.id) for o in cfg.options]
    valid = {o.id for o in cfg.options}
    rows: list[w.Widget] = []
    for n, s in enumerate(data.statements, 1):
        radio = w.RadioButtons(options=options, value=saved.get(s.id) if saved.get(s.id) in valid else None, layout=w.Layout(width="auto"))
        radio.add_class("wb-likert")
        radio.add_class(f"wb-ex-{spec.id}-{s.id}")
        radio.observe(lambda ch, sid=s.id: ctx.save(spec.id, sid, ch["new"]), names="value")
        rows.append(w.VBox([HTML(render_fragment("exercise", part="statement", n=n, text=s.text)), radio]))
    return [HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=None)), w.VBox(rows)]


@summary("classify")
@redrawn_on_change
def _summary(spec: Exercise, saved: dict[str, object]) -> str:
    cfg = spec_of(spec)
    return classify_results_html(cfg, statements_for(cfg), saved)
