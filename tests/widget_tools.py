"""Find widgets in a built page (tests that drive ipywidgets pages without a browser): the one widget walker."""
from __future__ import annotations

import ipywidgets as w


def walk(widget: w.Widget):
    """Every widget under ``widget`` (depth first), itself included, once the redraws waiting under it have run."""
    settle(widget)
    yield from _tree(widget)


def _tree(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _tree(child)


def settle(widget: w.Widget) -> None:
    """Run now every deferred "your results" redraw waiting under ``widget``. In-process tests defer it until the
    page is read (tests/conftest.py), as served pages defer it a moment: twenty answers cost one redraw, not twenty."""
    from workbook.ui.widgets.deferred import Coalesced

    for x in list(_tree(widget)):
        redraw = getattr(x, "redraw", None)
        if isinstance(redraw, Coalesced) and redraw.pending:
            redraw.settle()


def _matches(x: w.Widget, what: type | str | None, kind: type | None, attrs: dict) -> bool:
    if isinstance(what, str):
        if what not in getattr(x, "_dom_classes", ()):
            return False
    elif what is not None and not isinstance(x, what):
        return False
    return (kind is None or isinstance(x, kind)) and all(getattr(x, k, None) == v for k, v in attrs.items())


def find(root: w.Widget, what: type | str | None = None, kind: type | None = None, **attrs) -> list[w.Widget]:
    """Widgets under ``root`` matching ``what`` (a widget type, or a CSS class name), of type ``kind`` when
    given, whose attributes equal ``attrs``: ``find(page, w.Button, description="Save")``, ``find(page, "wb-row")``."""
    return [x for x in walk(root) if _matches(x, what, kind, attrs)]


def one(root: w.Widget, what: type | str | None = None, kind: type | None = None, **attrs) -> w.Widget:
    """The single widget ``find`` gives (the test fails, naming what it looked for, when there are none or several)."""
    found = find(root, what, kind, **attrs)
    assert len(found) == 1, f"expected one widget {what!r} {kind.__name__ if kind else ''} {attrs or ''}, found {len(found)}"
    return found[0]


def button(widget: w.Widget, description: str) -> w.Button:
    """The first button labelled ``description``."""
    found = find(widget, w.Button, description=description)
    assert found, f"no button {description!r}"
    return found[0]


def html_text(widget: w.Widget) -> str:
    """The HTML of every HTML widget under ``widget``, one per line."""
    return "\n".join(x.value for x in walk(widget) if isinstance(x, w.HTML))
