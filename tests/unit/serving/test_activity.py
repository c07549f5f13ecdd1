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
