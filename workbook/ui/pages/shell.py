"""The page shell shared by every Voila page: style, banner, sign-in, role check, body."""
from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from urllib.parse import quote

import ipywidgets as w

from workbook.auth.identity import ROLES, Identity
from workbook.errors import AccessDenied, WorkbookError
from workbook.render.html import esc
from workbook.serving.client_address import client_address
from workbook.serving.web_session import page_session_token
from workbook.store import AccessCodeAuthenticator, Database, open_database
from workbook.store.access import require_role
from workbook.store.sessions import ENDED, check_session, end_sessions, issue_ticket

from ..widgets.common import HTML, StatusLine, log, safe, style
from ..widgets.signin import SignIn


def banner(kicker: str, title: str) -> w.HTML:
    return HTML(f'<div class="wb-banner"><div class="wb-kicker">{esc(kicker)}</div><h1>{esc(title)}</h1></div>')


def page_link(notebook: str) -> str:
    """A plain relative link to another page: the sign-in travels in the browser's HttpOnly
    cookie (``workbook/serving/web_session.py``), never in a URL."""
    return f"./{quote(notebook)}"


def preheating() -> bool:
    """Whether this kernel is a preheated one, waiting in Voila's pool for its visitor."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False" and "VOILA_KERNEL_ID" in os.environ


def _cookie_token() -> str:
    """The session token of the browser's sign-in cookie, stamped on the page request by the
    server: waits for Voila to hand a preheated kernel its request."""
    if "VOILA_KERNEL_ID" not in os.environ and "QUERY_STRING" not in os.environ:
        return ""
    if preheating():
        from voila.utils import wait_for_request

        wait_for_request()
    return page_session_token()


def _sources() -> list[str]:
    """Where a sign-in comes from, for slowing down wrong codes: this page (its kernel) and the
    visitor's address as the server saw it (read when the code is typed: a preheated kernel
    learns it only when its visitor arrives)."""
    out = [os.environ.get("VOILA_KERNEL_ID") or f"pid{os.getpid()}"]
    address = client_address()
    if address:
        out.append(f"addr:{address}")
    return out


def _tree(widget: w.Widget):
    """Every widget under ``widget``, itself included."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _tree(child)


# One kernel serves one page; in-process tests may build several, each checked on its own.
_LIVE: weakref.WeakSet[Page] = weakref.WeakSet()  # signed-in pages whose session is checked
_ENDED_MODELS: set[str] = set()  # widgets of ended pages: their messages are dropped
_ACTIONS = ("update", "custom")  # a value changed or a button clicked in the browser


def _guarded(original):
    def _handle_msg(self, msg):
        """Before any action from the browser: the page's session must still be live."""
        data = (msg.get("content") or {}).get("data") or {}
        if data.get("method") in _ACTIONS:
            for page in list(_LIVE):
                page.check_session()
            if self.model_id in _ENDED_MODELS:
                return None
        return original(self, msg)

    _handle_msg._workbook_guard = True
    return _handle_msg


if not getattr(w.Widget._handle_msg, "_workbook_guard", False):
    w.Widget._handle_msg = _guarded(w.Widget._handle_msg)


