"""The page shell shared by every Voila page: style, banner, sign-in, role check, body."""
from __future__ import annotations

import os
from collections.abc import Callable

import ipywidgets as w

from ..auth import Identity
from ..errors import WorkbookError
from ..store import AccessCodeAuthenticator, Database, open_database
from ..store.access import require_role
from ..widgets.common import StatusLine, esc, safe, style
from ..widgets.signin import SignIn


def banner(kicker: str, title: str) -> w.HTML:
    return w.HTML(f'<div class="wb-banner"><div class="wb-kicker">{esc(kicker)}</div><h1>{esc(title)}</h1></div>')


def _source() -> str:
    """Where the sign-in comes from, for slowing down wrong codes (the kernel's page)."""
    return os.environ.get("VOILA_KERNEL_ID") or f"pid{os.getpid()}"


class Page(w.VBox):
    """A page: ``intro`` is visible to everyone; ``build(identity)`` fills the body after sign-in."""

    def __init__(
        self,
        kicker: str,
        title: str,
        build: Callable[[Database, Identity], list[w.Widget]],
        intro: list[w.Widget] | None = None,
        roles: tuple[str, ...] = ("trainee", "coach", "hr"),
        db: Database | None = None,
    ):
        self.status = StatusLine()
        self.body = w.VBox()
        self._build, self._roles = build, roles
        try:
            self.db = db or open_database()
            auth = AccessCodeAuthenticator(self.db)
            self.signin: w.Widget = SignIn(auth, self._signed_in, source=_source())
        except WorkbookError as exc:
            self.db = None
            self.signin = w.HTML()
            self.status.error(str(exc))
        children = [style(), banner(kicker, title), self.signin, self.status, *(intro or []), self.body]
        super().__init__(children)
        self.add_class("wb-page")

    def _signed_in(self, identity: Identity) -> None:
        @safe(self.status)
        def fill() -> None:
            require_role(identity, *self._roles)
            self.identity = identity
            self.body.children = self._build(self.db, identity)

        fill()
