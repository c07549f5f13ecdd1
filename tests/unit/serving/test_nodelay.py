"""A page's kernel websocket turns Nagle's algorithm off before it connects to its kernel (serving/nodelay.py).

What it saves is a wait, measured by benchmarks/workshop.py (a message's round trip ~45 ms -> ~3-6 ms, both ends on
one machine), not asserted here in seconds: here, that the handler Jupyter's server runs for every page's websocket
turns Nagle off first (tornado's ``set_nodelay``: TCP_NODELAY on the handler's socket) and then opens as before."""
from __future__ import annotations

import asyncio

from jupyter_server.services.kernels.websocket import KernelWebsocketHandler


def test_the_kernel_websocket_turns_nagle_off_then_opens_as_before(monkeypatch):
    from workbook.serving import nodelay

    steps = []

    async def jupyters_open(self, kernel_id):
        steps.append(("opened", kernel_id))

    monkeypatch.setattr(KernelWebsocketHandler, "open", jupyters_open)
    nodelay.install()
    nodelay.install()  # a second import of the module wraps nothing twice

    class Handler:  # tornado's WebSocketHandler.set_nodelay sets TCP_NODELAY on the connection's socket
        def set_nodelay(self, value: bool) -> None:
            steps.append(("nodelay", value))

    asyncio.run(KernelWebsocketHandler.open(Handler(), "k-1"))
    assert steps == [("nodelay", True), ("opened", "k-1")]
