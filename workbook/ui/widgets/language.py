"""The language selector: English, Français, 中文, each named in its own language (so that anyone finds theirs;
no icon: a page must not depend on an emoji font)."""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from workbook.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, language_name


class LanguageChoice(w.Dropdown):
    """A dropdown of the interface languages; ``on_choose(code)`` is called when the person picks one
    (not when the page sets it to a stored choice with ``show``)."""

    def __init__(self, on_choose: Callable[[str], None], language: str = DEFAULT_LANGUAGE):
        super().__init__(options=[(language_name(c), c) for c in LANGUAGES], value=language, layout=w.Layout(width="150px"),
                         tooltip=_("Language"))  # the select's accessible name (title): it has no visible label
        self.add_class("wb-language")
        self._on_choose = on_choose
        self._showing = False
        self.observe(self._changed, names="value")

    def _changed(self, change) -> None:
        if not self._showing and change["new"] != change["old"]:
            self._on_choose(change["new"])

    def show(self, language: str) -> None:
        """Show ``language`` as chosen without calling back (the page's language came from the store)."""
        self._showing = True
        try:
            self.value = language
        finally:
            self._showing = False
