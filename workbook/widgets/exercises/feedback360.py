"""360-degree feedback inside a module: invite raters by category, see the anonymised comparison."""
from __future__ import annotations

import ipywidgets as w

from ...auth import RATER_CATEGORIES
from ...content import Exercise, catalogue
from ...feedback360 import CATEGORY_LABELS
from ...results360 import feedback_for, feedback_html, placement_html
from ...store import invite_rater
from ..common import HTML, esc, safe
from . import ExerciseContext, register


@register("feedback360")
def feedback360_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    """Invite a rater (category + a private label) → a rater code shown once; the results under the anonymity rules."""
    extra = spec.model_extra or {}
    inst = catalogue().instrument(extra.get("instrument") or ctx.module.instrument)
    person = ctx.identity.person_id
    category = w.Dropdown(options=[(CATEGORY_LABELS[c].rstrip("s") if c != "direct_report" else "Direct report", c) for c in RATER_CATEGORIES], description="Rater is my")
    label = w.Text(placeholder="a name only you will see", description="Note", layout=w.Layout(width="320px"))
    invite = w.Button(description="Create a rater code", button_style="primary")
    codes = HTML()
    issued: list[str] = []
    codes.add_class("wb-rater-codes")
    results = HTML()
    results.add_class("wb-360-results")
    profile = HTML()
    refresh_btn = w.Button(description="Refresh results", icon="refresh")
    gap = ctx.db.settings.blind_spot_gap

    def refresh() -> None:
        fb, counts = feedback_for(ctx.db, ctx.identity, person, inst)
        results.value = feedback_html(fb, counts, gap)
        profile.value = placement_html(inst, ctx.saved(inst.id), extra, feedback=fb)

    def make_code() -> None:
        _rid, code = invite_rater(ctx.db, ctx.identity, person, category.value, inst.id, label.value)
        who = esc(label.value.strip() or CATEGORY_LABELS[category.value])
        issued.append(
            f'<li>{who}: <code class="wb-rater-code">{esc(code)}</code> — send it with the link to the rater page '
            "(<code>rater.ipynb</code>); it is shown only now.</li>"
        )
        codes.value = f"<ul>{''.join(issued)}</ul>"
        label.value = ""
        refresh()

    invite.on_click(lambda _b: safe(ctx.status)(make_code)())
    refresh_btn.on_click(lambda _b: safe(ctx.status)(refresh)())
    ctx.on_change.append(lambda: safe(ctx.status)(refresh)())
    safe(ctx.status)(refresh)()
    return [
        HTML(f"<h2>{esc(spec.prompt or '360-degree feedback')}</h2>"),
        HTML(f'<p>{esc(extra.get("intro", ""))}</p>'),
        w.HBox([category, label, invite]),
        codes,
        HTML("<h3>What your raters see in you</h3>"), results, profile, refresh_btn,
    ]