class Page(w.VBox):
    """A page: ``intro`` is visible to everyone; ``build(identity)`` fills the body after sign-in.

    Signed in by code here, the page holds its own session and hands the browser a one-time
    ticket for the sign-in cookie; opened with a live cookie, it resumes that session. Every
    action from the browser first checks the session (a re-issued code, a revoked rater or a
    sign-out elsewhere ends the page with one line), and "Sign out" ends it everywhere."""

    def __init__(
        self,
        kicker: str,
        title: str,
        build: Callable[[Database, Identity], list[w.Widget]],
        intro: list[w.Widget] | None = None,
        roles: tuple[str, ...] = ROLES,
        db: Database | None = None,
        warm: Callable[[], object] | None = None,
    ):
        """``warm`` runs in a preheated kernel before its visitor comes: whatever sign-in and the
        first save would otherwise load or start while the whole cohort waits (imports, the
        chart renderer)."""
        self.status = StatusLine()
        self.body = w.VBox()
        self.identity: Identity | None = None
        self.session_token: str | None = None
        self.ended = False
        self._build, self._roles, self._warm = build, roles, warm
        self._head = [style(), banner(kicker, title)]
        self._ticket = HTML(layout=w.Layout(display="none"))  # the one-time cookie ticket, for the template's script
        try:
            self.db = db or open_database()
            self.auth = AccessCodeAuthenticator(self.db)
            self.signin: w.Widget = SignIn(self.auth, self._signed_in, source=_sources, on_signout=self.sign_out)
        except WorkbookError as exc:
            self.db = None
            self.signin = HTML()
            self.status.error(str(exc))
        children = [*self._head, self.signin, self.status, *(intro or []), self.body, self._ticket]
        super().__init__(children)
        self.add_class("wb-page")
        if self.db is not None:
            self._resume()

    def _resume(self) -> None:
        """Sign in from the browser's sign-in cookie, if it holds a live session for this page.

        Runs in the page's cell, before its output goes to the browser: a preheated kernel warms
        up, then waits here for its visitor's request (and cookie), so the page the browser
        receives is already the signed-in one. (Resumed from a thread after the cell, the body
        was built while the browser was still connecting and some of it never reached the page.)"""
        if self._warm is not None and preheating():
            try:
                self._warm()
            except Exception:  # noqa: BLE001 - warming only saves time; the page works without it
                # debug level: a kernel's stderr would land on the visitor's page
                log.debug("warming the page's kernel failed; the page works, its sign-in is slower", exc_info=True)
        @safe(self.status)
        def resume() -> None:
            token = _cookie_token()
            if not token or self.signin.identity is not None:
                return
            try:
                identity = self.auth.resume(token)
            except AccessDenied as exc:
                self.signin.status.warn(str(exc))
                return
            if identity.role not in self._roles:
                return  # another page's sign-in (a rater's on a trainee page): ask for a code here
            self.session_token = token
            self.signin.accept(identity)

        resume()

    def _signed_in(self, identity: Identity) -> None:
        @safe(self.status)
        def fill() -> None:
            require_role(identity, *self._roles)
            if self.session_token is None:  # signed in by code on this page
                self.session_token = self.auth.start_session(identity)
                self._hand_ticket(identity)
            self.identity = identity
            _LIVE.add(self)
            self.status.warn("Loading your page…")
            self.body.children = self._build(self.db, identity)
            if "Loading" in self.status.value:
                self.status.clear()

        fill()

    def _hand_ticket(self, identity: Identity) -> None:
        """Show the browser a one-time ticket for the sign-in cookie; withdrawn once it has expired."""
        ticket = issue_ticket(self.db, identity)
        self._ticket.value = f'<span data-wb-ticket="{esc(ticket)}"></span>'
        timer = threading.Timer(self.db.settings.signin_ticket_seconds, lambda: setattr(self._ticket, "value", ""))
        timer.daemon = True
        timer.start()

    def check_session(self) -> bool:
        """Whether the page's session is live (its expiry slid forward); if it ended, end the page.
        A store that is down does not end it (answers are kept and retried)."""
        if self.ended or self.session_token is None:
            return not self.ended
        try:
            check_session(self.db, self.session_token)
        except AccessDenied:
            self.end(ENDED[0].upper() + ENDED[1:] + ".")
            return False
        except WorkbookError:
            return True
        return True

    def sign_out(self) -> None:
        """End this person's sessions everywhere, then this page; the script clears the cookie."""
        if self.identity is not None and self.db is not None:
            end_sessions(self.db, self.identity)
        self.end("You are signed out.", signal='<span data-wb-signout="1"></span>')

    def end(self, message: str, signal: str = "") -> None:
        """Replace the page by one line and a link to sign in again; its widgets take no more actions."""
        if self.ended:
            return
        self.ended = True
        _LIVE.discard(self)
        _ENDED_MODELS.update(x.model_id for x in _tree(self) if getattr(x, "model_id", None))
        self.identity, self.session_token = None, None
        self._ticket.value = ""
        notice = HTML(f'<p class="wb-ended">{esc(message)} <a href="">Sign in</a></p>{signal}')
        self.children = [*self._head, notice]
