"""The experience-map exercise (Module 5): the journey editor, saving each change through the page's saver."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.domain.journey import DEFAULT_STAGES
from workbook.i18n import _
from workbook.render.fragments import render_fragment

from ..common import HTML, safe
from ..journey_editor import JourneyEditor, MapBackend, summary_html
from . import ExerciseContext, register, summary


@register("journey_map")
def journey_map_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    stages = tuple(getattr(spec, "stages", None) or DEFAULT_STAGES)
    backend = MapBackend(ctx.db, ctx.identity, exercise=spec.id, save_value=safe(ctx.status)(ctx.saver.save))
    editor = JourneyEditor(backend, default_stages=stages, status=ctx.status)
    return [HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=None)), editor]


@summary("journey_map")
def journey_map_summary(spec: Exercise, saved: dict[str, object]) -> str:
    """Your results: per current map, the pain points and moments of truth you or your team control."""
    from workbook.domain.journey import load_map

    maps = [load_map(v["map"]) for v in saved.values() if isinstance(v, dict) and v.get("map")]
    if not maps:
        return str(render_fragment("exercise", part="muted", text=_("No experience map yet.")))
    return "".join(summary_html(m) for m in maps)
