"""The fork server: one process that imports what page kernels import, then forks each kernel.

A kernel started as a fresh Python imports ipykernel, ipywidgets, the workbook's pages, pandas,
Altair, SQLAlchemy and pydantic (~5 s of CPU, ~130 MB of its own). Here they are imported once,
the content catalogue is read and Altair's schema loaded, the objects are frozen out of the
garbage collector (``gc.freeze``: a collection would otherwise write to every page and copy it),
and each kernel is a ``fork`` of this process: it starts in milliseconds and shares those pages
copy-on-write. Started by the Voila server (``serving.forking``):

    python -m workbook.serving.forkserver SOCKET_PATH

It stays single-threaded (a fork copies only the calling thread) and never opens a database or
an event loop before forking. A request is one JSON line ``{"argv": [...], "env": {...}, "cwd":
...}`` (the ipykernel arguments after ``-m ipykernel_launcher``); the reply is ``{"pid": N}``. The
child makes its own session (as Jupyter's launcher does), takes the request's environment and
runs ``page_kernel.PageKernelApp`` (ipykernel's app) with those arguments. Children are reaped here; this process exits when its
parent (the server) is gone, and its kernels follow (ipykernel's parent poller).
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import select
import signal
import socket
import sys

TITLE = "ipykernel_launcher"  # what ``ps`` shows first for a forked kernel (then its arguments)
ROOM = 320  # bytes kept in this server's own command line for a kernel's title


def preload(modules: list[str]) -> None:
    """Import ``modules`` and warm what every page does first: the catalogue and the case in each
    language, and Altair's schema when they imported Altair (a preload without chart pages loads neither Altair nor
    pandas: a hub user's server, the rater service)."""
    for name in [*modules, "workbook.serving.page_kernel"]:
        importlib.import_module(name)
    try:  # warming only: a kernel that needs them meets any error itself, with its page
        from workbook.content.case import load_case
        from workbook.content.catalogue import catalogue
        from workbook.i18n import LANGUAGES

        for language in LANGUAGES:
            catalogue(language)
            load_case(language=language)  # the worked-example cells of a page read it after the visitor came
    except Exception as exc:  # noqa: BLE001 - e.g. a notebooks folder without the module pages: said, not fatal
        print(f"workbook fork server: the catalogue was not read ahead ({type(exc).__name__}: {exc}); each page "
              "reads it itself", file=sys.stderr, flush=True)
    if "altair" in sys.modules:  # a preloaded page draws Altair charts: its schema loaded and compiled once, here
        import altair as alt
        import pandas as pd

        alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q").to_dict()


def set_title(argv: list[str]) -> None:
    """Show the kernel's own command line in ``ps`` (Linux: rewrite this process's argument area
    through /proc/self/mem, as setproctitle does); best effort, a failure changes nothing else."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[45]), int(fields[46])  # arg_start, arg_end (fields 48, 49 of stat)
        text = "\0".join([TITLE, *argv, "(forked)"]).encode("utf-8")[: end - start - 1]
        with open("/proc/self/mem", "r+b", buffering=0) as mem:
            mem.seek(start)
            mem.write(text + b"\0" * (end - start - len(text)))
    except (OSError, ValueError, IndexError):
        pass


def _die_with_parent() -> None:
    """Linux: the kernel is killed the moment this server ends (``PR_SET_PDEATHSIG``), not a
    second later by ipykernel's parent poller, so no kernel of a dead fork server is handed out."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


NO_HISTORY = "--HistoryManager.enabled=False"


def kernel_argv(argv: list[str]) -> list[str]:
    """The kernel's arguments, with IPython's input history off: a page kernel runs the page's cells
    once and never recalls them, and each cell's history write (to one SQLite file shared by every
    kernel) cost CPU per visitor."""
    return [*argv, NO_HISTORY] if NO_HISTORY not in argv else list(argv)


def run_kernel(request: dict) -> None:
    """In the forked child: become the kernel the request describes (never returns)."""
    code = 1
    try:
        os.setsid()
        _die_with_parent()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel ends when this server does
        os.chdir(request.get("cwd") or os.getcwd())
        argv = kernel_argv(request["argv"])
        sys.argv = [sys.executable, *argv]
        set_title(argv)
        import workbook.settings

        workbook.settings.reset_settings()  # read again from the kernel's own environment
        from workbook.serving.page_kernel import PageKernelApp

        app = PageKernelApp.instance()  # ipykernel's app without per-message costs a page never uses
        app.initialize(argv)
        if "ipywidgets" in sys.modules:  # imported before there was a kernel: its comm targets were never registered
            sys.modules["ipywidgets"].register_comm_target()
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - the kernel's failure goes to the server's log
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reap() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(path: str, modules: list[str]) -> None:
    """Preload, then fork a kernel for each request on the Unix socket ``path``."""
    parent = os.getppid()
    preload(modules)
    gc.collect()
    gc.freeze()
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(64)
    try:
        while os.getppid() == parent:
            _reap()
            ready, _, _ = select.select([listener], [], [], 0.2)
            if not ready:
                continue
            conn, _ = listener.accept()
            with conn:
                try:
                    conn.settimeout(30)
                    request = json.loads(conn.makefile("rb").readline())
                except (OSError, ValueError):
                    continue
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    conn.close()
                    run_kernel(request)
                try:
                    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                except OSError:
                    os.kill(pid, signal.SIGKILL)
    finally:
        listener.close()
        if os.path.exists(path):
            os.unlink(path)


if __name__ == "__main__":
    from workbook.settings import get_settings

    serve(sys.argv[1], [m.strip() for m in get_settings().kernel_preload.split(",") if m.strip()])
