"""A forked page kernel's stdout/stderr (serving/page_stream.py): a flush with nothing written hands nothing to
the IOPub thread; text written is still published, whole and in order. A real ipykernel IOPub thread on a real
ZeroMQ socket; what it saves per message (~0.5 ms of kernel CPU) is a benchmark's figure, not asserted here."""
from __future__ import annotations

import pytest
import zmq
from ipykernel.iostream import IOPubThread, OutStream
from jupyter_client.session import Session

from workbook.serving.page_stream import PageOutStream


@pytest.fixture
def iopub():
    """An IOPub thread publishing on an inproc socket, a subscriber reading it, and a session to sign with."""
    context = zmq.Context()
    pub = context.socket(zmq.PUB)
    pub.bind("inproc://iopub")
    sub = context.socket(zmq.SUB)
    sub.connect("inproc://iopub")
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    session = Session(key=b"test-key")
    thread = IOPubThread(pub, session=session)
    thread.start()
    try:
        yield thread, sub, session
    finally:
        thread.stop()
        thread.close()
        sub.close(linger=0)
        context.term()


def _counting(thread, monkeypatch) -> list:
    handed = []
    real = thread.schedule
    monkeypatch.setattr(thread, "schedule", lambda f: handed.append(f) or real(f))
    return handed


def _stream(cls, thread, session):
    stream = cls(session, thread, "stdout", watchfd=False)
    stream.set_parent({"header": {"msg_id": "m-1", "msg_type": "comm_msg"}})
    return stream


def test_a_flush_with_nothing_written_hands_nothing_to_the_iopub_thread(iopub, monkeypatch):
    thread, _sub, session = iopub
    handed = _counting(thread, monkeypatch)
    _stream(OutStream, thread, session).flush()
    assert len(handed) == 2, "ipykernel's own flush hands the thread a flush and a wake-up (what is saved)"
    handed.clear()
    page = _stream(PageOutStream, thread, session)
    page.flush()
    page.flush()
    assert handed == []


def test_text_written_is_still_published_before_what_follows(iopub):
    thread, sub, session = iopub
    page = _stream(PageOutStream, thread, session)
    page.write("hello <b>")
    page.write(" world\n")
    page.flush()
    session.send(thread.background_socket, "status", {"execution_state": "idle"})
    sub.RCVTIMEO = 10_000
    received = []
    while len(received) < 2:
        _idents, msg = session.feed_identities(sub.recv_multipart())
        received.append(session.deserialize(msg))
    assert [m["msg_type"] for m in received] == ["stream", "status"]
    assert received[0]["content"] == {"name": "stdout", "text": "hello <b> world\n"}
    assert received[0]["parent_header"]["msg_id"] == "m-1"
