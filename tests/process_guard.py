"""A test not marked ``slow`` starts no process: no Voila or Jupyter server, kernel, papermill run, Chromium,
PostgreSQL or ``workbook`` subprocess, so ``pytest -m "not slow"`` starts none. conftest.py wires the hooks.

During the setup and the call of such a test (its fixtures included, whatever their scope), starting a
process raises ``SlowOnly`` naming the test and the command. Teardown is left alone: a module's server
started by a slow test may be stopped after a fast one. Static tools over the source tree (ruff, lint-imports, Babel's extraction) may run.
"""
from __future__ import annotations

import contextlib
import multiprocessing.util
import os
import subprocess
from pathlib import Path

import pytest

ALLOWED = {"ruff", "lint-imports", "pybabel", "babel.messages.frontend"}  # static tools over the source tree (lint, message extraction)


class SlowOnly(RuntimeError):
    """A test without the ``slow`` mark tried to start a process."""


def _allowed(args) -> bool:
    argv = [args] if isinstance(args, str | bytes | os.PathLike) else list(args)
    names = [Path(os.fsdecode(a)).name for a in argv[:3]]
    return bool(names) and (names[0] in ALLOWED or (len(names) == 3 and names[1] == "-m" and names[2] in ALLOWED))


@contextlib.contextmanager
def refusing(nodeid: str):
    """Within the block, starting a process (subprocess, multiprocessing, fork) raises ``SlowOnly``."""

    def refuse(what) -> SlowOnly:
        return SlowOnly(f"{nodeid} is not marked slow but starts a process ({what}): mark it @pytest.mark.slow and put it "
                        "in tests/integration/ (or tests/browser/)")

    real_init = subprocess.Popen.__init__

    def popen_init(self, args, *a, **kw):
        if not _allowed(args):
            raise refuse(args if isinstance(args, str) else " ".join(map(os.fsdecode, args))[:200])
        real_init(self, args, *a, **kw)

    def no_fork(*_a, **_kw):
        raise refuse("os.fork")

    def no_spawn(path, *_a, **_kw):
        raise refuse(f"multiprocessing spawn of {os.fsdecode(path)}")

    saved = [(subprocess.Popen, "__init__", real_init), (os, "fork", os.fork),
             (multiprocessing.util, "spawnv_passfds", multiprocessing.util.spawnv_passfds)]
    subprocess.Popen.__init__ = popen_init
    os.fork = no_fork
    multiprocessing.util.spawnv_passfds = no_spawn
    try:
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


def _guarded(item: pytest.Item):
    return contextlib.nullcontext() if item.get_closest_marker("slow") else refusing(item.nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _guarded(item):
        return (yield)


def pytest_collection_modifyitems(config, items):
    """nbval's notebook cells run in a kernel: slow. A ``browser`` test must also be ``slow``."""
    for item in items:
        if type(item).__module__.startswith("nbval"):
            item.add_marker(pytest.mark.slow)
        elif item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            raise pytest.UsageError(f"{item.nodeid} is marked browser but not slow: browser tests are slow too")
