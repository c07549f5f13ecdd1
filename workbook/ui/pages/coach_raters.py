"""The coach's 360 tab: approve a trainee's nominated raters, send their codes (e-mail, or shown here
only when there is no SMTP server), remind raters who have not answered, set the closing date or
close the round, start a pulse round on the behaviours of the action plan. Coach codes only."""
from __future__ import annotations

from datetime import date

import ipywidgets as w

from workbook.analysis.person_360 import feedback_for
from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.domain.action_plan import pulse_items
from workbook.i18n import _, format_day, ngettext
from workbook.mail import mail_configured
from workbook.render.fragments import render_fragment
from workbook.render.person_360_html import feedback_html, pulse_html, round_html
from workbook.store import (
    Database,
    approve_raters,
    close_round,
    feedback_rounds,
    list_people,
    list_raters,
    remind_raters,
    send_rater_codes,
    set_round_closing,
    start_pulse_round,
)
from workbook.store.action_plans import action_plan

from ..widgets.common import HTML, StatusLine, safe, set_options
from ..widgets.exercises.feedback360 import SINGULAR


def instruments_360() -> list:
    """Instruments used in 360 feedback (every item has a rater phrasing)."""
    return [i for i in catalogue().instruments.values() if i.items and all(it.text_360 for it in i.items)]


def issued_html(issued, by_mail: bool) -> str:
    """What sending or reminding did: e-mailed addresses, failures, or (no SMTP) the codes, shown only now."""
    if not issued:
        return str(render_fragment("coach_raters_page", part="nothing_to_send"))
    table = render_fragment("rater_table", rows=issued, issued=True, categories=SINGULAR)
    return str(render_fragment("coach_raters_page", part="issued", by_mail=by_mail, table=table))


