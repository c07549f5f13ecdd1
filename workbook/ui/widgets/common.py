"""Small shared pieces: the page style, shared layouts, the status line, safe callbacks."""
from __future__ import annotations

import logging
import uuid
from functools import wraps
from pathlib import Path

import ipywidgets as w
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle
from traitlets import default

from workbook import logs
from workbook.errors import WorkbookError
from workbook.i18n import _
from workbook.render.fragments import render_fragment, trusted

log = logging.getLogger("workbook.ui.pages")
_CSS = (Path(__file__).resolve().parents[2] / "static" / "workbook.css").read_text(encoding="utf-8")


_SHARED: dict[str, w.Widget] = {}


def shared(kind: str) -> w.Widget:
    """One Layout or style model per kernel for every widget that never changes its own.

    Each widget model is a message from the kernel through the server to the page. A page of
    texts and radio groups, built at sign-in, opened three models per text (widget, layout,
    style); sharing the last two halves what a whole cohort signing in together costs."""
    if kind not in _SHARED:
        _SHARED[kind] = {
            "layout": w.Layout, "html_style": HTMLStyle, "description_style": DescriptionStyle,
            "auto_width": lambda: w.Layout(width="auto"), "text_style": TextStyle,
            "full_width": lambda: w.Layout(width="100%"), "text_box": lambda: w.Layout(width="100%", height="60px"),
            "button_style": ButtonStyle,
        }[kind]()
    return _SHARED[kind]


def warm_shared() -> None:
    """Create every shared model now (a preheated kernel, before its visitor): they then travel with
    the page's state instead of as messages at sign-in."""
    for kind in ("layout", "html_style", "description_style", "auto_width", "text_style", "full_width", "text_box", "button_style"):
        shared(kind)


class HTML(w.HTML):
    """``ipywidgets.HTML`` with the shared layout and style: give it ``layout=w.Layout()`` when
    its own layout will change (shown, hidden)."""

    @default("layout")
    def _shared_layout(self) -> w.Layout:
        return shared("layout")

    @default("style")
    def _shared_style(self) -> HTMLStyle:
        return shared("html_style")


class VBox(w.VBox):
    """``ipywidgets.VBox`` with the shared layout (give it its own when it is shown or hidden)."""

    @default("layout")
    def _shared_layout(self) -> w.Layout:
        return shared("layout")


def style() -> w.HTML:
    """The workbook's stylesheet as a widget (put it first on every page)."""
    return w.HTML(render_fragment("widget", part="style", css=trusted(_CSS)), layout=w.Layout(display="none"))




class StatusLine(HTML):
    """One line telling the person what just happened: saved, not saved (and why), errors."""

    def __init__(self, **kwargs):
        super().__init__(value="", **kwargs)
        self.add_class("wb-status")

    def ok(self, text: str) -> None:
        self.value = render_fragment("widget", part="status", kind="ok", text=text)

    def warn(self, text: str) -> None:
        self.value = render_fragment("widget", part="status", kind="warn", text=text)

    def error(self, text: str) -> None:
        self.value = render_fragment("widget", part="status", kind="error", text=text)

    def clear(self) -> None:
        self.value = ""


def safe(status: StatusLine):
    """Wrap a widget callback: a WorkbookError becomes its one-line message, anything else a
    plain apology with a reference (the traceback goes to the server log, never the page)."""

    def deco(fn):
        @wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except WorkbookError as exc:
                status.error(str(exc))
            except Exception:  # noqa: BLE001 - the page must never show a traceback
                ref = uuid.uuid4().hex[:8]
                # the log file and the server's stderr (workbook/logs.py), never the page's own output
                logs.logger("workbook.ui.pages").exception("page callback failed (ref %s)", ref)
                status.error(_("Something went wrong (reference {ref}); your saved answers are safe. Reload the page.").format(ref=ref))
            return None

        return inner

    return deco




def set_options(dropdown, options: list[tuple[str, object]]) -> None:
    """Replace a dropdown's options, keeping the selection when it is still there, else the first."""
    keep = dropdown.value
    dropdown.options = options
    values = [v for _label, v in options]
    dropdown.value = keep if keep in values else (values[0] if values else None)
