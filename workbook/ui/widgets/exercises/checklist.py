"""Rated checklist: score an offer lever by lever against a marketing mix (e.g. POSSIBLE)."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise, catalogue
from workbook.content.exercise_specs import RatedChecklist, spec_of
from workbook.domain.service_analysis import checklist_fit
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from ..common import HTML
from . import ExerciseContext, register, summary


def citation_html(source: str, where: str, own_label: str) -> str:
    """The line under an exercise saying where its content comes from (or that it is the workbook's own)."""
    if not source:
        return ""
    if source == "workbook":
        return str(render_fragment("exercise", part="citation", own=own_label))
    src = catalogue().sources[source]
    return str(render_fragment("exercise", part="citation", own="", author=src.author, title=src.title, where=where or src.where))


def fit_of(spec: Exercise, saved: dict[str, object]):
    """The checklist's fit (percent, rated, total, gaps) from saved answers."""
    s: RatedChecklist = spec_of(spec)
    return checklist_fit(saved, [i.id for i in s.items], max(o.value for o in s.options))


@register("rated_checklist", prebuild=True)
def rated_checklist(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    s: RatedChecklist = spec_of(spec)
    saved = ctx.saved(spec.id)
    options = [(o.label, o.value) for o in s.options]
    valid = {o.value for o in s.options}
    rows: list[w.Widget] = []
    head = render_fragment("exercise", part="heading", level=3, text=s.title)
    if spec.prompt:
        head += render_fragment("exercise", part="markdown", css="wb-prompt", html=trusted(markdown_html(spec.prompt)))
    own = " wb-own" if s.source == "workbook" else ""
    for item in s.items:
        label = HTML(render_fragment("exercise", part="item", text=item.label, hint=item.text or None))
        value = saved.get(item.id)
        radio = w.RadioButtons(options=options, value=value if value in valid else None, layout=w.Layout(width="auto"))
        radio.add_class("wb-likert")
        radio.add_class(f"wb-item-{item.id}")
        radio.observe(lambda ch, item_id=item.id: ctx.save(spec.id, item_id, ch["new"]), names="value")
        rows.append(w.VBox([label, radio]))
    box = w.VBox([HTML(head + citation_html(s.source, s.where, s.own_label)), *rows])
    box.add_class("wb-ex")
    box.add_class(f"wb-ex-{spec.id}")
    if own:
        box.add_class("wb-own")
    return [box]


@summary("rated_checklist")
def checklist_summary(spec: Exercise, saved: dict[str, object]) -> str:
    s: RatedChecklist = spec_of(spec)
    fit = fit_of(spec, saved)
    percent = "—" if fit.percent is None else f"{fit.percent:.0f}"
    line = s.summary.format(title=s.title, percent=percent, rated=fit.rated, total=fit.total)
    labels = {i.id: i.label for i in s.items}
    return str(render_fragment("exercise_results", part="checklist", line=line, gaps_label=s.gaps_label, gaps=[labels[g] for g in fit.gaps]))
