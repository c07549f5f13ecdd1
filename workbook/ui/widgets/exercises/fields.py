"""Text fields: a few labelled boxes answered together, each saved when the person leaves it."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import TextFields, spec_of
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from ..common import HTML
from . import ExerciseContext, register, summary


@register("text_fields", prebuild=True)
def text_fields(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    s: TextFields = spec_of(spec)
    saved = ctx.saved(spec.id)
    parts: list[w.Widget] = [HTML(render_fragment("exercise", part="markdown", css="wb-prompt", html=trusted(markdown_html(spec.prompt))) if spec.prompt else "")]
    for f in s.fields:
        area = w.Textarea(value=str(saved.get(f.id, "")), placeholder=f.placeholder, layout=w.Layout(width="100%", height=f"{30 + 22 * f.lines}px"),
                          tooltip=f.label)  # its accessible name: the label above
        area.continuous_update = False
        area.add_class(f"wb-field-{f.id}")
        area.observe(lambda ch, fid=f.id: ctx.save(spec.id, fid, ch["new"]), names="value")
        parts += [HTML(render_fragment("exercise", part="item", text=f.label, hint=None)), area]
    box = w.VBox(parts)
    box.add_class("wb-ex")
    box.add_class(f"wb-ex-{spec.id}")
    return [box]


@summary("text_fields")
def fields_summary(spec: Exercise, saved: dict[str, object]) -> str:
    s: TextFields = spec_of(spec)
    filled = [(f.label, str(saved[f.id])) for f in s.fields if str(saved.get(f.id, "")).strip()]
    if not filled:
        return ""
    return str(render_fragment("exercise_results", part="fields", heading=s.summary_heading, filled=filled))
