"""serving/activity.py: a kernel's activity and state kept by Jupyter's rules without decoding each message's dates."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from jupyter_client.session import Session
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, MappingKernelManager

from workbook.serving.activity import watch_activity

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


class IOPubKernel:
    """What ``start_watching_activity`` reads of a kernel: its session, and its IOPub stream (the callback kept)."""

    def __init__(self, key: bytes):
        self.session = Session(key=key)
        self.execution_state = "starting"
        self.callback = None

    def connect_iopub(self):
        return self

    def on_recv(self, callback) -> None:
        self.callback = callback


def published(session: Session, msg_type: str, parent_type: str | None = None, content: dict | None = None) -> list[bytes]:
    parent = session.msg_header(parent_type) if parent_type else {}
    return session.serialize(session.msg(msg_type, content=content or {}, parent=parent))


SEQUENCE = [  # a page's life: kernel info at connect, widget traffic, a run, output, a shutdown
    ("status", "kernel_info_request", {"execution_state": "busy"}),
    ("status", "kernel_info_request", {"execution_state": "idle"}),
    ("status", "comm_msg", {"execution_state": "busy"}),
    ("comm_msg", "comm_msg", {"comm_id": "x", "data": {"method": "update", "state": {"value": "2026-12-04T00:00:00Z"}}}),
    ("comm_open", "comm_msg", {"comm_id": "y", "data": {}}),
    ("stream", "comm_msg", {"name": "stdout", "text": "hi"}),
    ("status", "comm_msg", {"execution_state": "idle"}),
    ("stream", None, {"name": "stdout", "text": "late"}),
    ("status", "execute_request", {"execution_state": "busy"}),
    ("display_data", "execute_request", {"data": {}, "metadata": {}}),
    ("status", "execute_request", {"execution_state": "idle"}),
    ("status", "comm_info_request", {"execution_state": "busy"}),
    ("status", "comm_info_request", {"execution_state": "idle"}),
]


@pytest.mark.parametrize("start", ["starting", "idle", "busy"])
def test_the_recorder_keeps_state_and_activity_as_jupyters_own(start):
    key = b"a-kernel-key"
    theirs, ours = AsyncMappingKernelManager(), AsyncMappingKernelManager()
    theirs._kernels["k"], ours._kernels["k"] = IOPubKernel(key), IOPubKernel(key)
    MappingKernelManager.start_watching_activity(theirs, "k")
    watch_activity(ours, "k")
    sender = Session(key=key)
    for kernel in (theirs._kernels["k"], ours._kernels["k"]):
        kernel.execution_state = start
    seen = []
    for msg_type, parent_type, content in SEQUENCE:
        row = []
        for manager in (theirs, ours):
            kernel = manager._kernels["k"]
            kernel.last_activity = LONG_AGO
            kernel.callback(published(sender, msg_type, parent_type, content))
            row.append((kernel.execution_state, kernel.last_activity != LONG_AGO))
        assert row[0] == row[1], (msg_type, parent_type, content)
        seen.append(row[1])
    assert {state for state, _ in seen} >= {"busy", "idle"} and {active for _, active in seen} == {True, False}


def test_a_message_not_signed_with_the_kernels_key_changes_nothing():
    manager = AsyncMappingKernelManager()
    manager._kernels["k"] = kernel = IOPubKernel(b"the-key")
    watch_activity(manager, "k")
    kernel.execution_state, kernel.last_activity = "idle", LONG_AGO
    kernel.callback(published(Session(key=b"another-key"), "status", "comm_msg", {"execution_state": "busy"}))
    assert (kernel.execution_state, kernel.last_activity) == ("idle", LONG_AGO)
    kernel.callback(published(Session(key=b"the-key"), "status", "comm_msg", {"execution_state": "busy"}))
    assert kernel.execution_state == "busy" and kernel.last_activity != LONG_AGO


def test_a_forked_page_kernels_watch_gets_its_status_not_its_widgets_messages(tmp_path):
    """ZeroMQ filters by topic at the kernel: the watch of a forked page kernel subscribes to ``kernel.`` only, so a
    widget's message (``comm-<id>``) or a stream's never reaches it, and the "idle" status that ends a page's widget
    message (its parent) still stamps the activity (#17)."""
    import time
    from types import SimpleNamespace

    import zmq
    from zmq.eventloop.zmqstream import ZMQStream

    context = zmq.Context()
    url = f"ipc://{tmp_path}/iopub"
    pub = context.socket(zmq.PUB)
    pub.bind(url)
    session = Session(key=b"k")
    sockets = []

    class Stream(ZMQStream):
        def on_recv(self, callback, copy=True):
            self.callback = callback  # called below with what the socket received
            super().on_recv(callback, copy)

    def connect_iopub():
        sub = context.socket(zmq.SUB)
        sub.connect(url)
        sub.setsockopt(zmq.SUBSCRIBE, b"")  # as jupyter_client's connect_iopub does
        sockets.append(sub)
        return Stream(sub)

    def kernel(forked):
        return SimpleNamespace(session=session, execution_state="idle", connect_iopub=connect_iopub,
                               provisioner=SimpleNamespace(forked=forked))

    manager = AsyncMappingKernelManager()
    manager._kernels["py"] = kernel(forked=True)
    manager._kernels["other"] = kernel(forked=False)  # started as a new process: everything, as Jupyter subscribes
    for kernel_id in manager._kernels:
        watch_activity(manager, kernel_id)
    try:
        def send(msg_type, topic, parent_type=None, content=None):
            parent = session.msg_header(parent_type) if parent_type else {}
            session.send(pub, msg_type, content or {}, parent=parent, ident=topic)

        deadline = time.monotonic() + 10
        while not all(s.poll(100) for s in sockets) and time.monotonic() < deadline:  # until both subscriptions are live
            send("status", b"kernel.abc.status", "kernel_info_request", {"execution_state": "idle"})
        for s in sockets:
            while s.poll(200):
                s.recv_multipart()
        send("comm_msg", b"comm-x", "comm_msg", {"comm_id": "x", "data": {"method": "update", "state": {}}})
        send("stream", b"stream.stdout", "comm_msg", {"name": "stdout", "text": "hi"})
        send("status", b"kernel.abc.status", "comm_msg", {"execution_state": "idle"})
        received = {}
        for kernel_id, s in zip(manager._kernels, sockets, strict=True):
            frames = []
            while s.poll(500):
                frames.append(s.recv_multipart())
            received[kernel_id] = [f[0] for f in frames]
            k = manager._kernels[kernel_id]
            k.last_activity = LONG_AGO
            for f in frames:
                k._activity_stream.callback(f)
            assert k.last_activity != LONG_AGO, f"{kernel_id}: the idle after a widget message stamped no activity"
        assert received["py"] == [b"kernel.abc.status"], received["py"]
        assert received["other"] == [b"comm-x", b"stream.stdout", b"kernel.abc.status"], received["other"]
    finally:
        for k in manager._kernels.values():
            k._activity_stream.close()
        pub.close()
        context.term()
