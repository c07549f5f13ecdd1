"""Helpers for driving ipywidgets pages in tests (no browser): find widgets in the tree."""
from __future__ import annotations

import ipywidgets as w


def walk(widget):
    """Every widget under ``widget`` (depth first), itself included."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def find(widget, kind, **attrs):
    """All widgets of ``kind`` under ``widget`` whose attributes match ``attrs``."""
    return [x for x in walk(widget) if isinstance(x, kind) and all(getattr(x, k, None) == v for k, v in attrs.items())]


def button(widget, description: str) -> w.Button:
    found = find(widget, w.Button, description=description)
    assert found, f"no button {description!r}"
    return found[0]


def html_text(widget) -> str:
    return "\n".join(x.value for x in walk(widget) if isinstance(x, w.HTML))
