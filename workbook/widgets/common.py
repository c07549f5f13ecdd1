"""Small shared pieces: the page style, escaped HTML, the status line, safe callbacks."""
from __future__ import annotations

import html
import logging
import sys
import uuid
from functools import wraps
from pathlib import Path

import ipywidgets as w

from ..errors import WorkbookError

log = logging.getLogger("workbook.pages")
_CSS = (Path(__file__).resolve().parent.parent / "static" / "workbook.css").read_text(encoding="utf-8")


def style() -> w.HTML:
    """The workbook's stylesheet as a widget (put it first on every page)."""
    return w.HTML(f"<style>{_CSS}</style>", layout=w.Layout(display="none"))


def esc(text: object) -> str:
    """HTML-escape any text that came from a person (or anywhere not our own content)."""
    return html.escape(str(text), quote=True)


class StatusLine(w.HTML):
    """One line telling the person what just happened: saved, not saved (and why), errors."""

    def __init__(self, **kwargs):
        super().__init__(value="", **kwargs)
        self.add_class("wb-status")

    def ok(self, text: str) -> None:
        self.value = f'<span class="wb-ok">{esc(text)}</span>'

    def warn(self, text: str) -> None:
        self.value = f'<span class="wb-warn">{esc(text)}</span>'

    def error(self, text: str) -> None:
        self.value = f'<span class="wb-error">{esc(text)}</span>'

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
                log.exception("page callback failed (ref %s)", ref)
                print(f"workbook: page callback failed, ref {ref}", file=sys.stderr)
                status.error(f"Something went wrong (reference {ref}); your saved answers are safe. Reload the page.")
            return None

        return inner

    return deco


def markdown_html(text: str) -> str:
    """Our own teaching Markdown to HTML (raw HTML in it is escaped, not rendered)."""
    import mistune

    return mistune.create_markdown(escape=True)(text)


def set_options(dropdown, options: list[tuple[str, object]]) -> None:
    """Replace a dropdown's options, keeping the selection when it is still there, else the first."""
    keep = dropdown.value
    dropdown.options = options
    values = [v for _label, v in options]
    dropdown.value = keep if keep in values else (values[0] if values else None)


def fmt(template: str, **values: object) -> str:
    """Our own text template (from YAML) filled with values, all of it HTML-escaped."""
    return esc(template).format(**{k: esc(v) for k, v in values.items()})
