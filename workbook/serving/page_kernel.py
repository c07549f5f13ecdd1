"""A forked page kernel: ipykernel's kernel app without three costs per message that a page never uses.

- *The shell channel thread*: ipykernel 7 receives every shell message on a thread of its own, reads its
  header (and a comm message's content) to route it to a subshell, and passes it to the main thread over
  another socket. A page has no subshells: ``PageKernel`` receives shell messages on the main thread, as
  ipykernel 6 did, and says so (``kernel_info`` lists no "kernel subshells"; a subshell request is refused).
- *Streams*: ipykernel flushes stdout and stderr after every message a page sends (a widget change, a
  click); each flush hands two callbacks to the kernel's IOPub thread and waits for both, though a
  page's handlers print nothing. ``PageOutStream`` skips a flush with nothing written; what is sent and
  its order stay the same (the busy and idle status messages go through the same thread, in turn).
- *"Busy" around a widget message*: the kernel publishes "busy" then "idle" around every message it handles. For a
  widget message from the page (``comm_msg``, ``comm_close``: a click, a typed value) nothing waits for "busy": the
  page's widget manager counts a message done at its "idle" (ipywidgets' ``msg_throttle``), and Jupyter's
  ``execution_state`` is what the culler reads between messages. ``PageKernel`` sends only the "idle": one
  message fewer through the IOPub thread, the server and the page per click (9 of a visit's 47). Cells
  (``execute_request``) and every other request keep both.
- *A page's websocket confirmed by a welcome*: ipykernel answers each new IOPub subscription with an
  ``iopub_welcome`` message, but ZeroMQ reports a subscription to the same topic as an earlier one (the server's
  activity watch subscribes first) only with ``XPUB_VERBOSE``, set here. The server then knows the page's
  subscription live from that welcome instead of repeated ``kernel_info`` requests (``page_connection.py``).
- *Log records*: traitlets sets the app's logger to DEBUG and its handler to the app's ``log_level``
  (WARNING), so each of ipykernel's debug lines per message builds a record the handler then drops.
  The logger is raised to the lowest level a handler shows: the same lines are shown.

Kernel CPU per widget message, one kernel (``benchmarks/kernel_messages.py``; #17): figures in
docs/reference/benchmarks.md. The fork server runs ``PageKernelApp`` (``forkserver.run_kernel``);
``python -m workbook.serving.page_kernel -f CONNECTION_FILE`` starts one as a kernel spec would.
"""
from __future__ import annotations

import logging
import threading

import zmq
from ipykernel.iostream import OutStream
from ipykernel.ipkernel import IPythonKernel
from ipykernel.kernelapp import IPKernelApp
from traitlets import default


class PageOutStream(OutStream):
    """ipykernel's ``OutStream``; ``flush`` returns at once when nothing was written since the last one."""

    def flush(self) -> None:
        """Flush as ipykernel does, unless there is nothing to send: no text buffered, no terminal echo."""
        if self.echo is None and not self._buffers:
            return
        super().flush()


def shown_level(logger: logging.Logger) -> int:
    """The lowest level any handler that ``logger``'s records reach would show (WARNING, logging's last
    resort, when none would)."""
    levels: list[int] = []
    current: logging.Logger | None = logger
    while current is not None:
        levels += [handler.level for handler in current.handlers]
        current = current.parent if current.propagate else None
    return min(levels) if levels else logging.WARNING


def drop_unshown_records(logger: logging.Logger) -> None:
    """Raise ``logger`` to the lowest level its handlers show, so that a line no handler shows builds no record."""
    logger.setLevel(max(logger.getEffectiveLevel(), shown_level(logger)))


class _NoShellChannelThread:
    """Stands for the shell channel thread a page kernel does not start: false, so ipykernel takes its one-thread
    paths, with the thread whose cells an interrupt stops (``parent_thread``: the main thread)."""

    @property
    def parent_thread(self) -> threading.Thread:
        return threading.main_thread()  # read when asked: a forked kernel's main thread is the thread that forked

    def __bool__(self) -> bool:
        return False


WIDGET_MESSAGES = frozenset({"comm_msg", "comm_close"})  # a page's widget messages: no "busy" before them


class PageKernel(IPythonKernel):
    """IPython's kernel, its shell messages received on the main thread (no kernel subshells), a page's widget
    messages followed by "idle" only."""

    @property
    def _supports_kernel_subshells(self) -> bool:
        return False

    def _publish_status(self, status: str, channel: str, parent: dict | None = None) -> None:
        """ipykernel's status message, except "busy" before a widget message on the shell channel."""
        if status == "busy" and channel == "shell":
            header = (parent or self.get_parent(channel) or {}).get("header") or {}
            if header.get("msg_type") in WIDGET_MESSAGES:
                return
        super()._publish_status(status, channel, parent)


class _VerboseXPub:
    """A ZeroMQ context whose XPUB sockets report every subscription, repeated ones too (``XPUB_VERBOSE``)."""

    def __init__(self, context: zmq.Context):
        self._context = context

    def socket(self, kind: int, *args, **kwargs) -> zmq.Socket:
        sock = self._context.socket(kind, *args, **kwargs)
        if kind == zmq.XPUB:
            sock.setsockopt(zmq.XPUB_VERBOSE, 1)
        return sock

    def __getattr__(self, name: str):
        return getattr(self._context, name)


class PageKernelApp(IPKernelApp):
    """ipykernel's app with ``PageKernel``, ``PageOutStream`` for stdout and stderr, and no log records its handlers
    would drop."""

    @default("kernel_class")
    def _page_kernel(self) -> type:
        return PageKernel

    @default("outstream_class")
    def _page_streams(self) -> str:
        return f"{__name__}.PageOutStream"

    def initialize(self, argv: list[str] | None = None) -> None:
        """ipykernel's start-up, then the logger raised to what its handlers show."""
        super().initialize(argv)
        drop_unshown_records(self.log)

    def init_sockets(self) -> None:
        """ipykernel's sockets, without the shell channel thread (not started yet: it holds no socket)."""
        super().init_sockets()
        self.shell_channel_thread = None

    def init_iopub(self, context: zmq.Context) -> None:
        """ipykernel's IOPub socket, set before its thread starts to report every subscription (each one welcomed)."""
        super().init_iopub(_VerboseXPub(context))

    def init_kernel(self) -> None:
        """ipykernel's kernel, its shell stream on the main thread's loop."""
        super().init_kernel()
        self.kernel.shell_channel_thread = _NoShellChannelThread()


if __name__ == "__main__":
    PageKernelApp.launch_instance()
