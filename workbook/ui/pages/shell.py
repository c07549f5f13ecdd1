"""The page shell shared by every Voila page: style, banner, sign-in, language, role check, body.

A page renders in one language at a time (``Page.language``): everything it builds, and every action from
the browser it handles, runs inside ``workbook.i18n.using(page.language)``. The language is the person's
stored choice once signed in (else their cohort's default), or the one picked in the selector; picking one
re-renders the page and saves the choice with the person (or the rater)."""
from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from urllib.parse import quote

import ipywidgets as w

from workbook.auth.identity import ROLES, Identity, JupyterHubAuthenticator
from workbook.errors import AccessDenied, WorkbookError
from workbook.i18n import DEFAULT_LANGUAGE, _, using
from workbook.render.fragments import render_fragment
from workbook.serving.client_address import client_address
from workbook.serving.web_session import page_session_token
from workbook.store import AccessCodeAuthenticator, Database, identity_for_login, open_database
from workbook.store.access import require_role
from workbook.store.languages import language_of, rater_language, set_language, set_rater_language
from workbook.store.sessions import ENDED, check_session, end_sessions, start_session_with_ticket

from ..widgets.common import HTML, StatusLine, log, safe, style
from ..widgets.deferred import drawn_before_sent, run_later
from ..widgets.opening import opened_together, prepare_states
from ..widgets.signin import SignIn

Text = str | Callable[[], str]  # a page's kicker and title: words, or a function giving them in the current language


def _text(value: Text) -> str:
    return value() if callable(value) else str(value)


def banner(kicker: str, title: str) -> w.HTML:
    return HTML(render_fragment("shell", part="banner", kicker=kicker, title=title))


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


def visitor_arrives() -> None:
    """A served notebook's last cell. In a preheated kernel, every other cell has run by now (the page, its worked
    examples): compute the state of every widget model the page will ask for once connected (``prepare_states``),
    wait here for the visitor's request and resume their sign-in cookie's session, so a visit costs only what
    depends on the visitor. Anywhere else the page resumed as it was built, and this does nothing."""
    if _ARRIVING:
        prepare_states()
    while _ARRIVING:
        _ARRIVING.pop(0)._resume_now()


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
_ARRIVING: list[Page] = []  # preheated pages whose visitor (request, cookie) the notebook's last cell waits for
_LIVE: weakref.WeakSet[Page] = weakref.WeakSet()  # signed-in pages whose session is checked
_PAGES: weakref.WeakSet[Page] = weakref.WeakSet()  # every page of this kernel: its language for the browser's actions
_ENDED_MODELS: set[str] = set()  # widgets of ended pages: their messages are dropped
_ACTIONS = ("update", "custom")  # a value changed or a button clicked in the browser


def _guarded(original):
    def _handle_msg(self, msg):
        """Before any action from the browser: the page's session must still be live. The action runs
        in its page's language."""
        data = (msg.get("content") or {}).get("data") or {}
        if data.get("method") in _ACTIONS:
            for page in list(_LIVE):
                page.check_session()
            if self.model_id in _ENDED_MODELS:
                return None
        with using(_language_for(self)):
            return original(self, msg)

    _handle_msg._workbook_guard = True
    return _handle_msg


