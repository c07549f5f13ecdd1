"""Manager-profile results: where the person stands between the two profiles, and retakes."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise, catalogue
from workbook.i18n import _
from workbook.render.fragments import render_fragment
from workbook.render.person_360_html import attempts_html, placement_html
from workbook.store import attempts, start_new_attempt

from ..common import HTML, safe
from . import ExerciseContext, register


def _instrument(ctx: ExerciseContext, spec: Exercise):
    return catalogue().instrument((spec.model_extra or {}).get("instrument") or ctx.module.instrument)


@register("profile_result")
def profile_result(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    """The placement between the two profiles, strengths and gaps; redrawn after every save."""
    inst = _instrument(ctx, spec)
    box = HTML()
    box.add_class("wb-profile-result")

    def refresh() -> None:
        box.value = placement_html(inst, ctx.saved(inst.id), spec.model_extra)

    ctx.on_change.append(refresh)
    safe(ctx.status)(refresh)()
    return [HTML(render_fragment("exercise", part="heading", level=2, text=spec.prompt or _("Where you stand"))), box]


@register("attempts")
def attempts_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    """Earlier attempts side by side and a button to start a retake (earlier attempts are kept)."""
    inst = _instrument(ctx, spec)
    box = HTML()
    box.add_class("wb-attempts")
    person = ctx.identity.person_id

    def refresh() -> None:
        box.value = attempts_html(inst, attempts(ctx.db, ctx.identity, person, inst.id))

    def retake() -> None:
        n = start_new_attempt(ctx.db, ctx.identity, person, ctx.module.id, inst.id)
        if ctx.instrument_form is not None:
            ctx.instrument_form.restore({})
        for hook in ctx.on_change:
            hook()
        ctx.status.ok(_("Attempt {n} started: answer the statements again; your earlier answers are kept.").format(n=n))

    button = w.Button(description=_("Start a retake"), icon="refresh")
    button.on_click(lambda _b: safe(ctx.status)(retake)())
    ctx.on_change.append(refresh)
    safe(ctx.status)(refresh)()
    return [HTML(render_fragment("exercise", part="heading", level=2, text=spec.prompt or _("Your attempts over time"))), box, button]
