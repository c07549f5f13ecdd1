"""Home page: sign in, then the modules with this person's progress and links."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.render.html import esc
from workbook.store import Database, progress

from ..widgets.common import HTML
from .shell import Page, page_link

LABELS = {"done": "done", "in_progress": "in progress", None: "not started"}
STAFF_PAGES = {"coach": ("coach.ipynb", "Coach dashboard"), "hr": ("hr.ipynb", "HR reports")}


def modules_table(status: dict[str, str]) -> str:
    """One row per module: number, linked title, concepts, this person's status."""
    rows = []
    for m in catalogue().ordered_modules():
        st = status.get(m.id)
        rows.append(
            f'<tr><td>{m.number}</td><td><a href="{esc(page_link(m.notebook))}">{esc(m.title)}</a></td>'
            f'<td class="wb-muted">{esc(", ".join(m.concepts))}</td>'
            f'<td><span class="wb-badge {esc(st or "")}">{LABELS.get(st, st)}</span></td></tr>'
        )
    return '<table class="wb-modules"><tr><th>#</th><th>Module</th><th>Concepts</th><th>Your progress</th></tr>' + "".join(rows) + "</table>"


def _body(db: Database, identity: Identity) -> list[w.Widget]:
    out = [HTML(f"<h2>Welcome, {esc(identity.name)}</h2>")]
    if identity.role in STAFF_PAGES:
        nb, label = STAFF_PAGES[identity.role]
        out.append(HTML(f'<p><a class="wb-next" href="{esc(page_link(nb))}">{label} →</a></p>'))
    out.append(HTML(modules_table(progress(db, identity, identity.person_id))))
    from .path_view import path_summary_html  # the person's path and the time left on it

    out.append(HTML(path_summary_html(db, identity)))
    from .quiz import quiz_links_html  # the concept quiz, before and after the modules

    out.append(HTML(quiz_links_html()))
    return out


def home_page(db: Database | None = None) -> Page:
    intro = HTML(
        "<p>This workbook teaches <b>servuction</b> — the client as co-producer of the service — and customer "
        "orientation for managers of B2B service companies. Sign in with the personal access code your coach gave you; "
        "your answers are saved as you go.</p>"
        '<p class="wb-muted">Reference: <a href="./glossary.ipynb">Glossary</a> · <a href="./sources.ipynb">Sources</a></p>'
    )
    return Page("Servuction Workbook", "Home", _body, intro=[intro], db=db)
