"""Find widgets in a built page by type and CSS class (for tests that drive pages without a browser)."""
from __future__ import annotations

import ipywidgets as w


def walk(widget: w.Widget):
    """Every widget under ``widget``, depth first, itself included."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def find(root: w.Widget, cls: str, kind: type | None = None) -> list[w.Widget]:
    """Widgets under ``root`` carrying the CSS class ``cls`` (and of type ``kind`` when given)."""
    return [x for x in walk(root) if cls in getattr(x, "_dom_classes", ()) and (kind is None or isinstance(x, kind))]


def one(root: w.Widget, cls: str, kind: type | None = None) -> w.Widget:
    found = find(root, cls, kind)
    assert len(found) == 1, f"expected one widget with class {cls!r}, found {len(found)}"
    return found[0]
