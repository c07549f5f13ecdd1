"""The HR page: HR codes only (the coach's dashboard is ``pages/coach.py``)."""
from __future__ import annotations

import ipywidgets as w

from ..auth import Identity
from ..content import catalogue
from ..store import Database, last_activity, list_people, progress
from ..widgets.common import esc
from .coach import coach_page, progress_matrix_html  # noqa: F401  (moved; kept importable)
from .shell import Page


def _hr_body(db: Database, identity: Identity) -> list[w.Widget]:
    people = list_people(db, identity, identity.cohort_id, role="trainee")
    items = "".join(f"<li>{esc(p.name)} (id {p.id})</li>" for p in people)
    return [
        w.HTML("<h2>Trainees of your cohort</h2>"),
        w.HTML(f"<ul>{items}</ul><p class='wb-muted'>Individual and cohort reports: <code>workbook report person ID</code>.</p>"),
    ]


def hr_page(db: Database | None = None) -> Page:
    return Page("HR", "Reports", _hr_body, roles=("hr",), db=db)