def _language_for(widget: w.Widget) -> str:
    """The language of the page ``widget`` belongs to (one page per kernel when served; in-process
    tests may hold several, so the page whose tree holds the widget)."""
    pages = list(_PAGES)
    if len(pages) == 1:
        return pages[0].language
    for page in pages:
        if any(x is widget for x in _tree(page)):
            return page.language
    return DEFAULT_LANGUAGE


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
        kicker: Text,
        title: Text,
        build: Callable[[Database, Identity], list[w.Widget]],
        intro: list[w.Widget] | Callable[[], list[w.Widget]] | None = None,
        roles: tuple[str, ...] = ROLES,
        db: Database | None = None,
        warm: Callable[[Database], object] | None = None,
    ):
        """``warm(db)`` runs in a preheated kernel before its visitor comes: whatever sign-in and the
        first save would otherwise load or start while the whole cohort waits (imports, the
        chart renderer, the page's statements compiled). ``kicker``, ``title`` and ``intro`` may be functions: they are called
        again when the page changes language (``intro`` is then rebuilt)."""
        self.language = DEFAULT_LANGUAGE
        self._chosen_here = False  # the visitor picked the language on this page before signing in
        self.status = StatusLine()
        self.body = w.VBox()
        self.identity: Identity | None = None
        self.session_token: str | None = None
        self.hub: JupyterHubAuthenticator | None = None  # set under auth_mode "jupyterhub": the identity's only source
        self.ended = False
        self._build, self._roles, self._warm = build, roles, warm
        self._kicker, self._title, self._intro_of = kicker, title, intro
        self._ticket = HTML(layout=w.Layout(display="none"))  # the one-time cookie ticket, for the template's script
        # the page's language, for the template's <html lang>: set now, so a sign-in in this language changes nothing
        self._lang = HTML(render_fragment("shell", part="language", language=self.language), layout=w.Layout(display="none"))
        with using(self.language):
            self._head = [style(), banner(_text(kicker), _text(title))]
            self.intro = list(intro() if callable(intro) else intro or [])
            try:
                self.db = db or open_database()
                self.auth = AccessCodeAuthenticator(self.db)  # refuses every code under JupyterHub
                db_ = self.db
                self.hub = (JupyterHubAuthenticator(lambda login: identity_for_login(db_, login))
                            if self.db.settings.auth_mode == "jupyterhub" else None)
                self.signin: w.Widget = SignIn(self.auth, self._signed_in, source=_sources, on_signout=self.sign_out,
                                               on_language=self.choose_language, codes=self.hub is None)
            except WorkbookError as exc:
                self.db = None
                self.signin = HTML()
                self.status.error(str(exc))
        super().__init__(self._children())
        self.add_class("wb-page")
        _PAGES.add(self)
        if self.db is not None:
            self._resume()

    def _children(self) -> list[w.Widget]:
        return [*self._head, self.signin, self.status, *self.intro, self.body, self._ticket, self._lang]

    def choose_language(self, language: str) -> None:
        """The person picked ``language``: save it with them (once signed in) and re-render the page in it."""
        @safe(self.status)
        def choose() -> None:
            self._chosen_here = True
            if self.identity is not None:
                self._save_language(self.identity, language)
            self._show_language(language, rebuild=True)

        choose()

    def _save_language(self, identity: Identity, language: str) -> None:
        if identity.role == "rater":
            set_rater_language(self.db, identity, language)
        elif identity.person_id is not None:
            set_language(self.db, identity, identity.person_id, language)

    def _stored_language(self, identity: Identity) -> str:
        if identity.role == "rater":
            return rater_language(self.db, identity)
        if identity.person_id is not None:
            return language_of(self.db, identity, identity.person_id)
        return self.language

    def _show_language(self, language: str, rebuild: bool) -> None:
        """Render the head, the sign-in's words and the intro in ``language`` (and the body, when ``rebuild``
        and someone is signed in); tell the template's script the page's language."""
        changed = language != self.language
        self.language = language
        self._lang.value = render_fragment("shell", part="language", language=language)
        if isinstance(self.signin, SignIn):
            self.signin.language.show(language)
        from ..widgets.page_text import relocalize

        relocalize(language)  # the notebook's own words below the page cell (exercises/page_texts.yaml)
        if not changed:
            return
        with using(language):
            # the same banner widget with new words: a new one would make the browser redraw every view after
            # it (ipywidgets replaces a box's views from the first changed child on), the sign-in box included,
            # under the visitor's cursor while they type their code
            self._head[1].value = banner(_text(self._kicker), _text(self._title)).value
            if isinstance(self.signin, SignIn):
                self.signin.relabel()
            if callable(self._intro_of):
                self.intro = list(self._intro_of())
            if rebuild and self.identity is not None:
                with opened_together():
                    self.body.children = self._build(self.db, self.identity)
            if not self.ended:
                self.children = self._children()

    def _resume(self) -> None:
        """Sign in from the browser's sign-in cookie, if it holds a live session for this page.

        Runs in a cell, before the page's output goes to the browser, so the page the browser receives
        is already the signed-in one. (Resumed from a thread after the cells, the body was built while
        the browser was still connecting and some of it never reached the page.) A preheated kernel
        warms up here, runs the notebook's other cells, and waits for its visitor's request (and
        cookie) in the notebook's last cell (``visitor_arrives``): a visit then runs only the sign-in."""
        if self._warm is not None and preheating():
            try:
                self._warm(self.db)
            except Exception:  # noqa: BLE001 - warming only saves time; the page works without it
                # debug level: a kernel's stderr would land on the visitor's page
                log.debug("warming the page's kernel failed; the page works, its sign-in is slower", exc_info=True)
        if self.hub is None and preheating():
            _ARRIVING.append(self)
            return
        self._resume_now()

    def _resume_now(self) -> None:
        @safe(self.status)
        def resume() -> None:
            if self.hub is not None:  # JupyterHub: the server's own user, nothing from the browser
                try:
                    identity = self.hub.authenticate()
                except AccessDenied as exc:
                    self.signin.status.error(str(exc))
                    return
                self.signin.accept(identity)  # a page not for this role says so in one line (_signed_in)
                return
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

        with using(self.language), drawn_before_sent():  # its charts drawn before the page leaves (deferred.py)
            resume()

    def _signed_in(self, identity: Identity) -> None:
        @safe(self.status)
        def fill() -> None:
            require_role(identity, *self._roles)
            if self.session_token is None and self.hub is None:  # signed in by code on this page
                self.session_token, ticket = start_session_with_ticket(self.db, identity)  # one write
                self._hand_ticket(ticket)
            self.identity = identity
            _LIVE.add(self)
            if self._chosen_here:  # picked before signing in: saved with the person
                self._save_language(identity, self.language)
            self._show_language(self.language if self._chosen_here else self._stored_language(identity), rebuild=False)
            with using(self.language):
                loading = _("Loading your page…")
                if not (isinstance(self.signin, SignIn) and self.signin.status.value):  # else its "Checking…" stays till built
                    self.status.warn(loading)
                with opened_together():  # each new widget model reaches the page once, in its final state
                    self.body.children = self._build(self.db, identity)
                if loading in self.status.value:
                    self.status.clear()

        with using(self.language):
            fill()

    def _hand_ticket(self, ticket: str) -> None:
        """Show the browser a one-time ticket for the sign-in cookie; withdrawn once it has expired."""
        self._ticket.value = render_fragment("shell", part="ticket", ticket=ticket)
        run_later(self.db.settings.signin_ticket_seconds, lambda: setattr(self._ticket, "value", ""))

    def check_session(self) -> bool:
        """Whether the page's session is live (its expiry slid forward); if it ended, end the page.
        A store that is down does not end it (answers are kept and retried)."""
        if self.ended or self.session_token is None:
            return not self.ended
        try:
            check_session(self.db, self.session_token)
        except AccessDenied:
            with using(self.language):
                ended = _(ENDED)
                self.end(ended[0].upper() + ended[1:] + ".")
            return False
        except WorkbookError:
            return True
        return True

    def sign_out(self) -> None:
        """End this person's sessions everywhere, then this page; the script clears the cookie."""
        if self.identity is not None and self.db is not None:
            end_sessions(self.db, self.identity)
        with using(self.language):
            self.end(_("You are signed out."), signed_out=True)

    def end(self, message: str, signed_out: bool = False) -> None:
        """Replace the page by one line and a link to sign in again; its widgets take no more actions."""
        if self.ended:
            return
        self.ended = True
        _LIVE.discard(self)
        _ENDED_MODELS.update(x.model_id for x in _tree(self) if getattr(x, "model_id", None))
        self.identity, self.session_token = None, None
        self._ticket.value = ""
        with using(self.language):
            notice = HTML(render_fragment("shell", part="ended", message=message, signed_out=signed_out))
        self.children = [*self._head, notice]
