"""The coach's control of the cohort's path: choose the workshop or the full path, see its plan."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.domain.paths import get_path, plan
from workbook.render.html import esc
from workbook.store import Database, cohort_path, set_cohort_path

from ..widgets.common import HTML, StatusLine, safe
from .shell import page_link


def path_plan_html(path_id: str) -> str:
    """A path's plan per module: the session's steps with minutes, what is left for afterwards."""
    cat = catalogue()
    path = get_path(cat.paths, path_id)
    L = cat.paths.labels
    rows = []
    for mp in plan(cat, path_id):
        now = "; ".join(f"{esc(s.label)} ({s.minutes})" for s in mp.steps if s.in_session)
        later = "; ".join(f"{esc(s.label)} ({s.minutes})" for s in mp.steps if not s.in_session) or "—"
        rows.append(
            f'<tr data-module="{esc(mp.module.id)}"><td>{mp.module.number}</td><td class="wb-path-session">{mp.session_minutes}</td><td>{now}</td>'
            + (f'<td class="wb-path-after">{mp.after_minutes}</td><td class="wb-muted">{later}</td>' if path.modules is not None else "")
            + "</tr>"
        )
    after_head = f"<th>{esc(L.get('after', 'for afterwards'))} ({esc(L.get('minutes', 'min'))})</th><th></th>" if path.modules is not None else ""
    total = sum(mp.session_minutes for mp in plan(cat, path_id))
    return (
        f"<p><b>{esc(path.title)}</b>: {esc(path.summary)}</p><p>{esc(L.get('total', 'Total'))}: {total} {esc(L.get('minutes', 'min'))}"
        + (f" of {path.total_minutes}" if path.total_minutes else "")
        + f'</p><table class="wb-table wb-plan"><tr><th>M</th><th>{esc(L.get("in_session", "in the session"))} ({esc(L.get("minutes", "min"))})</th><th></th>{after_head}</tr>{"".join(rows)}</table>'
    )


class PathControl(w.VBox):
    """A dropdown of the paths of exercises/paths.yaml and a button that sets it for the cohort."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.me = db, identity
        self.status = StatusLine()
        doc = catalogue().paths
        options = [(p.title, p.id) for p in doc.paths] if doc else []
        self.current = HTML()
        self.choice = w.Dropdown(options=options, description="Path")
        self.button = w.Button(description="Use this path for the cohort", button_style="primary")
        self.plan = HTML()
        self.button.on_click(lambda _b: safe(self.status)(self.apply)())
        self.choice.observe(lambda _c: safe(self.status)(self.show)(), names="value")
        guide = HTML(f'<p><a class="wb-next" href="{esc(page_link("facilitator.ipynb"))}">Facilitator guide (key messages, timings, debrief with live results) →</a></p>')
        super().__init__([self.current, w.HBox([self.choice, self.button]), self.status, self.plan, guide])
        safe(self.status)(self.refresh)()

    def refresh(self) -> None:
        chosen = cohort_path(self.db, self.me, self.me.cohort_id)
        self.current.value = f'<p class="wb-path-current" data-path="{esc(chosen)}">The cohort follows: <b>{esc(get_path(catalogue().paths, chosen).title)}</b></p>'
        self.choice.value = chosen
        self.show()

    def show(self) -> None:
        if self.choice.value:
            self.plan.value = path_plan_html(self.choice.value)

    def apply(self) -> None:
        set_cohort_path(self.db, self.me, self.me.cohort_id, self.choice.value)
        self.refresh()
        self.status.ok(f"The cohort now follows {get_path(catalogue().paths, self.choice.value).title}: every trainee's home page shows it.")
