"""HTML fragments' building blocks: escaping, our own Markdown, our own text templates (pure strings).

Larger or repeated markup lives in templates (``workbook.render.fragments``); ``esc`` is the one escaping
function for the few inline pieces left in Python.
"""
from __future__ import annotations

from functools import lru_cache

import markupsafe


def esc(text: object) -> str:
    """HTML-escape any text that came from a person (or anywhere not our own content)."""
    return str(markupsafe.escape(str(text)))


@lru_cache(maxsize=1024)
def markdown_html(text: str) -> str:
    """Our own teaching Markdown to HTML (raw HTML in it is escaped, not rendered). Pure, so each text
    is converted once per process: a module page re-renders its whole teaching text at every sign-in."""
    return _markdown()(text)


@lru_cache(maxsize=1)
def _markdown():
    import mistune

    return mistune.create_markdown(escape=True)


def fmt(template: str, **values: object) -> str:
    """Our own text template (from YAML) filled with values, all of it HTML-escaped."""
    return esc(template).format(**{k: esc(v) for k, v in values.items()})


def section(title: str, body: str, css: str = "") -> str:
    """One report section (a page break comes before each in print); ``body`` is HTML we built."""
    from .fragments import render_fragment, trusted

    return str(render_fragment("section", title=title, body=trusted(body), css=css))


def short(text: str, n: int = 60) -> str:
    """``text`` cut to ``n`` characters, an ellipsis marking the cut."""
    return text if len(text) <= n else text[: n - 3] + "…"
