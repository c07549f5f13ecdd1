"""A page's kernel websocket opened with less traffic for a forked page kernel (#17: a visit's CPU).

Jupyter's server does two things before a new websocket carries a page's messages. It asks the kernel once for its
``kernel_info`` (the protocol version it speaks) on a socket of its own; and it "nudges" the connection: two more
sockets, ``kernel_info_request`` on shell and on control, repeated until a reply and an IOPub message have come, so
that the page's IOPub subscription is known to be live before the page's first request (whose answer, the widget
states, comes on IOPub). That is three requests and their busy/idle messages, about a tenth of a visit's CPU.

For a kernel forked from the fork server (``forking.ForkProvisioner``) both are known another way:
- it runs this environment's ipykernel, so its protocol version is ipykernel's (``known_kernel_info``);
- its IOPub socket (ZeroMQ XPUB) reports every subscription, repeated ones too (``page_kernel.PageKernelApp`` sets
  ``XPUB_VERBOSE``), and ipykernel answers each with an ``iopub_welcome`` message (Jupyter's JEP 65). A welcome seen
  on the connection's own IOPub stream proves its subscription live, which is what the nudge waits for
  (``welcomed_nudge``). If none comes within ``WELCOME_WAIT`` seconds, Jupyter's own nudge runs, as before.
Any other kernel is nudged and asked as Jupyter does, as is every kernel with an ipykernel that sends no welcome
(6.29, which the package allows), and a page that reconnects on the streams Jupyter kept for
it while it was away (its subscription is not new: no welcome would come).
"""
from __future__ import annotations

import asyncio

WELCOME_WAIT = 10.0  # seconds to wait for the kernel's welcome before falling back to Jupyter's nudge


def kernels_welcome() -> bool:
    """Whether this environment's ipykernel answers a new IOPub subscription with ``iopub_welcome`` (ipykernel 7;
    the package allows 6.29, whose IOPub socket is a plain PUB: its pages are nudged as Jupyter does)."""
    from ipykernel.iostream import IOPubThread

    return hasattr(IOPubThread, "_send_welcome_message")


def forked(kernel_manager) -> bool:
    """Whether this kernel was forked from the fork server (so it is a ``PageKernelApp`` of this environment)."""
    return bool(getattr(getattr(kernel_manager, "provisioner", None), "forked", False))


def known_kernel_info(kernel_manager) -> None:
    """For a forked kernel: its kernel info (the protocol version of this environment's ipykernel) stored where
    Jupyter's server looks before asking the kernel, so the page's first websocket does not ask it."""
    if not forked(kernel_manager) or hasattr(kernel_manager, "_kernel_info_future"):
        return
    from ipykernel._version import kernel_protocol_version

    future = asyncio.get_running_loop().create_future()
    future.set_result({"protocol_version": kernel_protocol_version})
    kernel_manager._kernel_info_future = future


def welcomed_nudge(connection, jupyters_nudge) -> asyncio.Future:
    """Resolved once an IOPub message (the kernel's welcome to this subscription) reaches the connection's own IOPub
    stream; Jupyter's nudge if none came within ``WELCOME_WAIT`` s, or at once for a stream welcomed before."""
    iopub = connection.channels["iopub"]
    if getattr(iopub, "_workbook_confirmed", False):  # streams kept for a page that reconnects: nothing new to welcome
        return jupyters_nudge(connection)
    welcomed = asyncio.get_running_loop().create_future()

    def on_iopub(_msg) -> None:
        iopub._workbook_confirmed = True
        if not welcomed.done():
            welcomed.set_result(None)

    iopub.on_recv(on_iopub)

    async def until_welcomed() -> None:
        try:
            await asyncio.wait_for(welcomed, WELCOME_WAIT)
        except TimeoutError:
            if iopub.closed():  # the page left meanwhile: nothing to confirm
                return
            connection.log.warning("No IOPub welcome from kernel %s in %.0f s: nudging it as Jupyter does",
                                   connection.kernel_id, WELCOME_WAIT)
            iopub.stop_on_recv()
            await jupyters_nudge(connection)
            return
        if not iopub.closed():
            iopub.stop_on_recv()

    return asyncio.ensure_future(until_welcomed())


def page_nudge(jupyters_nudge, welcomes: bool):
    """The connection's ``nudge``: the welcome for a forked kernel when this environment's kernels welcome, else
    ``jupyters_nudge``."""

    def nudge(self):
        if not (welcomes and forked(self.kernel_manager)):
            return jupyters_nudge(self)
        return welcomed_nudge(self, jupyters_nudge)

    nudge._workbook_welcomed = True
    return nudge


def install() -> None:
    """In the server process: forked page kernels' websockets are confirmed by the kernel's welcome (idempotent)."""
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    if getattr(ZMQChannelsWebsocketConnection.nudge, "_workbook_welcomed", False):
        return
    ZMQChannelsWebsocketConnection.nudge = page_nudge(ZMQChannelsWebsocketConnection.nudge, kernels_welcome())
