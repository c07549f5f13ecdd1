"""A Likert instrument as labelled radio groups (keyboard-reachable), saving each change."""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from workbook.content.catalogue import Instrument
from workbook.i18n import _l
from workbook.render.fragments import render_fragment
from workbook.store import DONT_KNOW

from .common import HTML, VBox, shared

DONT_KNOW_LABEL = _l("Don't know")


class LikertForm(w.VBox):
    """One radio group per item; ``on_change(item_id, value)`` is called on every change by the person."""

    def __init__(self, instrument: Instrument, on_change: Callable[[str, object], None], phrasing: str = "self", category: str | None = None):
        """``category``: a 360 rater category; only the items it judges are shown (all items for the person themselves)."""
        self.instrument = instrument
        self._on_change = on_change
        self._restoring = False
        anchors = instrument.scale.anchors_360 if phrasing == "rater" and instrument.scale.anchors_360 else instrument.scale.anchors
        options = [(f"{k} {v}", k) for k, v in sorted(anchors.items())]
        if instrument.dont_know:
            options.append((str(DONT_KNOW_LABEL), DONT_KNOW))
        self.radios: dict[str, w.RadioButtons] = {}
        rows = []
        for n, item in enumerate(instrument.items_for(category), 1):
            text = item.text_360 if phrasing == "rater" and item.text_360 else item.text
            label = HTML(render_fragment("widget", part="item", n=n, text=text))
            radio = w.RadioButtons(options=options, value=None, layout=shared("auto_width"), style=shared("description_style"))
            radio.description_allow_html = False
            radio.add_class("wb-likert")
            radio.observe(self._changed(item.id), names="value")
            self.radios[item.id] = radio
            rows.append(VBox([label, radio]))
        super().__init__(rows)

    def bind(self, on_change: Callable[[str, object], None]) -> None:
        """Send changes to ``on_change`` from now on (a form built before its person signed in)."""
        self._on_change = on_change

    def _changed(self, item_id: str):
        def handler(change) -> None:
            if not self._restoring:
                self._on_change(item_id, change["new"])

        return handler

    def restore(self, answers: dict[str, object]) -> None:
        """Show saved answers without saving them again."""
        self._restoring = True
        try:
            for item_id, radio in self.radios.items():
                value = answers.get(item_id)
                valid = {v for _l, v in radio.options}
                radio.value = value if value in valid else None
        finally:
            self._restoring = False

    def values(self) -> dict[str, object]:
        return {k: r.value for k, r in self.radios.items() if r.value is not None}

    def set_disabled(self, disabled: bool) -> None:
        for radio in self.radios.values():
            radio.disabled = disabled
