"""The page shell shared by every Voila page: style, banner, sign-in, role check, body."""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from urllib.parse import parse_qs, quote

import ipywidgets as w

from ..auth import Identity
from ..client_address import client_address
from ..errors import WorkbookError
from ..store import AccessCodeAuthenticator, Database, open_database
from ..store.access import require_role
from ..widgets.common import HTML, StatusLine, esc, log, safe, style
from ..widgets.signin import SignIn


def banner(kicker: str, title: str) -> w.HTML:
    return HTML(f'<div class="wb-banner"><div class="wb-kicker">{esc(kicker)}</div><h1>{esc(title)}</h1></div>')


_SESSION: dict[str, str] = {}  # one kernel serves one page for one person


def page_link(notebook: str) -> str:
    """A relative link to another page that carries this person's sign-in along."""
    token = _SESSION.get("token")
    return f"./{quote(notebook)}" + (f"?s={quote(token)}" if token else "")


def preheating() -> bool:
    """Whether this kernel is a preheated one, waiting in Voila's pool for its visitor."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False" and "VOILA_KERNEL_ID" in os.environ


def _query_token() -> str:
    """The ``s`` parameter of the page's URL: waits for Voila to hand a preheated kernel its request."""
    if "VOILA_KERNEL_ID" not in os.environ and "QUERY_STRING" not in os.environ:
        return ""
    if preheating():
        from voila.utils import wait_for_request

        wait_for_request()
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get("s", [])
    return values[0] if values else ""


def _sources() -> list[str]:
    """Where a sign-in comes from, for slowing down wrong codes: this page (its kernel) and the
    visitor's address as the server saw it (read when the code is typed: a preheated kernel
    learns it only when its visitor arrives)."""
    out = [os.environ.get("VOILA_KERNEL_ID") or f"pid{os.getpid()}"]
    address = client_address()
    if address:
        out.append(f"addr:{address}")
    return out


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
        warm: Callable[[], object] | None = None,
    ):
        """``warm`` runs in a preheated kernel before its visitor comes: whatever sign-in and the
        first save would otherwise load or start while the whole cohort waits (imports, the
        chart renderer)."""
        self.status = StatusLine()
        self.body = w.VBox()
        self._build, self._roles, self._warm = build, roles, warm
        try:
            self.db = db or open_database()
            self.auth = AccessCodeAuthenticator(self.db)
            self.signin: w.Widget = SignIn(self.auth, self._signed_in, source=_sources)
            threading.Thread(target=self._resume, daemon=True, name="workbook-resume").start()
        except WorkbookError as exc:
            self.db = None
            self.signin = HTML()
            self.status.error(str(exc))
        children = [style(), banner(kicker, title), self.signin, self.status, *(intro or []), self.body]
        super().__init__(children)
        self.add_class("wb-page")

    def _resume(self) -> None:
        """Sign in from the session token in the page's link, if there is a live one."""
        if self._warm is not None and preheating():
            try:
                self._warm()
            except Exception:  # noqa: BLE001 - warming only saves time; the page works without it
                # debug level: a kernel's stderr would land on the visitor's page
                log.debug("warming the page's kernel failed; the page works, its sign-in is slower", exc_info=True)
        @safe(self.status)
        def resume() -> None:
            token = _query_token()
            if token and self.signin.identity is None:
                identity = self.auth.resume(token)
                _SESSION["token"] = token
                self.signin.accept(identity)

        resume()

    def _signed_in(self, identity: Identity) -> None:
        @safe(self.status)
        def fill() -> None:
            if "token" not in _SESSION:
                _SESSION["token"] = self.auth.start_session(identity)
            require_role(identity, *self._roles)
            self.identity = identity
            self.status.warn("Loading your page…")
            self.body.children = self._build(self.db, identity)
            if "Loading" in self.status.value:
                self.status.clear()

        fill()
