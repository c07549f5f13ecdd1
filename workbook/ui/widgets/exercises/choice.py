"""A choice among options from the YAML (e.g. development routes), each saved as it is ticked, with a note."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.render.fragments import render_fragment

from ..common import HTML
from . import ExerciseContext, register

NOTE = "note"


@register("choice", prebuild=True)
def choice_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    """One checkbox per option (``options: [{id, label, description}]``) and an optional note (``note_prompt``)."""
    extra = spec.model_extra or {}
    saved = ctx.saved(spec.id)
    out: list[w.Widget] = [HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=None))]
    for opt in extra.get("options", []):
        box = w.Checkbox(value=bool(saved.get(opt["id"], False)), description=str(opt["label"]), indent=False)
        box.add_class(f"wb-choice-{opt['id']}")
        box.observe(lambda ch, oid=opt["id"]: ctx.save(spec.id, oid, bool(ch["new"])), names="value")
        out += [box, HTML(render_fragment("exercise", part="option_note", text=opt.get("description", "")))]
    if extra.get("note_prompt"):
        area = w.Textarea(value=str(saved.get(NOTE, "")), placeholder="Saved when you leave the box.", layout=w.Layout(width="100%", height="90px"))
        area.continuous_update = False
        area.observe(lambda ch: ctx.save(spec.id, NOTE, ch["new"]), names="value")
        out += [HTML(render_fragment("exercise", part="prompt", text=extra["note_prompt"], hint=None)), area]
    return out
