"""Server-side guards in Voila's server process: no file listing, no theme/template choice from the
URL, and a kernel budget checked before a page gets a kernel.

Installed (like ``client_address``) when Voila imports ``workbook.kernels`` in its server process.

- ``/voila/api/contents/...`` (Voila's file-tree API: it lists every notebook and returns a
  notebook's source with ``?content=1``) answers 404 for every path.
- ``template`` and ``theme`` query arguments are removed from every page request before Voila
  reads them: Voila (``VoilaHandler.get_generator``) reads both whatever
  ``allow_template_override`` / ``allow_theme_override`` say, and a value that differs from the
  pool's skips the preheated pool and starts a new kernel per request.
- Budget: see ``WorkbookKernelManager.admit`` (workbook/kernels.py); a page request over it gets
  ``BUSY_PAGE`` (HTTP 503, ``Retry-After``), not a kernel.
"""
from __future__ import annotations

import inspect

IGNORED_ARGUMENTS = ("template", "theme")
RETRY_AFTER_SECONDS = 60
BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Servuction Workbook: busy</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#eef0f2;color:#1d2733;margin:0}
main{max-width:36rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:6px}</style></head>
<body><main><h1>The workbook is busy</h1><p>The workbook is busy, try again in a minute.</p>
<p>Your answers are saved; nothing is lost.</p></main></body></html>
"""
_installed = False


def strip_ignored_arguments(request) -> None:
    """Drop the template/theme query arguments of a tornado request (Voila never sees them)."""
    for name in IGNORED_ARGUMENTS:
        request.arguments.pop(name, None)
        request.query_arguments.pop(name, None)
        request.body_arguments.pop(name, None)


def admit_page(handler) -> None:
    """Admit a page request under the kernel budget, or answer it with the busy page (503)."""
    from .client_address import HEADER
    from .kernels import CURRENT_TICKET

    manager = handler.settings.get("kernel_manager")
    notebook = (handler.path_args[0] if handler.path_args else "") or ""
    if handler.request.method != "GET" or not notebook.endswith(".ipynb") or not hasattr(manager, "admit"):
        return
    client = handler.request.headers.get(HEADER) or handler.request.remote_ip or ""
    ticket = manager.admit(client, notebook)
    if ticket is None:
        from . import logs

        logs.logger("workbook.serving").warning("page %s refused to %s: kernel budget full (%d kernels, %d held by this address)",
                    notebook, client, manager.kernels_committed(), manager.budget.held_by(client))
        handler.set_status(503)
        handler.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
        handler.set_header("Content-Type", "text/html; charset=UTF-8")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(BUSY_PAGE)
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

    async def no_listing(self, path=""):
        raise web.HTTPError(404)

    VoilaContentsHandler.get = no_listing

    original_prepare = VoilaHandler.prepare
    original_on_finish = VoilaHandler.on_finish

    async def prepare(self, *args, **kwargs):
        strip_ignored_arguments(self.request)
        result = original_prepare(self, *args, **kwargs)  # client_address stamps the visitor's address here
        if inspect.isawaitable(result):
            result = await result
        if not self._finished:
            admit_page(self)
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
