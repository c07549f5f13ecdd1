"""The coach's cohort dashboard: progress, live results, coaching sessions, cohort management.

Coach codes only. Every cohort aggregate hides groups smaller than ``settings.anonymity_threshold``.
Live results refresh on demand and, while "refresh automatically" is ticked, every few seconds
from a background thread that redraws only when the cohort's answers changed.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime

import ipywidgets as w
from sqlalchemy import func, select

from workbook.analysis.cohort_scores import spreads
from workbook.analysis.completion import module_statuses
from workbook.analysis.person_results import scored_modules
from workbook.auth.identity import ROLES, Identity
from workbook.content.catalogue import VERSION_ITEM, catalogue
from workbook.domain.action_plan import STATUS_LABELS, STATUSES, summary, targetable_items
from workbook.i18n import _, _l, format_number
from workbook.render.cohort_html import choices_html, notes_html, spread_table_html
from workbook.render.fragments import render_fragment
from workbook.reporting.report_content import cohort_choices
from workbook.store import (
    GROW_STEPS,
    Database,
    action_plan,
    close_cohort,
    cohort_action_plans,
    cohort_answers,
    invite,
    last_activity,
    list_cohorts,
    list_people,
    notes_for,
    reissue_code,
    save_action,
    save_note,
    set_shared,
)
from workbook.store.models import Answer, Person
from workbook.store.notes import GROW_LABELS

from ..widgets.common import HTML, StatusLine, safe, set_options
from ..widgets.exercises.action_plan import action_label, plan_table_html
from .coach_raters import RaterAdmin
from .shell import Page
from .statistics import statistics_html

REFRESH_SECONDS = 5.0
AUTO_REFRESH_HOURS = 4  # auto refresh switches itself off after a workshop-length session


def progress_matrix_html(db: Database, identity: Identity) -> str:
    """People × modules (not started / in progress / done) with each person's last activity."""
    rows = [{"name": p.name, "status": module_statuses(db, identity, p.id), "last": last_activity(db, identity, p.id)}
            for p in list_people(db, identity, identity.cohort_id, role="trainee")]
    return str(render_fragment("progress_matrix", modules=catalogue().ordered_modules(), rows=rows))


def live_results_html(db: Database, identity: Identity) -> str:
    """Every scored instrument: the cohort's distribution per dimension, or why it is hidden."""
    threshold = db.settings.anonymity_threshold
    parts = [spread_table_html(module, inst, spreads(inst, cohort_answers(db, identity, identity.cohort_id, inst.id), threshold), threshold)
             for module, inst in scored_modules()]
    parts += [choices_html(module, tally, threshold) for module, tally in cohort_choices(db, identity, identity.cohort_id)]
    return "".join(parts) or str(render_fragment("coach_page", part="no_scored"))


def cohort_fingerprint(db: Database, cohort_id: int) -> tuple:
    """Changes whenever anyone of the cohort saves an answer (cheap: one query)."""
    with db.session() as s:
        return tuple(s.execute(
            select(func.count(Answer.id), func.max(Answer.id)).join(Person, Person.id == Answer.person_id)
            .where(Person.cohort_id == cohort_id, Answer.item != VERSION_ITEM)  # a version mark is not an answer
        ).one())


def overdue_html(db: Database, identity: Identity, as_of: date) -> str:
    """Every trainee's plan in one table: counts by status and overdue actions."""
    names = {p.id: p.name for p in list_people(db, identity, identity.cohort_id, role="trainee")}
    rows = [(names.get(pid, pid), summary(actions, as_of)) for pid, actions in cohort_action_plans(db, identity, identity.cohort_id).items()]
    return str(render_fragment("plans_overview", rows=rows))


ROLE_NAMES = {"trainee": _l("trainee"), "coach": _l("coach"), "hr": _l("HR")}  # the invite form's roles, in the page's language


