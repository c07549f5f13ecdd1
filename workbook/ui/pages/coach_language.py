"""The coach's choice of the cohort's default language (a person's own choice, when made, wins)."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import Identity
from workbook.i18n import LANGUAGES, _, language_name
from workbook.render.fragments import render_fragment
from workbook.store import Database, cohort_language, set_cohort_language

from ..widgets.common import HTML, StatusLine, safe


class LanguageControl(w.VBox):
    """A dropdown of the interface languages and a button that makes one the cohort's default."""

    def __init__(self, db: Database, identity: Identity):
        self.db, self.me = db, identity
        self.status = StatusLine()
        self.current = HTML()
        self.choice = w.Dropdown(options=[(language_name(c), c) for c in LANGUAGES], description=_("Language"))
        self.choice.add_class("wb-cohort-language")
        self.button = w.Button(description=_("Use this language for the cohort"), button_style="primary")
        self.button.on_click(lambda _b: safe(self.status)(self.apply)())
        note = HTML(render_fragment("exercise", part="muted", text=_("Pages, reports and e-mails of people who have not chosen a language "
                                                                      "themselves are in the cohort's language; anyone can choose their own on any page.")))
        super().__init__([self.current, w.HBox([self.choice, self.button]), self.status, note])
        safe(self.status)(self.refresh)()

    def refresh(self) -> None:
        chosen = cohort_language(self.db, self.me, self.me.cohort_id)
        self.current.value = render_fragment("exercise", part="text", text=_("The cohort's language: {language}").format(language=language_name(chosen)))
        self.choice.value = chosen

    def apply(self) -> None:
        set_cohort_language(self.db, self.me, self.me.cohort_id, self.choice.value)
        self.refresh()
        self.status.ok(_("Saved: the cohort's default language is {language}.").format(language=language_name(self.choice.value)))
