"""The experience-map exercise (Module 5): the journey editor, saving each change through the page's saver."""
from __future__ import annotations

import ipywidgets as w

from ...content import Exercise
from ...journey import DEFAULT_STAGES
from ..common import esc, safe
from ..journey import JourneyEditor, MapBackend
from . import ExerciseContext, register


@register("journey_map")
def journey_map_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    stages = tuple(getattr(spec, "stages", None) or DEFAULT_STAGES)
    backend = MapBackend(ctx.db, ctx.identity, exercise=spec.id, save_value=safe(ctx.status)(ctx.saver.save))
    editor = JourneyEditor(backend, default_stages=stages, status=ctx.status)
    return [w.HTML(f'<p class="wb-item">{esc(spec.prompt)}</p>'), editor]
