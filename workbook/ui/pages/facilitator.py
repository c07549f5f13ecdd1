"""The facilitator guide page (coach and HR codes only): the guide with the cohort's live results."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import STAFF_ROLES, Identity
from workbook.content.catalogue import catalogue
from workbook.i18n import _
from workbook.reporting.facilitator import cohort_answers_for_guide, guide_html, live_results, statements_for
from workbook.store import Database

from ..widgets.common import HTML, StatusLine, safe
from .handout import handout_link
from .shell import Page


def guide_for(db: Database, identity: Identity) -> str:
    """The guide with the live results of the signed-in coach's (or HR person's) own cohort."""
    cat = catalogue()
    statements = statements_for(cat, db.settings.datasets_dir)
    live = live_results(cat, cohort_answers_for_guide(db, identity, identity.cohort_id), db.settings.anonymity_threshold, statements)
    return guide_html(cat, statements, live, handout_link=handout_link)


def _body(db: Database, identity: Identity) -> list[w.Widget]:
    status = StatusLine()
    guide = HTML(guide_for(db, identity))
    again = w.Button(description=_("Refresh live results"), icon="refresh")
    again.on_click(lambda _b: safe(status)(lambda: setattr(guide, "value", guide_for(db, identity)))())
    return [w.HBox([again]), status, guide]


def facilitator_page(db: Database | None = None) -> Page:
    """The facilitator guide for coaches and HR (a trainee code is refused)."""
    def title() -> str:
        doc = catalogue().facilitator
        return doc.title if doc else _("Facilitator guide")

    return Page(lambda: _("Coach"), title, _body, roles=STAFF_ROLES, db=db)
