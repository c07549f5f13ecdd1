"""Minimal coach and HR pages: refuse every other role; list the cohort's people and progress."""
from __future__ import annotations

import ipywidgets as w

from ..auth import Identity
from ..content import catalogue
from ..store import Database, last_activity, list_people, progress
from ..widgets.common import esc
from .shell import Page


def progress_matrix_html(db: Database, identity: Identity) -> str:
    """People × modules with each person's status (coach and HR of the cohort only)."""
    modules = catalogue().ordered_modules()
    head = "".join(f"<th>M{m.number}</th>" for m in modules)
    rows = []
    for p in list_people(db, identity, identity.cohort_id, role="trainee"):
        st = progress(db, identity, p.id)
        cells = "".join(f'<td><span class="wb-badge {esc(st.get(m.id, ""))}">{esc(st.get(m.id, "—"))}</span></td>' for m in modules)
        last = last_activity(db, identity, p.id)
        rows.append(f"<tr><td>{esc(p.name)}</td>{cells}<td class='wb-muted'>{last:%Y-%m-%d %H:%M}</td></tr>" if last else f"<tr><td>{esc(p.name)}</td>{cells}<td>—</td></tr>")
    return f'<table class="wb-table"><tr><th>Person</th>{head}<th>Last activity</th></tr>{"".join(rows)}</table>'


def _coach_body(db: Database, identity: Identity) -> list[w.Widget]:
    return [w.HTML("<h2>Progress of your cohort</h2>"), w.HTML(progress_matrix_html(db, identity))]


def _hr_body(db: Database, identity: Identity) -> list[w.Widget]:
    people = list_people(db, identity, identity.cohort_id, role="trainee")
    items = "".join(f"<li>{esc(p.name)} (id {p.id})</li>" for p in people)
    return [
        w.HTML("<h2>Trainees of your cohort</h2>"),
        w.HTML(f"<ul>{items}</ul><p class='wb-muted'>Individual and cohort reports: <code>workbook report person ID</code>.</p>"),
    ]


def coach_page(db: Database | None = None) -> Page:
    return Page("Coach", "Cohort dashboard", _coach_body, roles=("coach",), db=db)


def hr_page(db: Database | None = None) -> Page:
    return Page("HR", "Reports", _hr_body, roles=("hr",), db=db)
