"""A page kernel's stdout and stderr: ipykernel's streams, without the flush that has nothing to send.

ipykernel flushes both streams after every message a page sends (a widget change, a click); each
flush hands two callbacks to the kernel's IOPub thread and waits for both, though a page's handlers
print nothing. Skipping a flush with nothing written keeps what is sent and its order (the busy and
idle status messages go through the same thread, in turn) and saves a page kernel ~0.5 ms of CPU a
message (one kernel, widget updates: 2.6 → 2.1 ms; #17). Forked kernels use it (``forkserver.kernel_argv``).
"""
from __future__ import annotations

from ipykernel.iostream import OutStream


class PageOutStream(OutStream):
    """ipykernel's ``OutStream``; ``flush`` returns at once when nothing was written since the last one."""

    def flush(self) -> None:
        """Flush as ipykernel does, unless there is nothing to send: no text buffered, no terminal echo."""
        if self.echo is None and not self._buffers:
            return
        super().flush()
