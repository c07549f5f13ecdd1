"""A kernel's activity as the culler needs it, read from each IOPub message without decoding its dates.

Jupyter's server watches every message a kernel publishes (``MappingKernelManager.start_watching_activity``): each
one is deserialised (its header and parent header walked for ISO dates, every date parsed by dateutil), and a status
message a second time whole, only to stamp ``last_activity`` and keep ``execution_state``. A page's sign-in and
answers publish ~80 messages through the server. Here the same rules read the message type, the parent's type and a
status's state from the JSON parts, after the same signature check: a message whose signature does not match is
ignored, as Jupyter's own raises on it.
"""
from __future__ import annotations

from hmac import compare_digest

import zmq
from jupyter_client.session import Session
from jupyter_server._tz import utcnow

from .page_connection import forked

KERNEL_TOPIC = b"kernel."  # ipykernel's own IOPub messages: kernel.<id>.status, .execute_input, .shutdown
# Narrowed for forked page kernels only: a kernel started as a new process (IOPub without ``XPUB_VERBOSE``) welcomes
# only a topic's first subscriber, which must stay this watch, else a page's welcome could reach it after the nudge.


def activity_recorder(manager, kernel, session: Session):
    """The IOPub callback that keeps ``kernel``'s ``last_activity`` (and ``manager.last_kernel_activity``) and
    ``execution_state`` by Jupyter's rules (``manager.track_message_type``); ``session`` signs as the kernel does."""
    unpack = session.unpack

    def record_activity(msg_list: list) -> None:
        _idents, parts = session.feed_identities(msg_list)
        if len(parts) < 5:
            return
        if session.auth is not None and not compare_digest(bytes(parts[0]), session.sign([bytes(p) for p in parts[1:5]])):
            return
        msg_type = unpack(parts[1]).get("msg_type")
        parent = unpack(parts[2]) or {}
        parent_type = parent.get("msg_type")
        if manager.track_message_type(msg_type) or manager.track_message_type(parent_type) or kernel.execution_state == "busy":
            manager.last_kernel_activity = kernel.last_activity = utcnow()
        if msg_type == "status":
            state = unpack(parts[4]).get("execution_state")
            if manager.track_message_type(parent_type):
                kernel.execution_state = state
            elif kernel.execution_state == "starting" and state != "starting":
                kernel.execution_state = "idle"

    return record_activity


def watch_activity(manager, kernel_id: str) -> None:
    """``start_watching_activity`` for a Jupyter kernel manager, with ``activity_recorder`` as the callback."""
    kernel = manager._kernels[kernel_id]
    kernel.reason = ""
    kernel.last_activity = utcnow()
    kernel._activity_stream = stream = kernel.connect_iopub()
    if forked(kernel):
        stream.socket.setsockopt(zmq.SUBSCRIBE, KERNEL_TOPIC)
        stream.socket.setsockopt(zmq.UNSUBSCRIBE, b"")
    session = Session(config=kernel.session.config, key=kernel.session.key)
    kernel._activity_stream.on_recv(activity_recorder(manager, kernel, session))
