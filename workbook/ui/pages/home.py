"""Home page: sign in, then the modules with this person's progress and links."""
from __future__ import annotations

import ipywidgets as w

from workbook.analysis.completion import module_statuses
from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.i18n import _, _l
from workbook.render.fragments import render_fragment
from workbook.store import Database

from ..widgets.common import HTML
from .shell import Page, page_link

STAFF_PAGES = {"coach": ("coach.ipynb", _l("Coach dashboard")), "hr": ("hr.ipynb", _l("HR reports"))}


def modules_table(status: dict[str, str]) -> str:
    """One row per module: number, linked title, concepts, this person's status."""
    rows = [(m, page_link(m.notebook), status.get(m.id)) for m in catalogue().ordered_modules()]
    return str(render_fragment("home", part="modules", rows=rows))


def _body(db: Database, identity: Identity) -> list[w.Widget]:
    out = [HTML(render_fragment("home", part="welcome", person=identity.name))]
    if identity.role in STAFF_PAGES:
        nb, label = STAFF_PAGES[identity.role]
        out.append(HTML(render_fragment("home", part="staff_link", href=page_link(nb), label=str(label))))
    out.append(HTML(modules_table(module_statuses(db, identity, identity.person_id))))
    from .path_view import path_summary_html  # the person's path and the time left on it

    out.append(HTML(path_summary_html(db, identity)))
    from .quiz import quiz_links_html  # the concept quiz, before and after the modules

    out.append(HTML(quiz_links_html()))
    return out


def home_page(db: Database | None = None) -> Page:
    def intro() -> list[w.Widget]:
        return [HTML(render_fragment("home", part="intro"))]

    return Page(lambda: _("Servuction Workbook"), lambda: _("Home"), _body, intro=intro, db=db)
