"""The phases of one client relationship: duration, who is involved, where; drawn as a timeline."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import TimelineSpec, spec_of
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import fmt

from ..common import HTML
from . import ExerciseContext, redrawn_on_change, register, summary


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def timeline_results_html(cfg: TimelineSpec, answers: dict[str, object]) -> str:
    """The timeline chart and what it says about time (before/after delivery) and space."""
    from workbook.domain.timeline import phases_from_answers, summarise, timeline_frame  # pandas, Altair: when drawn
    from workbook.render.charts import timeline_chart, to_svg

    t = cfg.texts
    phases = phases_from_answers([(p.id, p.label) for p in cfg.phases], answers)
    summary = summarise(phases, cfg.delivery_phase)
    frame = timeline_frame(phases)
    if summary.described == 0 or summary.total <= 0:
        return str(render_fragment("exercise", part="muted", text=t.incomplete))
    places = {p.id: p.label for p in cfg.places}
    chart = to_svg(timeline_chart(frame, t.chart_title, fmt(t.axis, unit=cfg.unit), t.place_legend, places))
    share = summary.share_outside
    lines = [trusted(line) for line in (
        fmt(t.stretch, before=_num(summary.before), after=_num(summary.after), unit=cfg.unit, share=f"{share:.0%}" if share is not None else "—"),
        fmt(
            t.space,
            client_site=summary.places.get(cfg.client_site, 0),
            remote=summary.places.get(cfg.remote, 0),
            own_site=summary.places.get(cfg.own_site, 0),
            described=sum(summary.places.values()),
        ),
    )]
    return str(render_fragment("exercise_results", part="timeline", chart=trusted(chart), lines=lines))


@register("timeline", prebuild=True)
def timeline(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    cfg: TimelineSpec = spec_of(spec)
    t = cfg.texts
    saved = ctx.saved(spec.id)

    def saving(item: str, convert=lambda v: v):
        return lambda ch: ctx.save(spec.id, item, convert(ch["new"]))

    rel = w.Text(value=str(saved.get("relationship", "")), continuous_update=False, layout=w.Layout(width="100%"), tooltip=cfg.relationship_label)
    rel.add_class(f"wb-ex-{spec.id}-relationship")
    rel.observe(saving("relationship"), names="value")
    out: list[w.Widget] = [HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=cfg.relationship_label)), rel]
    where_options = [(t.where_none, "")] + [(p.label, p.id) for p in cfg.places]
    for phase in cfg.phases:
        dur_saved = saved.get(f"{phase.id}.duration")
        duration = w.BoundedFloatText(
            value=float(dur_saved) if isinstance(dur_saved, (int, float)) and not isinstance(dur_saved, bool) else 0.0,
            min=0.0, max=cfg.max_duration, step=0.5, continuous_update=False, layout=w.Layout(width="110px"),
            tooltip=f"{phase.label}: {t.duration.format(unit=cfg.unit)}",  # accessible names (title): the labels above are not <label>s
        )
        who = w.Text(value=str(saved.get(f"{phase.id}.who", "")), continuous_update=False, layout=w.Layout(width="260px"), tooltip=f"{phase.label}: {t.who}")
        where_saved = saved.get(f"{phase.id}.where", "")
        where = w.Dropdown(options=where_options, value=where_saved if where_saved in {v for _l, v in where_options} else "", layout=w.Layout(width="150px"),
                           tooltip=f"{phase.label}: {t.where}")
        for widget, field in ((duration, "duration"), (who, "who"), (where, "where")):
            widget.add_class(f"wb-ex-{spec.id}-{phase.id}-{field}")
        duration.observe(saving(f"{phase.id}.duration", lambda v: round(float(v), 2)), names="value")
        who.observe(saving(f"{phase.id}.who"), names="value")
        where.observe(saving(f"{phase.id}.where"), names="value")
        labels = HTML(render_fragment("exercise", part="item", text=phase.label, hint=phase.hint))
        fields = w.HBox([
            w.VBox([HTML(render_fragment("exercise", part="label", text=trusted(fmt(t.duration, unit=cfg.unit)))), duration]),
            w.VBox([HTML(render_fragment("exercise", part="label", text=t.who)), who]),
            w.VBox([HTML(render_fragment("exercise", part="label", text=t.where)), where]),
        ], layout=w.Layout(flex_flow="row wrap"))
        fields.add_class("wb-row")
        out.append(w.VBox([labels, fields]))
    return out


@summary("timeline")
@redrawn_on_change
def _summary(spec: Exercise, saved: dict[str, object]) -> str:
    return timeline_results_html(spec_of(spec), saved)
