"""Map one of your services onto the servuction system: a short description per element."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import ServuctionMapSpec, spec_of
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import fmt

from ..common import HTML, VBox, shared
from . import ExerciseContext, redrawn_on_change, register, summary


def map_results_html(cfg: ServuctionMapSpec, answers: dict[str, object]) -> str:
    """The person's servuction system as a table, naming the elements still to describe."""
    t = cfg.texts
    filled = {e.id: str(answers.get(e.id, "")).strip() for e in cfg.elements}
    if not any(filled.values()):
        return str(render_fragment("exercise_results", part="servuction_map", t=t, rows=[]))
    service = str(answers.get("service_name", "")).strip()
    rows = [(e.label, filled[e.id]) for e in cfg.elements]
    missing = [e.label for e in cfg.elements if not filled[e.id]]
    note = trusted(fmt(t.missing, elements=", ".join(missing))) if missing else t.complete
    return str(render_fragment("exercise_results", part="servuction_map", t=t, rows=rows, service=service, note=note))


@register("servuction_map", prebuild=True)
def servuction_map(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    cfg: ServuctionMapSpec = spec_of(spec)
    saved = ctx.saved(spec.id)

    def saving(item: str):
        return lambda ch: ctx.save(spec.id, item, ch["new"])

    # shared layout and style models: each model is one more message at sign-in (widgets/common.py)
    service = w.Text(value=str(saved.get("service_name", "")), continuous_update=False, layout=shared("full_width"), style=shared("text_style"),
                     tooltip=cfg.service_label)
    service.add_class(f"wb-ex-{spec.id}-service_name")
    service.observe(saving("service_name"), names="value")
    out: list[w.Widget] = [HTML(render_fragment("exercise", part="prompt", text=spec.prompt, hint=cfg.service_label)), service]
    for el in cfg.elements:
        area = w.Textarea(value=str(saved.get(el.id, "")), placeholder=cfg.texts.placeholder, continuous_update=False,
                          layout=shared("text_box"), style=shared("text_style"), tooltip=el.label)
        area.add_class(f"wb-ex-{spec.id}-{el.id}")
        area.observe(saving(el.id), names="value")
        out.append(VBox([HTML(render_fragment("exercise", part="item", text=el.label, hint=el.hint)), area]))
    return out


@summary("servuction_map")
@redrawn_on_change
def _summary(spec: Exercise, saved: dict[str, object]) -> str:
    return map_results_html(spec_of(spec), saved)
