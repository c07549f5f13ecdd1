"""Server-side guards in Voila's server process: no file listing, no theme/template choice from the
URL, the visitor's address and sign-in cookie stamped on the page request, and a kernel budget
checked before a page gets a kernel. One wrapper of ``VoilaHandler.prepare`` does all of it.

Installed when Voila imports ``workbook.serving.kernels`` in its server process.

- The page request's headers ``X-Workbook-Client`` (``client_address``) and
  ``X-Workbook-Session`` (``web_session``) are set here, replacing whatever the client sent
  under those names; Voila passes them to the page's kernel.

- ``/voila/api/contents/...`` (Voila's file-tree API: it lists every notebook and returns a
  notebook's source with ``?content=1``) answers 404 for every path.
- ``template`` and ``theme`` query arguments are removed from every page request before Voila
  reads them: Voila (``VoilaHandler.get_generator``) reads both whatever
  ``allow_template_override`` / ``allow_theme_override`` say, and a value that differs from the
  pool's skips the preheated pool and starts a new kernel per request.
- Budget: see ``WorkbookKernelManager.admit`` (workbook/serving/kernels.py) and ``kernel_budget``; the
  visitor is the session's subject when the cookie holds a live session (one read of the
  sessions table), else the address. A page request over the budget gets the busy page (template ``busy_page``)
  (HTTP 503, ``Retry-After``), not a kernel, in the language the browser asks for (``Accept-Language``): the
  visitor may not be signed in yet.
"""
from __future__ import annotations

import asyncio
import inspect

IGNORED_ARGUMENTS = ("template", "theme")
RETRY_AFTER_SECONDS = 60
_installed = False


def strip_ignored_arguments(request) -> None:
    """Drop the template/theme query arguments of a tornado request (Voila never sees them)."""
    for name in IGNORED_ARGUMENTS:
        request.arguments.pop(name, None)
        request.query_arguments.pop(name, None)
        request.body_arguments.pop(name, None)


async def visitor_of_request(handler) -> str:
    """The live session's subject of the request's sign-in cookie ('' when none or unreadable)."""
    from .web_session import COOKIE

    token = handler.get_cookie(COOKIE) or ""
    if not token:
        return ""

    def lookup() -> str:
        from workbook.store import open_database
        from workbook.store.sessions import visitor_of

        return visitor_of(open_database(), token)

    try:
        return await asyncio.get_running_loop().run_in_executor(None, lookup)
    except Exception:  # noqa: BLE001 - a store that is down: the visitor is treated as anonymous
        from workbook import logs

        logs.logger("workbook.serving").warning("sign-in cookie not checked (store unreachable): the page is admitted as anonymous", exc_info=True)
        return ""


async def admit_page(handler) -> None:
    """Admit a page request under the kernel budget, or answer it with the busy page (503)."""
    from .client_address import HEADER
    from .kernels import CURRENT_TICKET

    manager = handler.settings.get("kernel_manager")
    notebook = (handler.path_args[0] if handler.path_args else "") or ""
    if handler.request.method != "GET" or not notebook.endswith(".ipynb") or not hasattr(manager, "admit"):
        return
    address = handler.request.headers.get(HEADER) or handler.request.remote_ip or ""
    subject = await visitor_of_request(handler)
    ticket = manager.admit(subject or address, notebook, signed_in=bool(subject))
    if ticket is None:
        from workbook import logs

        logs.logger("workbook.serving").warning(
            "page %s refused to %s%s: kernel budget full (%d kernels, %d held by this visitor, %d anonymous)",
            notebook, address, f" ({subject})" if subject else "", manager.kernels_committed(),
            manager.budget.held_by(subject or address), manager.budget.anonymous())
        handler.set_status(503)
        handler.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
        handler.set_header("Content-Type", "text/html; charset=UTF-8")
        handler.set_header("Cache-Control", "no-store")
        from workbook.i18n import request_language, using
        from workbook.render.fragments import render_fragment

        with using(request_language(handler.request.headers.get("Accept-Language"))) as language:
            handler.finish(str(render_fragment("busy_page", language=language)))
        return
    handler._workbook_ticket = ticket
    CURRENT_TICKET.set(ticket)


def install() -> None:
    """Patch Voila's handlers in this (server) process; idempotent, a no-op outside Voila."""
    global _installed
    try:
        from tornado import web
        from voila.handler import VoilaHandler
        from voila.tornado.contentshandler import VoilaContentsHandler
    except ImportError:  # not inside Voila's server
        return
    if _installed:
        return
    from workbook.settings import get_settings

    from . import client_address, web_session

    trusted = get_settings().trusted_proxy_networks()

    async def no_listing(self, path=""):
        raise web.HTTPError(404)

    VoilaContentsHandler.get = no_listing

    original_prepare = VoilaHandler.prepare
    original_on_finish = VoilaHandler.on_finish

    async def prepare(self, *args, **kwargs):
        strip_ignored_arguments(self.request)
        self.request.headers[client_address.HEADER] = client_address.request_address(self.request, trusted)
        self.request.headers[web_session.HEADER] = self.get_cookie(web_session.COOKIE) or ""
        result = original_prepare(self, *args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        if not self._finished:
            await admit_page(self)
        return result

    def on_finish(self):
        from .kernels import CURRENT_TICKET

        ticket = getattr(self, "_workbook_ticket", None)
        manager = self.settings.get("kernel_manager")
        if ticket is not None and hasattr(manager, "budget"):
            manager.budget.release(ticket)  # only if it never got a kernel
            CURRENT_TICKET.set(None)
        return original_on_finish(self)

    VoilaHandler.prepare = prepare
    VoilaHandler.on_finish = on_finish
    _installed = True
