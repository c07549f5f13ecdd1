"""The guard of tests/process_guard.py: a test without the ``slow`` mark starts no process, in its body or
in its fixtures of any scope, so ``pytest -m "not slow"`` starts no server, kernel, browser or subprocess."""
from __future__ import annotations

import multiprocessing as mp
import multiprocessing.util
import os
import subprocess
import sys

import pytest
from process_guard import SlowOnly, refusing


@pytest.fixture(scope="module")
def started_in_a_module_fixture():
    """What starting a process inside a module-scoped fixture of a fast test gives (the exception, or None)."""
    try:
        subprocess.run(["true"], check=True)
    except SlowOnly as exc:
        return exc
    return None


@pytest.mark.parametrize("start", [
    lambda: subprocess.run([sys.executable, "-m", "workbook", "--version"]),
    lambda: subprocess.Popen([sys.executable, "-m", "jupyter", "--version"]).wait(),
    lambda: subprocess.check_output("voila --version", shell=True),
    lambda: mp.get_context("spawn").Process(target=print).start(),
    lambda: mp.get_context("fork").Process(target=print).start(),
    lambda: os.fork() or os._exit(0),  # unguarded, the child leaves at once
], ids=["workbook", "jupyter", "shell", "spawn", "fork", "os.fork"])
def test_a_fast_test_cannot_start_a_process(start):
    with pytest.raises(SlowOnly, match=r"test_a_fast_test_cannot_start_a_process.* is not marked slow but starts a process"):
        start()


def test_a_fast_tests_module_fixture_cannot_start_one_either(started_in_a_module_fixture):
    assert isinstance(started_in_a_module_fixture, SlowOnly)
    assert "test_a_fast_tests_module_fixture_cannot_start_one_either" in str(started_in_a_module_fixture)


def test_the_static_checkers_may_run():
    got = subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True, text=True)
    assert got.returncode == 0 and "ruff" in got.stdout


def test_the_guard_puts_back_what_it_replaced():
    before = (subprocess.Popen.__init__, os.fork, mp.util.spawnv_passfds)  # this fast test's own guard
    with refusing("x::y"), pytest.raises(SlowOnly, match="x::y is not marked slow"):
        subprocess.run(["true"])
    assert (subprocess.Popen.__init__, os.fork, mp.util.spawnv_passfds) == before
    with pytest.raises(SlowOnly, match="test_the_guard_puts_back_what_it_replaced"):
        subprocess.run(["true"])


@pytest.mark.slow
def test_a_slow_test_may_start_a_process():
    assert subprocess.run(["true"]).returncode == 0
