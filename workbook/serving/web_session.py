"""The sign-in cookie, in Voila's server process: no session token in any URL, history or log.

A page that signed in by code shows its browser a one-time ticket; the page template's script
posts it (with the ``_xsrf`` double-submit token) to ``POST /workbook/session``, which sets the
session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page or link
sends it), Secure when the page came over HTTPS. Every page request then carries the cookie's
token to the page's kernel as the header ``X-Workbook-Session``, stamped by the server (a
client's own header of that name is overwritten) and passed on by
``VoilaConfiguration.http_header_envs``; the kernel resumes the session from it
(``HTTP_X_WORKBOOK_SESSION``). ``POST /workbook/signout`` ends the cookie's sessions and clears it.
A preheated kernel receives the header when Voila hands it to the visitor
(``voila.utils.wait_for_request``), like the page's URL.
"""
from __future__ import annotations

import asyncio
import os
import threading

from .voila_routes import add_voila_routes

COOKIE = "workbook_session"
HEADER = "X-Workbook-Session"
ENV = "HTTP_X_WORKBOOK_SESSION"
SESSION_PATH = "workbook/session"
SIGNOUT_PATH = "workbook/signout"


def page_session_token() -> str:
    """In a page's kernel: the session token the browser's cookie carried ('' when none)."""
    return os.environ.get(ENV, "")


def _is_https(handler, trusted) -> bool:
    from .client_address import _ip, _trusted

    if handler.request.protocol == "https":
        return True
    if _trusted(_ip(handler.request.remote_ip or ""), trusted):
        proto = handler.request.headers.get_list("X-Forwarded-Proto")
        return bool(proto) and proto[-1].split(",")[-1].strip().lower() == "https"
    return False


def _handlers(base_url: str, trusted) -> list:
    """The two tornado handlers (built here: tornado is imported only inside the server)."""
    from tornado import web

    from workbook.errors import WorkbookError

    class _Base(web.RequestHandler):
        def set_default_headers(self) -> None:
            self.set_header("Cache-Control", "no-store")

        async def _db_call(self, fn, *args):
            from workbook.store import open_database

            return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(open_database(), *args))

        def _set(self, token: str) -> None:
            self.set_cookie(COOKIE, token, path=base_url, httponly=True, samesite="Strict", secure=_is_https(self, trusted))

        def _clear(self) -> None:
            self.clear_cookie(COOKIE, path=base_url, httponly=True, samesite="Strict", secure=_is_https(self, trusted))

        def write_error(self, status_code: int, **kwargs) -> None:
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("refused" if status_code < 500 else "the sign-in could not be completed")

    class SessionHandler(_Base):
        """Exchange a page's one-time ticket for the session cookie."""

        async def post(self) -> None:
            from workbook.store.sessions import redeem_ticket, visitor_of

            from .client_address import request_address

            self.check_xsrf_cookie()
            ticket = self.get_body_argument("ticket", "")
            try:
                token = await self._db_call(redeem_ticket, ticket, self.get_cookie(COOKIE) or "")
                subject = await self._db_call(visitor_of, token)
            except WorkbookError as exc:
                self.set_status(403)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(str(exc))
                return
            self._set(token)
            manager = self.settings.get("kernel_manager")
            if subject and hasattr(manager, "budget"):  # the page's kernel now counts for the person
                manager.budget.sign_in(request_address(self.request, trusted), subject)
            self.set_status(204)

    class SignoutHandler(_Base):
        """End the cookie's sessions (every page of its subject) and clear the cookie."""

        async def post(self) -> None:
            from workbook.store.sessions import end_session_of_token

            self.check_xsrf_cookie()
            token = self.get_cookie(COOKIE) or ""
            if token:
                await self._db_call(end_session_of_token, token)
            self._clear()
            self.set_status(204)

    from jupyter_server.utils import url_path_join

    return [
        (url_path_join(base_url, SESSION_PATH), SessionHandler),
        (url_path_join(base_url, SIGNOUT_PATH), SignoutHandler),
    ]


def warm() -> threading.Thread:
    """In Voila's server process, as it starts: import the store (SQLAlchemy, the models, their dependencies) in a
    background thread, so the first visitor's cookie exchange does not pay for the imports (~1 CPU s). Nothing is
    opened: the database is first touched by a visitor's request, as before."""

    def run() -> None:
        try:
            import workbook.store.sessions  # noqa: F401 - imported for its cost, not used here
        except Exception:  # noqa: BLE001 - warming is an optimisation: the first visitor's request reports a real fault
            from workbook import logs

            logs.logger("workbook.serving").warning("the store was not imported at start: the first visitor imports it", exc_info=True)

    thread = threading.Thread(target=run, name="workbook-warm-store", daemon=True)
    thread.start()
    return thread


def install() -> None:
    """In Voila's server process: add the two handlers (idempotent; nothing outside Voila). The
    page request is stamped with the cookie's token by ``serving.guard``."""
    from workbook.settings import get_settings

    trusted = get_settings().trusted_proxy_networks()
    add_voila_routes(__name__, lambda base_url: _handlers(base_url, trusted))
