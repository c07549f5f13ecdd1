"""A forked page kernel's websocket is confirmed by the kernel's IOPub welcome instead of Jupyter's nudge (#17): real
ZeroMQ sockets and ipykernel's own IOPub thread in this process (the server and kernels for real:
tests/integration/test_forked_kernels.py)."""
from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import zmq
from ipykernel.iostream import IOPubThread
from jupyter_client.session import Session
from zmq.eventloop.zmqstream import ZMQStream

from workbook.serving import page_connection
from workbook.serving.page_kernel import _VerboseXPub


async def _connect_second_subscriber(tmp_path, verbose: bool, wait: float, monkeypatch) -> tuple[list[str], float]:
    """A kernel's IOPub (ipykernel's thread on an XPUB socket, made as ``PageKernelApp`` makes it when ``verbose``)
    with one subscriber already (the server's activity watch), then a page's connection confirmed by
    ``welcomed_nudge``: (what resolved it, seconds taken)."""
    monkeypatch.setattr(page_connection, "WELCOME_WAIT", wait)
    context = zmq.Context()
    url = f"ipc://{tmp_path}/iopub"
    xpub = (_VerboseXPub(context) if verbose else context).socket(zmq.XPUB)
    xpub.bind(url)
    thread = IOPubThread(xpub, pipe=True, session=Session(key=b"k"))
    thread.start()
    watch = context.socket(zmq.SUB)
    watch.connect(url)
    watch.setsockopt(zmq.SUBSCRIBE, b"")
    assert watch.poll(10_000), "the first subscriber was not welcomed"  # a first subscription is welcomed anyway
    assert b"iopub_welcome" in watch.recv_multipart()[2]
    page = context.socket(zmq.SUB)
    page.connect(url)
    page.setsockopt(zmq.SUBSCRIBE, b"")
    resolved: list[str] = []

    async def jupyters_nudge(_connection):
        resolved.append("jupyter's nudge")

    stream = ZMQStream(page)
    connection = SimpleNamespace(channels={"iopub": stream}, log=logging.getLogger("test"), kernel_id="k1")
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    try:
        await page_connection.welcomed_nudge(connection, jupyters_nudge)
        if not resolved:
            resolved.append("welcome")
            # the page reconnects on the streams Jupyter kept for it: no new subscription, so Jupyter's nudge at once
            await page_connection.welcomed_nudge(connection, jupyters_nudge)
        return resolved, loop.time() - t0
    finally:
        stream.close()
        watch.close()
        thread.stop()
        thread.close()
        context.term()


def test_a_page_subscribing_after_the_activity_watch_is_welcomed_without_a_nudge(tmp_path, monkeypatch):
    resolved, took = asyncio.run(_connect_second_subscriber(tmp_path, verbose=True, wait=30.0, monkeypatch=monkeypatch))
    assert resolved == ["welcome", "jupyter's nudge"] and took < 10


def test_without_verbose_subscriptions_the_second_subscriber_is_not_welcomed_and_jupyters_nudge_runs(tmp_path, monkeypatch):
    """Why ``PageKernelApp`` sets ``XPUB_VERBOSE``: ZeroMQ reports a repeated subscription to the same topic only
    then; without it the page's connection waits ``WELCOME_WAIT`` and is nudged as Jupyter does."""
    resolved, took = asyncio.run(_connect_second_subscriber(tmp_path, verbose=False, wait=1.0, monkeypatch=monkeypatch))
    assert resolved == ["jupyter's nudge"] and took >= 1.0


def test_a_forked_kernels_info_is_known_and_any_other_kernel_is_asked(monkeypatch):
    from ipykernel._version import kernel_protocol_version

    async def scenario():
        forked = SimpleNamespace(provisioner=SimpleNamespace(forked=True))
        started = SimpleNamespace(provisioner=SimpleNamespace(forked=False))
        page_connection.known_kernel_info(forked)
        page_connection.known_kernel_info(started)
        assert not hasattr(started, "_kernel_info_future")  # Jupyter's server asks it, as it always did
        return forked._kernel_info_future.result()

    assert asyncio.run(scenario()) == {"protocol_version": kernel_protocol_version}


def test_only_forked_kernels_connections_take_the_welcome_and_only_with_a_welcoming_ipykernel(monkeypatch):
    """Installed in the server (idempotent) over Jupyter's nudge; a forked kernel's connection waits for the welcome,
    any other goes to Jupyter's nudge, and so does every connection when ipykernel sends no welcome (6.29, allowed by
    the package: its IOPub socket is a plain PUB) instead of waiting 10 s for one."""
    from ipykernel.iostream import IOPubThread
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    page_connection.install()
    page_connection.install()
    assert ZMQChannelsWebsocketConnection.nudge._workbook_welcomed
    assert page_connection.kernels_welcome()  # the locked ipykernel (7.x) welcomes each subscription
    welcomed, jupyters = [], []
    monkeypatch.setattr(page_connection, "welcomed_nudge", lambda conn, nudge: welcomed.append(conn) or "welcome")
    forked = SimpleNamespace(kernel_manager=SimpleNamespace(provisioner=SimpleNamespace(forked=True)))
    started = SimpleNamespace(kernel_manager=SimpleNamespace(provisioner=SimpleNamespace(forked=False)))
    nudge = page_connection.page_nudge(lambda conn: jupyters.append(conn) or "jupyter", welcomes=True)
    assert (nudge(forked), nudge(started)) == ("welcome", "jupyter")
    monkeypatch.delattr(IOPubThread, "_send_welcome_message")
    assert not page_connection.kernels_welcome()
    nudge = page_connection.page_nudge(lambda conn: jupyters.append(conn) or "jupyter", welcomes=page_connection.kernels_welcome())
    assert nudge(forked) == "jupyter"
    assert welcomed == [forked] and jupyters == [started, forked]


def test_a_page_that_leaves_before_its_welcome_is_not_nudged(tmp_path, monkeypatch):
    """No welcome and the connection's IOPub stream closed meanwhile (the page left): the wait ends without Jupyter's
    nudge, which would fail on the closed stream."""
    monkeypatch.setattr(page_connection, "WELCOME_WAIT", 0.3)

    async def scenario() -> list[str]:
        context = zmq.Context()
        sub = context.socket(zmq.SUB)
        sub.connect(f"ipc://{tmp_path}/nobody")
        stream = ZMQStream(sub)
        nudged: list[str] = []

        async def jupyters_nudge(_connection):
            nudged.append("nudged")

        connection = SimpleNamespace(channels={"iopub": stream}, log=logging.getLogger("test"), kernel_id="k1")
        waiting = page_connection.welcomed_nudge(connection, jupyters_nudge)
        stream.close()
        await waiting
        context.term()
        return nudged

    assert asyncio.run(scenario()) == []