class LiveResults(w.VBox):
    """Live cohort results with a refresh button and an automatic refresh every few seconds."""

    def __init__(self, db: Database, identity: Identity, seconds: float = REFRESH_SECONDS):
        self.db, self.identity, self.seconds = db, identity, seconds
        self.status = StatusLine()
        self.html = HTML()
        self.stamp = HTML()
        self.button = w.Button(description=_("Refresh now"), icon="refresh")
        self.auto = w.Checkbox(value=True, description=_("Refresh automatically every {seconds} s").format(seconds=format_number(seconds)), indent=False)
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._stop = threading.Event()
        self.button.on_click(lambda _b: safe(self.status)(self.refresh)(force=True))
        super().__init__([w.HBox([self.button, self.auto]), self.stamp, self.status, self.html])
        safe(self.status)(self.refresh)(force=True)
        self._thread = threading.Thread(target=self._loop, daemon=True, name="workbook-live-results")
        self._thread.start()

    def refresh(self, force: bool = False) -> bool:
        """Redraw when the cohort's answers changed (or when forced); True when redrawn."""
        with self._lock:
            mark = cohort_fingerprint(self.db, self.identity.cohort_id)
            if not force and mark == self._seen:
                return False
            self.html.value = live_results_html(self.db, self.identity)
            self._seen = mark
            self.stamp.value = render_fragment("coach_page", part="stamp", time=f"{datetime.now():%H:%M:%S}", answers=mark[0])
            self.status.clear()
            return True

    def _loop(self) -> None:
        ends = time.monotonic() + AUTO_REFRESH_HOURS * 3600
        while not self._stop.wait(self.seconds):
            if time.monotonic() > ends:
                self.auto.value = False
                self.status.warn(_("Automatic refresh switched off after a long session; tick the box to resume."))
                ends = float("inf")
            if self.auto.value:
                safe(self.status)(self.refresh)()

    def stop(self) -> None:
        self._stop.set()


