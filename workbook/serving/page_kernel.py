"""A forked page kernel: ipykernel's kernel app without two costs per message that a page never uses.

- *Streams*: ipykernel flushes stdout and stderr after every message a page sends (a widget change, a
  click); each flush hands two callbacks to the kernel's IOPub thread and waits for both, though a
  page's handlers print nothing. ``PageOutStream`` skips a flush with nothing written; what is sent and
  its order stay the same (the busy and idle status messages go through the same thread, in turn).
- *Log records*: traitlets sets the app's logger to DEBUG and its handler to the app's ``log_level``
  (WARNING), so each of ipykernel's debug lines per message builds a record the handler then drops.
  The logger is raised to the lowest level a handler shows: the same lines are shown.

Kernel CPU per widget message, one kernel (``benchmarks/kernel_messages.py``; #17): figures in
docs/reference/benchmarks.md. The fork server runs ``PageKernelApp`` (``forkserver.run_kernel``);
``python -m workbook.serving.page_kernel -f CONNECTION_FILE`` starts one as a kernel spec would.
"""
from __future__ import annotations

import logging

from ipykernel.iostream import OutStream
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


class PageKernelApp(IPKernelApp):
    """ipykernel's app with ``PageOutStream`` for stdout and stderr and no log records its handlers would drop."""

    @default("outstream_class")
    def _page_streams(self) -> str:
        return f"{__name__}.PageOutStream"

    def initialize(self, argv: list[str] | None = None) -> None:
        """ipykernel's start-up, then the logger raised to what its handlers show."""
        super().initialize(argv)
        drop_unshown_records(self.log)


if __name__ == "__main__":
    PageKernelApp.launch_instance()
