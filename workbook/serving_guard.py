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

    async def prepare(self, *args, **kwargs):
        strip_ignored_arguments(self.request)
        result = original_prepare(self, *args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    VoilaHandler.prepare = prepare
    _installed = True
