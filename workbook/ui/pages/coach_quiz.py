"""The coach dashboard's quiz tab: the cohort's learning gain per concept (hidden under the
anonymity threshold, with the reason), redrawn on demand."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.i18n import _, _l
from workbook.render.quiz_html import cohort_gain_html, cohort_quiz_gain
from workbook.store import Database

from ..widgets.common import HTML, StatusLine, safe

TITLE = _l("Quiz")


class QuizGain(w.VBox):
    """Table and chart of the cohort's gain per concept, with a refresh button."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.identity = db, identity
        self.status = StatusLine()
        self.html = HTML()
        self.html.add_class("wb-quiz-cohort")
        button = w.Button(description=_("Refresh"), icon="refresh")
        button.on_click(lambda _b: safe(self.status)(self.refresh)())
        super().__init__([button, self.status, self.html])
        safe(self.status)(self.refresh)()

    def refresh(self) -> None:
        self.html.value = cohort_gain_html(cohort_quiz_gain(self.db, self.identity, self.identity.cohort_id))


def add_quiz_tab(tabs: w.Tab, db: Database, identity: Identity) -> QuizGain:
    """Append the quiz tab to the coach's tabs."""
    tab = QuizGain(db, identity)
    tabs.children = (*tabs.children, tab)
    tabs.set_title(len(tabs.children) - 1, str(TITLE))
    return tab