class RaterAdmin(w.VBox):
    """One trainee at a time: their raters, codes, reminders, round dates, results and pulse round."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.me = db, identity
        self.status = StatusLine()
        self.person = w.Dropdown(description=_("Trainee"))
        insts = instruments_360()
        self.inst = w.Dropdown(options=[(i.title, i.id) for i in insts], description=_("Instrument"))
        self.listing, self.rounds, self.codes, self.results, self.pulse_result = HTML(), HTML(), HTML(), HTML(), HTML()
        self.codes.add_class("wb-coach-rater-codes")
        self.results.add_class("wb-coach-360-results")
        approve = w.Button(description=_("Approve nominations"), button_style="primary")
        send = w.Button(description=_("Send codes"))
        remind = w.Button(description=_("Remind raters who have not answered"))
        self.kind = w.Dropdown(options=[(_("Feedback round"), "main"), (_("Pulse round"), "pulse")], description=_("Round"))
        self.closes_on = w.DatePicker(description=_("Closes on"))
        set_date = w.Button(description=_("Set closing date"))
        self.confirm = w.Checkbox(description=_("Confirm: close this round now (answers stop, results appear)"), indent=False)
        close = w.Button(description=_("Close round"), button_style="warning")
        self._items_for: tuple | None = None
        self.items = w.SelectMultiple(description=_("Behaviours"), layout=w.Layout(width="100%", height="120px"))
        pulse = w.Button(description=_("Start pulse round"))
        approve.on_click(lambda _b: safe(self.status)(self.approve)())
        send.on_click(lambda _b: safe(self.status)(self.send)())
        remind.on_click(lambda _b: safe(self.status)(self.remind)())
        set_date.on_click(lambda _b: safe(self.status)(self.set_date)())
        close.on_click(lambda _b: safe(self.status)(self.close)())
        pulse.on_click(lambda _b: safe(self.status)(self.start_pulse)())
        self.person.observe(lambda _c: safe(self.status)(self.refresh)(), names="value")
        self.inst.observe(lambda _c: safe(self.status)(self.refresh)(), names="value")
        super().__init__([
            w.HBox([self.person, self.inst]), self.status,
            HTML(render_fragment("coach_raters_page", part="raters_heading", by_mail=mail_configured(db.settings))), self.listing, w.HBox([approve, send, remind]), self.codes,
            HTML(render_fragment("coach_raters_page", part="round_heading")), self.rounds, self.kind, w.HBox([self.closes_on, set_date]), self.confirm, close,
            HTML(render_fragment("coach_raters_page", part="results_heading")), self.results, self.pulse_result,
            HTML(render_fragment("coach_raters_page", part="pulse_heading")),
            self.items, pulse,
        ])
        self.reload_people()

    def reload_people(self) -> None:
        """Pick up trainees invited since the page opened."""
        set_options(self.person, [(p.name, p.id) for p in list_people(self.db, self.me, self.me.cohort_id, role="trainee")])
        self.refresh()

    def refresh(self) -> None:
        pid, inst_id = self.person.value, self.inst.value
        if pid is None or inst_id is None:
            self.listing.value = render_fragment("coach_raters_page", part="no_trainees")
            return
        inst = catalogue().instrument(inst_id)
        raters = list_raters(self.db, self.me, pid, inst_id)
        self.listing.value = (str(render_fragment("rater_table", rows=raters, issued=False, categories=SINGULAR))
                              if raters else render_fragment("coach_raters_page", part="no_raters"))
        self.rounds.value = round_html(feedback_rounds(self.db, self.me, pid, inst_id), self.db.settings)
        fb, counts = feedback_for(self.db, self.me, pid, inst)
        self.results.value = (feedback_html(fb, counts, self.db.settings.blind_spot_gap) if any(n for n, _a in counts.values())
                              else render_fragment("coach_raters_page", part="no_closed_round"))
        self.pulse_result.value = pulse_html(self.db, self.me, pid, inst)
        options = [(f"{i.id} · {i.text_360}", i.id) for i in inst.items]
        if (pid, inst_id) != self._items_for or list(self.items.options) != options:
            # preselected: the behaviours the trainee's action plan works on (the coach may change them)
            self.items.value = ()
            self.items.options = options
            self.items.value = tuple(pulse_items(action_plan(self.db, self.me, pid), [i.id for i in inst.items]))
            self._items_for = (pid, inst_id)

    def approve(self) -> None:
        n = approve_raters(self.db, self.me, self.person.value)
        self.refresh()
        self.status.ok(ngettext("{n} nomination approved.", "{n} nominations approved.", n).format(n=n))

    def _issued(self, issued) -> None:
        self.codes.value = issued_html(issued, mail_configured(self.db.settings))
        self.refresh()

    def send(self) -> None:
        issued = send_rater_codes(self.db, self.me, self.person.value)
        self._issued(issued)
        n = sum(i.delivered != "failed" for i in issued)
        self.status.ok(ngettext("{n} code issued.", "{n} codes issued.", n).format(n=n))

    def remind(self) -> None:
        issued = remind_raters(self.db, self.me, self.person.value)
        self._issued(issued)
        n = sum(i.delivered != "failed" for i in issued)
        self.status.ok(ngettext("{n} reminder with a fresh code; the earlier code no longer works.",
                                "{n} reminders with a fresh code; the earlier codes no longer work.", n).format(n=n))

    def set_date(self) -> None:
        if not isinstance(self.closes_on.value, date):
            self.status.warn(_("Pick a closing date first."))
            return
        set_round_closing(self.db, self.me, self.person.value, self.inst.value, self.closes_on.value, kind=self.kind.value)
        self.refresh()
        self.status.ok(_("The round closes at the end of {day}.").format(day=format_day(self.closes_on.value)))

    def close(self) -> None:
        if not self.confirm.value:
            self.status.warn(_("Tick the box to confirm closing the round."))
            return
        close_round(self.db, self.me, self.person.value, self.inst.value, kind=self.kind.value)
        self.confirm.value = False
        self.refresh()
        self.status.ok(_("Round closed: the results are now shown to the person and to you."))

    def start_pulse(self) -> None:
        start_pulse_round(self.db, self.me, self.person.value, self.inst.value, list(self.items.value))
        self.refresh()
        self.status.ok(_("Pulse round started with the same raters; send their codes above."))
