"""A page's kernel websocket sends each message at once (``TCP_NODELAY``), not after the page acknowledges the last.

Tornado leaves Nagle's algorithm on for websockets unless a handler turns it off, and neither Jupyter's server nor
Voila does. A kernel answers each message of a page with several small ones (status busy, the reply or widget
update, status idle); with Nagle on, the second waits until the page's TCP stack acknowledges the first, which a
receiver delays (40 ms on Linux, up to 200 ms on Windows) when it has nothing to send back: every round trip of a
page (the connection, the sign-in, each answer) waited ~45 ms here with both ends on one machine.
"""
from __future__ import annotations


def install() -> None:
    """In Voila's server process: every kernel websocket opened from now on has Nagle off (idempotent)."""
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    if getattr(KernelWebsocketHandler.open, "_workbook_nodelay", False):
        return
    original = KernelWebsocketHandler.open

    async def open(self, *args, **kwargs):  # noqa: A001 - tornado's name for the handler method
        self.set_nodelay(True)
        return await original(self, *args, **kwargs)

    open._workbook_nodelay = True
    KernelWebsocketHandler.open = open
