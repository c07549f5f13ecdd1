"""GROW reflection (Module 9): the person's earlier results, then Goal, Reality, Options, Way forward."""
from __future__ import annotations

import ipywidgets as w

from workbook.analysis.person_results import digest_lines, person_results
from workbook.content.catalogue import Exercise
from workbook.render.fragments import render_fragment

from ..common import HTML
from . import ExerciseContext, register


def results_digest_html(lines: list[str], heading: str, empty: str) -> str:
    """The person's earlier results as an escaped list (or the 'no results yet' line)."""
    return str(render_fragment("exercise_results", part="digest", lines=lines, heading=heading, empty=empty))


@register("grow")
def grow_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    extra = spec.model_extra or {}
    digest = HTML()

    def refresh() -> None:
        lines = digest_lines(person_results(ctx.db, ctx.identity, ctx.identity.person_id))
        digest.value = results_digest_html(lines, extra.get("results_heading", "Your results so far"), extra.get("no_results", ""))

    refresh()
    ctx.on_change.append(refresh)
    saved = ctx.saved(spec.id)
    out: list[w.Widget] = [HTML(render_fragment("exercise", part="text", text=spec.prompt)), digest]
    for step in extra.get("steps", []):
        area = w.Textarea(value=str(saved.get(step["id"], "")), placeholder="Saved when you leave the box.", layout=w.Layout(width="100%", height="90px"),
                          tooltip=f"{step['label']}: {step['question']}")
        area.continuous_update = False
        area.observe(lambda ch, item=step["id"]: ctx.save(spec.id, item, ch["new"]), names="value")
        out += [HTML(render_fragment("exercise", part="step", label=step["label"], question=step["question"])), area]
    return out
