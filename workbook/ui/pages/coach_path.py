"""The coach's control of the cohort's path: choose the workshop or the full path, see its plan."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.domain.paths import get_path, plan
from workbook.i18n import _
from workbook.render.fragments import render_fragment
from workbook.store import Database, cohort_path, set_cohort_path

from ..widgets.common import HTML, StatusLine, safe
from .shell import page_link


def path_plan_html(path_id: str) -> str:
    """A path's plan per module: the session's steps with minutes, what is left for afterwards."""
    cat = catalogue()
    path = get_path(cat.paths, path_id)
    plans = plan(cat, path_id)
    total = sum(mp.session_minutes for mp in plans)
    return str(render_fragment("coach_path", part="plan", labels=cat.paths.labels, path=path, plans=plans, total=total))


class PathControl(w.VBox):
    """A dropdown of the paths of exercises/paths.yaml and a button that sets it for the cohort."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.me = db, identity
        self.status = StatusLine()
        doc = catalogue().paths
        options = [(p.title, p.id) for p in doc.paths] if doc else []
        self.current = HTML()
        self.choice = w.Dropdown(options=options, description=_("Path"))
        self.button = w.Button(description=_("Use this path for the cohort"), button_style="primary")
        self.plan = HTML()
        self.button.on_click(lambda _b: safe(self.status)(self.apply)())
        self.choice.observe(lambda _c: safe(self.status)(self.show)(), names="value")
        guide = HTML(render_fragment("coach_path", part="guide", href=page_link("facilitator.ipynb")))
        super().__init__([self.current, w.HBox([self.choice, self.button]), self.status, self.plan, guide])
        safe(self.status)(self.refresh)()

    def refresh(self) -> None:
        chosen = cohort_path(self.db, self.me, self.me.cohort_id)
        self.current.value = render_fragment("coach_path", part="current", chosen=chosen, title=get_path(catalogue().paths, chosen).title)
        self.choice.value = chosen
        self.show()

    def show(self) -> None:
        if self.choice.value:
            self.plan.value = path_plan_html(self.choice.value)

    def apply(self) -> None:
        set_cohort_path(self.db, self.me, self.me.cohort_id, self.choice.value)
        self.refresh()
        title = get_path(catalogue().paths, self.choice.value).title
        self.status.ok(_("The cohort now follows {path}: every trainee's home page shows it.").format(path=title))
