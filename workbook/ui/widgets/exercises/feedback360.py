"""360-degree feedback inside a module: nominate raters (the coach approves and sends their codes:
the trainee never sees one), follow the response rate, and see the results once the round closes."""
from __future__ import annotations

import ipywidgets as w

from workbook.analysis.person_360 import feedback_for
from workbook.content.catalogue import RATER_CATEGORIES, Exercise, catalogue
from workbook.i18n import LANGUAGES, _, _l, current_language, language_name
from workbook.render.fragments import render_fragment
from workbook.render.person_360_html import feedback_html, placement_html, pulse_html, round_html
from workbook.store import feedback_rounds, list_raters, nominate_rater, revoke_rater

from ..common import HTML, safe, set_options
from . import ExerciseContext, register

SINGULAR = {"manager": _l("Manager"), "peer": _l("Peer"), "direct_report": _l("Direct report"), "client": _l("Client")}


def nominations_html(raters) -> str:
    """The trainee's nominated raters: name, e-mail, category and where each invitation stands (no code)."""
    if not raters:
        return str(render_fragment("exercise", part="muted", text=_("No rater nominated yet.")))
    rows = [(r.label, r.email, SINGULAR.get(r.category, r.category), r.status_text) for r in raters]
    return str(render_fragment("exercise", part="table", css="wb-table", heads=(_("Rater"), _("E-mail"), _("Category"), _("Invitation")), rows=rows))


def intro_text(intro: str, threshold: int) -> str:
    """The exercise's intro with ``{threshold}`` replaced by the anonymity threshold in force
    (settings.anonymity_threshold), so the number of raters it asks for is the one the page applies."""
    return intro.replace("{threshold}", str(threshold))


@register("feedback360")
def feedback360_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    """Nominate raters (name, e-mail, category); the response rate while the round is open; the
    anonymised results once it is closed."""
    extra = spec.model_extra or {}
    inst = catalogue().instrument(extra.get("instrument") or ctx.module.instrument)
    person = ctx.identity.person_id
    category = w.Dropdown(options=[(str(SINGULAR[c]), c) for c in RATER_CATEGORIES], description=_("Rater is my"))
    language = w.Dropdown(options=[(language_name(c), c) for c in LANGUAGES], value=current_language(), description=_("Their language"))
    language.add_class("wb-rater-language")
    name = w.Text(placeholder=_("first and last name"), description=_("Name"), layout=w.Layout(width="320px"))
    email = w.Text(placeholder=_("name@company.com"), description=_("E-mail"), layout=w.Layout(width="320px"))
    nominate = w.Button(description=_("Nominate"), button_style="primary")
    listing = HTML()
    listing.add_class("wb-rater-list")
    withdraw_pick = w.Dropdown(description=_("Withdraw"), layout=w.Layout(width="320px"))
    withdraw = w.Button(description=_("Withdraw nomination"))
    rounds = HTML()
    rounds.add_class("wb-360-round")
    results = HTML()
    results.add_class("wb-360-results")
    pulse = HTML()
    pulse.add_class("wb-360-pulse")
    profile = HTML()
    refresh_btn = w.Button(description=_("Refresh results"), icon="refresh")
    gap = ctx.db.settings.blind_spot_gap

    def refresh() -> None:
        raters = list_raters(ctx.db, ctx.identity, person, inst.id)
        listing.value = nominations_html(raters)
        set_options(withdraw_pick, [(f"{r.label} ({SINGULAR.get(r.category, r.category)})", r.id) for r in raters if r.status != "withdrawn"])
        rounds.value = round_html(feedback_rounds(ctx.db, ctx.identity, person, inst.id), ctx.db.settings)
        fb, counts = feedback_for(ctx.db, ctx.identity, person, inst)
        results.value = feedback_html(fb, counts, gap) if any(n for n, _a in counts.values()) else (
            render_fragment("exercise", part="muted", text=_("No closed feedback round yet: results appear here once your round closes.")))
        pulse.value = pulse_html(ctx.db, ctx.identity, person, inst)
        profile.value = placement_html(inst, ctx.saved(inst.id), extra, feedback=fb)

    def add() -> None:
        nominate_rater(ctx.db, ctx.identity, person, name.value, email.value, category.value, inst.id, language=language.value)
        name.value = email.value = ""
        refresh()
        ctx.status.ok(_("Nominated. Your coach sends the rater their code; you never see it."))

    def remove() -> None:
        if withdraw_pick.value is None:
            return
        revoke_rater(ctx.db, ctx.identity, person, withdraw_pick.value)
        refresh()
        ctx.status.ok(_("Nomination withdrawn."))

    nominate.on_click(lambda _b: safe(ctx.status)(add)())
    withdraw.on_click(lambda _b: safe(ctx.status)(remove)())
    refresh_btn.on_click(lambda _b: safe(ctx.status)(refresh)())
    ctx.on_change.append(lambda: safe(ctx.status)(refresh)())
    safe(ctx.status)(refresh)()
    return [
        HTML(render_fragment("exercise", part="heading", level=2, text=spec.prompt or _("360-degree feedback"))),
        HTML(render_fragment("exercise", part="text", text=intro_text(extra.get("intro", ""), ctx.db.settings.anonymity_threshold))),
        HTML(render_fragment("exercise", part="text", text=_(
            "Nominate each rater with their name, e-mail, how they know you and the language they read. Your coach approves "
            "the list and the workbook sends each rater a personal code: you never see the codes, so nobody can answer in "
            "a rater's place."))),
        w.HBox([category, name]), w.HBox([email, language]), nominate,
        listing, w.HBox([withdraw_pick, withdraw]), rounds,
        HTML(render_fragment("exercise", part="heading", level=3, text=_("What your raters see in you (all raters, once the round is closed)"))), results, pulse, profile, refresh_btn,
    ]
