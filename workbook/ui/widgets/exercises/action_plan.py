"""SMART action plan (Module 9): add actions (checked against Doran's criteria), update their status."""
from __future__ import annotations

from datetime import date

import ipywidgets as w

from workbook.content.catalogue import Exercise, catalogue
from workbook.domain.action_plan import SMART_VARIANT, STATUS_LABELS, STATUSES, Action, smart_problems, targetable_items
from workbook.i18n import _, _l, format_day
from workbook.render import plan_html
from workbook.render.fragments import render_fragment
from workbook.store.action_plans import action_plan, save_action

from ..common import HTML, safe, set_options
from . import ExerciseContext, register

PLAN_STATUS = {"planned": _l("planned"), "in_progress": _l("in progress"), "done": _l("done"), "dropped": _l("dropped")}


def plan_table_html(actions: list[Action], as_of: date, coach_view: bool = False, behaviours: dict[str, str] | None = None) -> str:
    """The plan as an escaped table: action (with the 360 behaviours it targets), owner, measure,
    due (overdue flagged), status, notes."""
    if not actions:
        return str(render_fragment("exercise", part="muted", text=_("No actions yet.")))
    return str(plan_html.plan_table_html(actions, as_of, behaviours))


class CheckList(w.VBox):
    """One checkbox per option, its whole label wrapping on a narrow screen (a multiple-choice list box cut its
    options at 375 px and needed Ctrl to pick several); ``value`` is the ticked options' values, in their order."""

    def __init__(self, options: list[tuple[str, str]]):
        self.boxes = {value: w.Checkbox(description=label, indent=False, layout=w.Layout(width="100%")) for label, value in options}
        super().__init__(list(self.boxes.values()), layout=w.Layout(width="100%"))

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(v for v, box in self.boxes.items() if box.value)

    @value.setter
    def value(self, values: tuple[str, ...]) -> None:
        for v, box in self.boxes.items():
            box.value = v in values


def action_label(a: Action) -> str:
    text = a.text if len(a.text) <= 60 else a.text[:57] + "…"
    return _("{action} (due {date})").format(action=text, date=format_day(a.due) if a.due else "—")


@register("action_plan")
def action_plan_exercise(ctx: ExerciseContext, spec: Exercise) -> list[w.Widget]:
    db, me = ctx.db, ctx.identity
    table = HTML()
    smart = HTML()
    what = w.Textarea(placeholder=_("Specific: what exactly will be done, with whom"), layout=w.Layout(width="100%", height="60px"))
    owner = w.Text(value=me.name, description=_("Owner"), placeholder=_("who owns it"))
    measure = w.Text(description=_("Measure"), placeholder=_("how you will know it is done"), layout=w.Layout(width="100%"))
    due = w.DatePicker(description=_("Due"))
    realistic = w.Checkbox(description=_("Realistic with the time and means I have"), indent=False)
    known = targetable_items(catalogue().instruments.values())
    behaviours = CheckList([(f"{t} ({i})", i) for i, t in known.items()])  # each whole: a ticked box says what it ticks
    behaviours.add_class("wb-plan-behaviours-pick")
    add = w.Button(description=_("Add action"), button_style="primary")
    pick = w.Dropdown(description=_("Action"), layout=w.Layout(width="100%"))
    status = w.Dropdown(options=[(str(PLAN_STATUS.get(s, STATUS_LABELS[s])), s) for s in STATUSES], description=_("Status"))
    comment = w.Text(description=_("Note"), placeholder=_("what happened (optional)"), layout=w.Layout(width="100%"))
    update = w.Button(description=_("Update status"))

    def refresh() -> None:
        actions = action_plan(db, me, me.person_id)
        table.value = plan_table_html(actions, date.today(), behaviours=known)
        set_options(pick, [(action_label(a), a.id) for a in actions])

    @safe(ctx.status)
    def on_add(_b=None) -> None:
        fields = {"text": what.value, "owner": owner.value, "measure": measure.value, "due": due.value or "", "realistic": realistic.value,
                  "behaviours": list(behaviours.value)}
        problems = smart_problems(fields)
        if problems:
            smart.value = render_fragment("exercise", part="warn_list", text=_("Not SMART yet:"), lines=problems)
            return
        save_action(db, me, me.person_id, fields)
        smart.value = ""
        what.value, measure.value, realistic.value, behaviours.value = "", "", False, ()
        refresh()
        ctx.status.ok(_("Action added to your plan."))

    @safe(ctx.status)
    def on_update(_b=None) -> None:
        if not pick.value:
            ctx.status.warn(_("Add an action first."))
            return
        fields = {"status": status.value}
        if comment.value.strip():
            fields["comment"] = comment.value
        save_action(db, me, me.person_id, fields, action_id=pick.value)
        comment.value = ""
        refresh()
        ctx.status.ok(_("Status saved; your coach sees it."))

    add.on_click(on_add)
    update.on_click(on_update)
    safe(ctx.status)(refresh)()
    return [
        HTML(render_fragment("exercise", part="text", text=spec.prompt)
             + render_fragment("exercise", part="muted", text=_("SMART as in {reference}.").format(reference=SMART_VARIANT))),
        table,
        HTML(render_fragment("exercise", part="heading", level=3, text=_("Add an action"))), what, owner, measure, due, realistic,
        HTML(render_fragment("exercise", part="muted", text=_("Which behaviours of your 360 does it work on? (optional; tick as many as apply). "
                                                              "Your coach can later ask your raters about these only, in a short pulse round."))),
        behaviours, add, smart,
        HTML(render_fragment("exercise", part="heading", level=3, text=_("Update an action"))), pick, status, comment, update,
    ]
