"""The visitor's address for the page's kernel, so wrong access codes are slowed per address too.

Voila hands a kernel only the page's URL and the request headers it is told to pass
(``VoilaConfiguration.http_header_envs``). In Voila's server process, this sets the header
``X-Workbook-Client`` of every page request to the address the server itself saw, replacing
whatever a client sent under that name, and ``voila_command`` passes that header on: the kernel
reads it as ``HTTP_X_WORKBOOK_CLIENT``. Behind a reverse proxy every visitor has the proxy's
address; the per-address limit is therefore higher than the per-page one (settings).
"""
from __future__ import annotations

import inspect
import os

HEADER = "X-Workbook-Client"
ENV = "HTTP_X_WORKBOOK_CLIENT"


def client_address() -> str:
    """The address of this page's visitor as the server saw it ('' when unknown)."""
    return os.environ.get(ENV, "")


def install() -> None:
    """Stamp the client's address on every page request Voila serves (idempotent)."""
    try:
        from voila.handler import VoilaHandler
    except ImportError:  # not inside Voila's server
        return
    if getattr(VoilaHandler.prepare, "_workbook_client", False):
        return
    original = VoilaHandler.prepare

    async def prepare(self, *args, **kwargs):
        self.request.headers[HEADER] = self.request.remote_ip or ""
        result = original(self, *args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    prepare._workbook_client = True
    VoilaHandler.prepare = prepare
