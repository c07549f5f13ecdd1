"""Pick one: a single choice among a few options (e.g. a rung of a ladder), with feedback and a reason."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Exercise
from workbook.content.exercise_specs import PickOne, spec_of
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from ..common import HTML
from . import ExerciseContext, register, summary


def _feedback(s: PickOne, value: object) -> str:
    text = s.feedback.get(str(value), "") if value is not None else ""
    return str(render_fragment("exercise", part="markdown", css="wb-box", html=trusted(markdown_html(text)))) if text else ""


@register("pick_one", prebuild=True)
def pick_one(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    s: PickOne = spec_of(spec)
    saved = ctx.saved(spec.id)
    by_value = {str(o.value): o.value for o in s.options}
    chosen = by_value.get(str(saved.get("choice"))) if saved.get("choice") is not None else None
    radio = w.RadioButtons(options=[(f"{o.label} — {o.text}" if o.text else o.label, o.value) for o in s.options], value=chosen, layout=w.Layout(width="auto"))
    radio.add_class("wb-pick")
    feedback = HTML(_feedback(s, chosen))

    def changed(ch) -> None:
        feedback.value = _feedback(s, ch["new"])
        ctx.save(spec.id, "choice", ch["new"])

    radio.observe(changed, names="value")
    parts: list[w.Widget] = [HTML(render_fragment("exercise", part="markdown", css="wb-prompt", html=trusted(markdown_html(spec.prompt))) if spec.prompt else ""), radio, feedback]
    if s.why_label:
        why = w.Textarea(value=str(saved.get("why", "")), layout=w.Layout(width="100%", height="80px"), tooltip=s.why_label)
        why.continuous_update = False
        why.add_class("wb-field-why")
        why.observe(lambda ch: ctx.save(spec.id, "why", ch["new"]), names="value")
        parts += [HTML(render_fragment("exercise", part="item", text=s.why_label, hint=None)), why]
    box = w.VBox(parts)
    box.add_class("wb-ex")
    box.add_class(f"wb-ex-{spec.id}")
    return [box]


@summary("pick_one")
def pick_summary(spec: Exercise, saved: dict[str, object]) -> str:
    s: PickOne = spec_of(spec)
    value = saved.get("choice")
    option = next((o for o in s.options if str(o.value) == str(value)), None) if value is not None else None
    if option is None:
        return ""
    why = str(saved.get("why", "")).strip()
    return str(render_fragment("exercise_results", part="pick", line=s.summary.format(label=option.label), why=why if s.why_label else '', why_label=s.why_label))
