"""A forked page kernel (serving/page_kernel.py): a flush of its stdout/stderr with nothing written hands nothing to
the IOPub thread, and text written is still published, whole and in order (a real ipykernel IOPub thread on a real
ZeroMQ socket); its logger builds no record that no handler would show, and shows what it showed. What these save
per message is benchmarks/kernel_messages.py's figure, not asserted here."""
from __future__ import annotations

import logging

import pytest
import zmq
from jupyter_client.session import Session


@pytest.fixture
def pk():
    """The module under test, imported in the test (tests/conftest.py puts back comm's factory, which importing
    ipykernel's kernel app replaces)."""
    from workbook.serving import page_kernel

    return page_kernel


@pytest.fixture
def iopub():
    """An IOPub thread publishing on an inproc socket, a subscriber reading it, and a session to sign with."""
    from ipykernel.iostream import IOPubThread

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


def test_a_flush_with_nothing_written_hands_nothing_to_the_iopub_thread(pk, iopub, monkeypatch):
    from ipykernel.iostream import OutStream

    thread, _sub, session = iopub
    handed = _counting(thread, monkeypatch)
    _stream(OutStream, thread, session).flush()
    assert len(handed) == 2, "ipykernel's own flush hands the thread a flush and a wake-up (what is saved)"
    handed.clear()
    page = _stream(pk.PageOutStream, thread, session)
    page.flush()
    page.flush()
    assert handed == []


def test_text_written_is_still_published_before_what_follows(pk, iopub):
    thread, sub, session = iopub
    page = _stream(pk.PageOutStream, thread, session)
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


class _Records(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.shown: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.shown.append(record.getMessage())


def test_the_logger_builds_no_record_its_handler_drops_and_shows_what_it_showed(pk, monkeypatch):
    """As traitlets sets up a kernel app's logger: the logger at DEBUG, its one handler at WARNING."""
    logger = logging.getLogger("test-page-kernel-app")
    logger.propagate = False
    handler = _Records(logging.WARNING)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    built = []
    real = logging.Logger.makeRecord
    monkeypatch.setattr(logging.Logger, "makeRecord", lambda self, *a, **k: built.append(a[4]) or real(self, *a, **k))
    logger.debug("before: built, then dropped")
    assert built == ["before: built, then dropped"] and handler.shown == []
    built.clear()
    pk.drop_unshown_records(logger)
    logger.debug("*** MESSAGE TYPE:%s***", "comm_msg")
    logger.info("not shown either")
    logger.warning("shown: %s", "<script>")
    assert built == ["shown: %s"]
    assert handler.shown == ["shown: <script>"]
    logger.removeHandler(handler)


def test_a_handler_showing_debug_keeps_debug_lines(pk):
    logger = logging.getLogger("test-page-kernel-debug")
    logger.propagate = False
    handler = _Records(logging.DEBUG)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    assert pk.shown_level(logger) == logging.DEBUG
    pk.drop_unshown_records(logger)
    logger.debug("kept")
    assert handler.shown == ["kept"]
    logger.removeHandler(handler)
    bare = logging.getLogger("test-page-kernel-bare")
    bare.propagate = False
    assert pk.shown_level(bare) == logging.WARNING  # no handler: logging's last resort shows WARNING and above
