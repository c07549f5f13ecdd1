"""Save answers as they change; when the store is down keep them and retry until it is back."""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from workbook.auth.identity import Identity
from workbook.errors import StoreUnavailable, WorkbookError
from workbook.i18n import _, current_language, ngettext, using
from workbook.store import AnswerWriter, Database

from .common import StatusLine

RETRY_SECONDS = 5.0


class AnswerSaver:
    """Queue of unsaved answers for one person and module, flushed in order."""

    def __init__(self, db: Database, identity: Identity, module: str, status: StatusLine, on_saved=None, write=None):
        """``write(exercise, item, value)`` stores one answer (default: the person's own answers in ``module``,
        through one ``AnswerWriter`` for the page's session; the rater page passes its own)."""
        self.db, self.identity, self.module, self.status = db, identity, module, status
        self.on_saved = on_saved
        if write is None:
            writer = AnswerWriter(db, identity, identity.person_id)
            write = lambda exercise, item, value: writer.save(self.module, exercise, item, value)  # noqa: E731
        self.write = write
        self.language = current_language()  # its status lines, also from the retry thread
        self.pending: OrderedDict[tuple[str, str], object] = OrderedDict()
        self._lock = threading.RLock()
        self._timer: threading.Timer | None = None

    def save(self, exercise: str, item: str, value: object) -> bool:
        """Queue the answer and try to save everything queued; True when all is saved."""
        with self._lock:
            self.pending.pop((exercise, item), None)
            self.pending[(exercise, item)] = value
        return self.flush()

    def flush(self) -> bool:
        """Save every queued answer in order; on an outage keep them all and retry later.

        An answer the store refuses for good (invalid, too long) is dropped with its one-line
        reason; the others are still saved.
        """
        with using(self.language):
            return self._flush()

    def _flush(self) -> bool:
        refused: str | None = None
        with self._lock:
            while self.pending:
                (exercise, item), value = next(iter(self.pending.items()))
                try:
                    self.write(exercise, item, value)
                except StoreUnavailable as exc:
                    n = len(self.pending)
                    self.status.error(ngettext("Not saved yet ({n} answer kept on this page, retrying): {reason}",
                                               "Not saved yet ({n} answers kept on this page, retrying): {reason}", n).format(n=n, reason=exc))
                    self._schedule_retry()
                    return False
                except WorkbookError as exc:  # InvalidAnswer, AccessDenied, data refused: retrying cannot help
                    self.pending.popitem(last=False)
                    refused = str(exc)
                    continue
                self.pending.popitem(last=False)
            if refused is not None:
                self.status.error(refused)
            else:
                self.status.ok(_("All answers saved · {time}").format(time=f"{datetime.now():%H:%M:%S}"))
        if self.on_saved:
            self.on_saved()
        return refused is None

    def _retry(self) -> None:
        with self._lock:
            self._timer = None  # so a failing retry schedules the next one
        self.flush()

    def _schedule_retry(self) -> None:
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(RETRY_SECONDS, self._retry)
            self._timer.daemon = True
            self._timer.start()
