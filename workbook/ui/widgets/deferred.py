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
import logging
import os
import threading
import time
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


class _Clock:
    """The thread that runs every ``Coalesced`` of this process when it is due: one thread for all, started once,
    instead of a new timer thread at each trigger (~80 µs of CPU each; five answers started five, #17)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._due: dict[Coalesced, tuple[float, contextvars.Context]] = {}
        self._now: set[Coalesced] = set()  # taken off ``_due`` and running on this clock's thread
        self._thread: threading.Thread | None = None

    def schedule(self, coalesced: Coalesced, delay: float, context: contextvars.Context) -> None:
        """Run ``coalesced`` in ``context`` ``delay`` seconds from now (a pending run is pushed back)."""
        with self._cond:
            self._due[coalesced] = (time.monotonic() + delay, context)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="workbook-coalesced", daemon=True)
                self._thread.start()
            self._cond.notify()

    def take(self, coalesced: Coalesced) -> bool:
        """Take a pending run off (whether there was one), or wait for the run of it this thread has begun."""
        with self._cond:
            if self._due.pop(coalesced, None) is not None:
                return True
            while coalesced in self._now:
                self._cond.wait()
            return False

    def pending(self, coalesced: Coalesced) -> bool:
        with self._cond:
            return coalesced in self._due

    def _loop(self) -> None:
        while True:
            with self._cond:
                while True:
                    if not self._due:
                        self._cond.wait()
                        continue
                    coalesced, (when, context) = min(self._due.items(), key=lambda item: item[1][0])
                    left = when - time.monotonic()
                    if left <= 0:
                        del self._due[coalesced]
                        self._now.add(coalesced)
                        break
                    self._cond.wait(left)
            try:
                coalesced._run(context)
            except Exception:  # noqa: BLE001 - one failing run must not stop the others' clock
                # debug level: a kernel's stderr would land on the visitor's page (pages wrap their redraws in ``safe``)
                logging.getLogger(__name__).debug("a deferred run failed", exc_info=True)
            finally:
                with self._cond:
                    self._now.discard(coalesced)
                    self._cond.notify_all()


_CLOCK = _Clock()


def _new_clock_after_fork() -> None:  # a forked kernel has no thread of its parent's, nor its lock's owner
    global _CLOCK
    _CLOCK = _Clock()


os.register_at_fork(after_in_child=_new_clock_after_fork)


def run_later(delay: float, fn: Callable[[], object]) -> None:
    """Run ``fn`` once, ``delay`` seconds from now, on the clock's thread (no thread of its own), in this context."""
    _CLOCK.schedule(Coalesced(fn, delay), delay, contextvars.copy_context())


class Coalesced:
    """Run ``fn`` ``delay`` seconds after the last ``trigger()``, in a background thread (one for the process:
    ``_Clock``); ``delay`` 0 runs it at once, in the caller's thread."""

    def __init__(self, fn: Callable[[], object], delay: float):
        self.fn, self.delay = fn, max(0.0, delay)
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
        # the run happens in the caller's context: the page's language (workbook.i18n) comes along
        _CLOCK.schedule(self, self.delay, contextvars.copy_context())

    def settle(self) -> None:
        """Run a pending request now (or wait for the one running), so what it drew is current."""
        if _CLOCK.take(self):
            self._run()
        else:
            with self._running:  # a run begun in another thread (``drawn_before_sent``, a delay of 0)
                pass

    @property
    def pending(self) -> bool:
        return _CLOCK.pending(self)

    def _run(self, context: contextvars.Context | None = None) -> None:
        with self._running:
            self.runs += 1
            if context is not None:
                context.run(self.fn)
            else:
                self.fn()
