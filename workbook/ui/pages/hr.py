"""The HR page: HR codes only. Produce individual and cohort reports (HTML, PDF) and download
them from the page (the coach's dashboard is ``pages/coach.py``)."""
from __future__ import annotations

import base64
import tempfile
from pathlib import Path

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.i18n import _, ngettext
from workbook.render.fragments import render_fragment
from workbook.store import Database, list_cohorts, list_people

from ..widgets.common import HTML, StatusLine, safe
from .shell import Page
from .statistics import statistics_html

MIME = {"html": "text/html", "pdf": "application/pdf"}


def download_links_html(files: list[Path]) -> str:
    """Download links carrying each file inline (data: URLs; the server serves no files)."""
    links = [(f.name, f"data:{MIME.get(f.suffix.lstrip('.'), 'application/octet-stream')};base64,{base64.b64encode(f.read_bytes()).decode()}")
             for f in files]
    return str(render_fragment("hr_page", part="downloads", links=links))


class ReportPanel(w.VBox):
    """Pick a person (or the whole cohort) and formats; produce the reports with a progress bar."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.me = db, identity
        people = list_people(db, identity, identity.cohort_id, role="trainee")
        [cohort] = [c for c in list_cohorts(db, identity) if c["id"] == identity.cohort_id]
        self.cohort = cohort["name"]
        self.who = w.Dropdown(options=[(_("The whole cohort (cohort report + one per person)"), "cohort")] + [(p.name, p.id) for p in people],
                              description=_("Report"), layout=w.Layout(width="100%"))
        self.pdf = w.Checkbox(value=True, description=_("PDF as well as HTML"), indent=False)
        self.go = w.Button(description=_("Produce"), button_style="primary")
        self.bar = w.IntProgress(min=0, max=1, value=0, description=_("Progress"), layout=w.Layout(display="none"))
        self.status = StatusLine()
        self.links = HTML()
        self.go.on_click(lambda _b: safe(self.status)(self.produce)())
        super().__init__([self.who, self.pdf, self.go, self.bar, self.status, self.links])

    def produce(self) -> None:
        from workbook.reporting.reports import cohort_tasks, person_task, run_reports

        tasks = cohort_tasks(self.db, self.me, self.cohort) if self.who.value == "cohort" else [person_task(self.db, self.me, self.who.value)]
        formats = ("html", "pdf") if self.pdf.value else ("html",)
        self.bar.max, self.bar.value, self.bar.layout.display = len(tasks), 0, ""
        self.links.value = ""
        self.status.warn(ngettext("Producing {n} report… the first one takes a few seconds longer.",
                                  "Producing {n} reports… the first one takes a few seconds longer.", len(tasks)).format(n=len(tasks)))
        self.go.disabled = True
        try:
            out = Path(tempfile.mkdtemp(prefix="wb-reports-"))
            outcomes = run_reports(tasks, self.me, out, formats, workers=2, settings=self.db.settings,
                                   on_done=lambda _o: setattr(self.bar, "value", self.bar.value + 1))
        finally:
            self.go.disabled = False
        files = [f for o in outcomes for f in o.files]
        failed = [o for o in outcomes if o.error]
        self.links.value = download_links_html(files) + str(render_fragment("hr_page", part="failed", failed=failed))
        ready = _("{ready} of {total} reports ready").format(ready=len(outcomes) - len(failed), total=len(outcomes))
        (self.status.warn if failed else self.status.ok)(ready + (_("; {failed} failed (below).").format(failed=len(failed)) if failed else "."))


def _hr_body(db: Database, identity: Identity) -> list[w.Widget]:
    people = list_people(db, identity, identity.cohort_id, role="trainee")
    return [
        HTML(render_fragment("hr_page", part="reports")),
        ReportPanel(db, identity),
        HTML(render_fragment("hr_page", part="trainees", people=people)),
        HTML(statistics_html(db, identity)),
    ]


def hr_page(db: Database | None = None) -> Page:
    """The HR page (HR codes only)."""
    return Page(lambda: _("HR"), lambda: _("Reports"), _hr_body, roles=("hr",), db=db)
