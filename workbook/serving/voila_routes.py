"""The workbook's own routes in Voila's server: one patch of ``Voila.init_handlers`` that appends them to Voila's."""
from __future__ import annotations

from collections.abc import Callable

_added: set[str] = set()


def add_voila_routes(name: str, handlers: Callable[[str], list]) -> None:
    """In Voila's server process: serve ``handlers(base_url)`` beside Voila's own routes (once per ``name``;
    nothing when Voila is not installed)."""
    try:
        from voila.app import Voila
    except ImportError:
        return
    if name in _added:
        return
    original_handlers = Voila.init_handlers

    def init_handlers(self):
        return list(original_handlers(self)) + handlers(self.server_url or self.base_url or "/")

    Voila.init_handlers = init_handlers
    _added.add(name)
