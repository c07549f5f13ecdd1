"""An action plan as an HTML table, the same markup on the trainee's page, the coach's page and the report."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from workbook.domain.action_plan import STATUS_LABELS, Action
from workbook.render.fragments import render_fragment
from workbook.render.html import short


def plan_table_html(actions: Sequence[Action], as_of: date, behaviours: Mapping[str, str] | None = None, report: bool = False) -> str:
    """The plan as an escaped table (overdue flagged as of ``as_of``); ``behaviours`` names the 360 items
    an action targets; ``report`` gives the individual report's form (no behaviours, follow-up on its own line)."""
    return str(render_fragment("plan_table", actions=actions, as_of=as_of, targets=behaviours or {}, report=report,
                           labels=STATUS_LABELS, short=short))
