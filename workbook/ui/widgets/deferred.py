"""Work that may wait a moment and run once for many triggers (the "your results" refresh).

A save is acknowledged as soon as the answer is in the store; redrawing the person's results
(queries, scores, a chart) runs shortly after, once, however many answers arrived meanwhile.
Five quick clicks cost one redraw instead of five, and no click waits for a chart.

A page built before its HTML leaves the kernel (a visit resumed from the sign-in cookie) draws inside
``drawn_before_sent()``: its redraws run once at the block's end, in the building thread. Left to a timer,
a redraw could update a widget while the browser was still loading the page's models (after the kernel read
that widget's state for the page, before the browser knew the widget). That is the path found for a reloaded
journey map whose chart stayed empty (#17: 1 run in ~17 under load before, 10 of 10 after); the race itself
was never caught in the act.
"""
from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()  # this thread's ``drawn_before_sent`` block: the redraws asked for in it


@contextmanager
def drawn_before_sent() -> Iterator[None]:
    """Within the block, a ``trigger()`` in this thread runs its redraw once at the block's end, in this thread,
    instead of on a timer (nested blocks join the outer one)."""
    if getattr(_local, "asked", None) is not None:
        yield
        return
    _local.asked = asked = {}
    try:
        yield
    finally:
        _local.asked = None
        for coalesced, context in asked.items():
            coalesced._run(context)


class Coalesced:
    """Run ``fn`` ``delay`` seconds after the last ``trigger()``, in a background thread;
    ``delay`` 0 runs it at once, in the caller's thread."""

    def __init__(self, fn: Callable[[], object], delay: float):
        self.fn, self.delay = fn, max(0.0, delay)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._running = threading.Lock()  # one run at a time, so the last one drawn is the newest
        self.runs = 0  # how often fn ran (tests and benchmarks count redraws)

    def trigger(self) -> None:
        """Ask for a run; a pending one is pushed back instead of adding another."""
        asked = getattr(_local, "asked", None)
        if asked is not None:  # a page built before it is sent: drawn at the block's end, in the last asker's context
            asked[self] = contextvars.copy_context()
            return
        if self.delay == 0:
            self._run()
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            # the run happens in the caller's context: the page's language (workbook.i18n) comes along
            self._timer = threading.Timer(self.delay, self._run, args=(contextvars.copy_context(),))
            self._timer.daemon = True
            self._timer.name = "workbook-coalesced"
            self._timer.start()

    def settle(self) -> None:
        """Run a pending request now (or wait for the one running), so what it drew is current."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            self._run()
        else:
            with self._running:
                pass

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def _run(self, context: contextvars.Context | None = None) -> None:
        with self._running:
            with self._lock:
                if threading.current_thread() is self._timer:
                    self._timer = None
            self.runs += 1
            if context is not None:
                context.run(self.fn)
            else:
                self.fn()
