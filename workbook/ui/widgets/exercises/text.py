"""Free-text reflection: one text area, saved when the person leaves it."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.render.fragments import render_fragment

from ..common import HTML
from . import ExerciseContext, register


@register("text", prebuild=True)
def text_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    saved = ctx.saved(spec.id).get("text", "")
    area = w.Textarea(value=str(saved), placeholder="Type here; it is saved when you leave the box.", layout=w.Layout(width="100%", height="110px"),
                      tooltip=spec.prompt)  # its accessible name: the prompt above
    area.continuous_update = False
    area.observe(lambda ch: ctx.save(spec.id, "text", ch["new"]), names="value")
    return [HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=None)), area]
