"""The workbook's log: one file under the data directory (``settings.log_path``), plus the real
stderr of the process (Voila's server log, for kernels as for the server itself).

In a page's kernel, ``sys.stderr`` is the page's own output channel (visible in the browser's
developer tools) and a logger without a handler falls back to it; here every ``workbook.*``
logger writes only to the file and to the process's original stderr (``sys.__stderr__``), never
to the page. Configured once per process, on first use.
"""
from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import WatchedFileHandler

from .files import private_dir, private_file
from .settings import get_settings

ROOT = "workbook"
FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d] %(message)s"
_lock = threading.Lock()
_configured = False


class _FileHandler(WatchedFileHandler):
    """The log file; a failed write (disk full, read-only) is one line on the real stderr, never
    logging's traceback on ``sys.stderr`` (the page, in a kernel)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        exc = sys.exc_info()[1]
        print(f"workbook: cannot write the log file {self.baseFilename} ({exc})", file=sys.__stderr__)


def logger(name: str = ROOT) -> logging.Logger:
    """A ``workbook.*`` logger whose records reach the log file and the server's stderr."""
    _configure()
    return logging.getLogger(name if name == ROOT or name.startswith(ROOT + ".") else f"{ROOT}.{name}")


def _configure() -> None:
    global _configured
    with _lock:
        if _configured:
            return
        root = logging.getLogger(ROOT)
        root.setLevel(logging.INFO)
        root.propagate = False  # never Python's last-resort handler (the page, in a kernel)
        formatter = logging.Formatter(FORMAT)
        try:
            path = get_settings().log_path
            private_dir(path.parent)
            private_file(path)
            handler: logging.Handler = _FileHandler(path, encoding="utf-8")  # several processes append
            handler.setFormatter(formatter)
            root.addHandler(handler)
        except OSError as exc:  # a read-only data directory must not stop a page: stderr still gets it
            print(f"workbook: cannot write the log file ({exc}); logging to stderr only", file=sys.__stderr__)
        stream = logging.StreamHandler(sys.__stderr__)
        stream.setFormatter(formatter)
        root.addHandler(stream)
        _configured = True


def reset() -> None:
    """Close and forget the handlers (tests that change the data directory)."""
    global _configured
    with _lock:
        root = logging.getLogger(ROOT)
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        _configured = False


def log_to_file(name: str, message: str, exc: BaseException) -> str:
    """Record ``message`` with ``exc``'s traceback in the log file only (the CLI's stderr keeps its
    one line); returns where the details are."""
    log = logger(name)
    record = log.makeRecord(log.name, logging.ERROR, __file__, 0, message, (), (type(exc), exc, exc.__traceback__))
    files = [h for h in logging.getLogger(ROOT).handlers if isinstance(h, _FileHandler)]
    for handler in files:
        handler.handle(record)
    return files[0].baseFilename if files else "no log file: it could not be written"
