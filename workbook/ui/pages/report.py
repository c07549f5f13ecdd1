"""One trainee's report on a page, for the coaches and HR of their cohort: ``report.ipynb?person=<id>``, the link a
coach copies from the Coaching tab. Anyone else is refused: the page is for coaches and HR (a trainee's code is
refused at sign-in), and the store reads a person only for staff of their own cohort."""
from __future__ import annotations

import os
from urllib.parse import parse_qs

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied
from workbook.i18n import _, current_language
from workbook.render.fragments import render_fragment, trusted
from workbook.store import Database

from ..widgets.common import HTML
from .shell import Page, preheating

SECTIONS = ("completion", "scores", "feedback360", "journey", "plan", "notes")


def report_link(person_id: int) -> str:
    """The page of one person's report, relative to the other pages."""
    return f"./report.ipynb?person={int(person_id)}"


def _person_param() -> int | None:
    """The ``person`` parameter of the page's URL (waits for Voila to hand a preheated kernel its request)."""
    if preheating():
        from voila.utils import wait_for_request

        wait_for_request()
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get("person", [])
    return int(values[0]) if values and values[0].isdigit() else None


def report_html(db: Database, identity: Identity, person_id: int | None) -> str:
    """The person's report sections, or one line saying why there is none."""
    from workbook.reporting.report_content import individual_report, show

    if person_id is None:
        return str(render_fragment("coach_page", part="no_person"))
    try:
        rep = individual_report(db, identity, person_id, language=current_language())
    except AccessDenied:
        return str(render_fragment("coach_page", part="no_person"))
    return str(render_fragment("coach_page", part="report", person=rep.person.name,
                               sections=[trusted(show(rep, name)) for name in SECTIONS]))


def _body(db: Database, identity: Identity) -> list[w.Widget]:
    return [HTML(report_html(db, identity, _person_param()))]


def report_page(db: Database | None = None) -> Page:
    """A coach's or HR's page of one trainee's report (the person named in the URL)."""
    return Page(lambda: _("Individual report"), lambda: _("Individual report"), _body, roles=("coach", "hr"), db=db)