class Coaching(w.VBox):
    """One person at a time: GROW session notes (private unless shared) and their action plan."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.me = db, identity
        self.status = StatusLine()
        people = list_people(db, identity, identity.cohort_id, role="trainee")
        self.person = w.Dropdown(options=[(p.name, p.id) for p in people], description=_("Person"))
        self.overview = HTML()
        self.link = HTML()  # the person's report page, to copy (pages/report.py)
        self.plan = HTML()
        self.notes = HTML()
        self.session = w.DatePicker(description=_("Session"), value=date.today())
        self.fields = {k: w.Textarea(placeholder=str(GROW_LABELS[k]), layout=w.Layout(width="100%", height="60px")) for k in GROW_STEPS}
        self.share = w.Checkbox(description=_("Share this note with the person"), indent=False)
        save = w.Button(description=_("Save GROW note"), button_style="primary")
        self.note_pick = w.Dropdown(description=_("Note"), layout=w.Layout(width="100%"))
        share_btn, unshare_btn = w.Button(description=_("Share")), w.Button(description=_("Make private"))
        self.action_pick = w.Dropdown(description=_("Action"), layout=w.Layout(width="100%"))
        self.action_status = w.Dropdown(options=[(str(STATUS_LABELS[s]), s) for s in STATUSES], description=_("Status"))
        self.follow = w.Text(description=_("Follow-up"), placeholder=_("what you agreed, when you checked"), layout=w.Layout(width="100%"))
        follow_btn = w.Button(description=_("Save follow-up"))
        save.on_click(lambda _b: safe(self.status)(self.save_note)())
        share_btn.on_click(lambda _b: safe(self.status)(self.share_note)(True))
        unshare_btn.on_click(lambda _b: safe(self.status)(self.share_note)(False))
        follow_btn.on_click(lambda _b: safe(self.status)(self.save_follow_up)())
        self.person.observe(lambda _c: safe(self.status)(self.refresh)(), names="value")
        super().__init__([
            HTML(render_fragment("coach_page", part="plans_heading")), self.overview,
            self.person, self.link, self.status,
            HTML(render_fragment("coach_page", part="plan_heading")), self.plan, self.action_pick, self.action_status, self.follow, follow_btn,
            HTML(render_fragment("coach_page", part="grow_heading")), self.session, *self.fields.values(), self.share, save,
            HTML(render_fragment("coach_page", part="notes_heading")), self.notes, w.HBox([self.note_pick, share_btn, unshare_btn]),
        ])
        safe(self.status)(self.refresh)()

    def reload_people(self) -> None:
        """Pick up people invited since the page opened."""
        people = list_people(self.db, self.me, self.me.cohort_id, role="trainee")
        set_options(self.person, [(p.name, p.id) for p in people])
        self.refresh()

    def refresh(self) -> None:
        today = date.today()
        self.overview.value = overdue_html(self.db, self.me, today)
        pid = self.person.value
        if pid is None:
            self.plan.value = self.notes.value = render_fragment("coach_page", part="no_trainees")
            self.link.value = ""
            return
        from .report import report_link

        self.link.value = render_fragment("coach_page", part="report_link", href=report_link(pid))
        actions = action_plan(self.db, self.me, pid)
        self.plan.value = plan_table_html(actions, today, coach_view=True, behaviours=targetable_items(catalogue().instruments.values()))
        set_options(self.action_pick, [(action_label(a), a.id) for a in actions])
        notes = notes_for(self.db, self.me, pid)
        self.notes.value = notes_html(notes, sharing=True, empty=_("No notes yet."))
        set_options(self.note_pick, [(f"{n.session or n.created_at:%Y-%m-%d} · {next(iter(n.fields.values()), '')[:50]}", n.thread) for n in notes])

    def save_note(self) -> None:
        fields = {k: a.value for k, a in self.fields.items() if a.value.strip()}
        save_note(self.db, self.me, self.person.value, fields, kind="grow", shared=self.share.value, session=self.session.value)
        for a in self.fields.values():
            a.value = ""
        self.refresh()
        self.status.ok(_("Note saved and shared with the person.") if self.share.value else _("Note saved (private)."))

    def share_note(self, shared: bool) -> None:
        if not self.note_pick.value:
            self.status.warn(_("Pick a note first."))
            return
        set_shared(self.db, self.me, self.person.value, self.note_pick.value, shared)
        self.refresh()
        self.status.ok(_("The person now sees this note.") if shared else _("The note is private again."))

    def save_follow_up(self) -> None:
        if not self.action_pick.value:
            self.status.warn(_("This person has no action yet."))
            return
        fields = {"status": self.action_status.value}
        if self.follow.value.strip():
            fields["follow_up"] = self.follow.value
        save_action(self.db, self.me, self.person.value, fields, action_id=self.action_pick.value)
        self.follow.value = ""
        self.refresh()
        self.status.ok(_("Follow-up saved."))


class CohortAdmin(w.VBox):
    """Invite people, re-issue a lost code (the old one stops working), close the cohort."""

    def __init__(self, db: Database, identity: Identity, on_change=None):
        self.db, self.me, self.on_change = db, identity, on_change
        self.status = StatusLine()
        self.code = HTML()
        self.name = w.Text(description=_("Name"), placeholder=_("first and last name"))
        self.email = w.Text(description=_("E-mail"), placeholder=_("optional"))
        self.role = w.Dropdown(options=[(str(ROLE_NAMES.get(r, r)), r) for r in ROLES], description=_("Role"))
        invite_btn = w.Button(description=_("Invite"), button_style="primary")
        self.who = w.Dropdown(description=_("Person"))
        reissue_btn = w.Button(description=_("Re-issue code"))
        self.confirm = w.Checkbox(description=_("Yes, close this cohort: no new people can join"), indent=False)
        close_btn = w.Button(description=_("Close cohort"), button_style="danger")
        invite_btn.on_click(lambda _b: safe(self.status)(self.invite)())
        reissue_btn.on_click(lambda _b: safe(self.status)(self.reissue)())
        close_btn.on_click(lambda _b: safe(self.status)(self.close)())
        self.state = HTML()
        super().__init__([
            self.state, HTML(render_fragment("coach_page", part="invite_heading")), self.name, self.email, self.role, invite_btn,
            HTML(render_fragment("coach_page", part="lost_code")), w.HBox([self.who, reissue_btn]),
            self.code, self.status, HTML(render_fragment("coach_page", part="close_heading")), self.confirm, close_btn,
        ])
        self.refresh()

    def refresh(self) -> None:
        people = list_people(self.db, self.me, self.me.cohort_id)
        # trainees only: staff codes are re-issued by the operator (store.reissue_code)
        set_options(self.who, [(_("{name} (trainee)").format(name=p.name), p.id) for p in people if p.role == "trainee"])
        [info] = [c for c in list_cohorts(self.db, self.me) if c["id"] == self.me.cohort_id]
        self.state.value = render_fragment("coach_page", part="cohort_state", info=info)

    def _show_code(self, name: str, code: str) -> None:
        self.code.value = render_fragment("coach_page", part="code", person=name, code=code)

    def invite(self) -> None:
        pid, code = invite(self.db, self.me, self.me.cohort_id, self.name.value, self.role.value, self.email.value.strip())
        self._show_code(self.name.value.strip(), code)
        self.name.value = self.email.value = ""
        self.refresh()
        self.status.ok(_("Invited. Give the person their code; it cannot be shown again."))
        if self.on_change:
            self.on_change()

    def reissue(self) -> None:
        if self.who.value is None:
            return
        label = self.who.label
        code = reissue_code(self.db, self.me, self.who.value)
        self._show_code(label, code)
        self.status.ok(_("New code issued; the old one no longer works."))

    def close(self) -> None:
        if not self.confirm.value:
            self.status.warn(_("Tick the box to confirm closing the cohort."))
            return
        close_cohort(self.db, self.me, self.me.cohort_id)
        self.confirm.value = False
        self.refresh()
        self.status.ok(_("The cohort is closed; everyone keeps their answers and reports."))


def _coach_body(db: Database, identity: Identity) -> list[w.Widget]:
    matrix = HTML(progress_matrix_html(db, identity))
    status = StatusLine()
    again = w.Button(description=_("Refresh progress"), icon="refresh")
    again.on_click(lambda _b: safe(status)(lambda: setattr(matrix, "value", progress_matrix_html(db, identity)))())
    live = LiveResults(db, identity)
    coaching = Coaching(db, identity)
    admin = CohortAdmin(db, identity, on_change=lambda: (setattr(matrix, "value", progress_matrix_html(db, identity)), coaching.reload_people()))
    stats = HTML()
    show_stats = w.Button(description=_("Compute statistics"))
    show_stats.on_click(lambda _b: safe(status)(lambda: setattr(stats, "value", statistics_html(db, identity)))())
    from .coach_language import LanguageControl
    from .coach_path import PathControl

    raters = RaterAdmin(db, identity)
    tabs = w.Tab(children=[w.VBox([again, status, matrix]), live, coaching, admin, w.VBox([show_stats, stats]), PathControl(db, identity), raters,
                           LanguageControl(db, identity)])
    for n, title in enumerate([_("Progress"), _("Live results"), _("Coaching"), _("Cohort"), _("Statistics"), _("Path"), _("360 raters"), _("Language")]):
        tabs.set_title(n, title)
    from .coach_quiz import add_quiz_tab  # the cohort's learning gain per concept (workbook/domain/quiz_scoring.py)

    add_quiz_tab(tabs, db, identity)
    return [tabs]


def coach_page(db: Database | None = None) -> Page:
    """The coach's dashboard (coach codes only)."""
    return Page(lambda: _("Coach"), lambda: _("Cohort dashboard"), _coach_body, roles=("coach",), db=db)
