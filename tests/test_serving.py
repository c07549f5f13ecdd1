"""The serving policy of workbook/kernels.py on a real Voila server: pools are refilled after a
wave of arrivals, not behind each arrival, and a visitor who finds the pool dry is not kept waiting."""
from __future__ import annotations

import contextlib
import json
import re
import time
import urllib.request

from servers import bare_notebooks, voila_server



def open_page(srv, notebook: str) -> tuple[str, float]:
    """GET the rendered page as a browser does; (its kernel id, seconds it took)."""
    t0 = time.monotonic()
    with urllib.request.urlopen(srv.page_url(notebook), timeout=300) as r:
        html = r.read().decode("utf-8")
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the page came without a kernel"
    return json.loads(m.group(1))["kernelId"], time.monotonic() - t0


@contextlib.contextmanager
def bare_server(tmp_path, pool: int, refill_seconds: int):
    """A real Voila with the workbook's serving policy on the bare page, its pool filled."""
    env = {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "notebooks")), "WORKBOOK_POOL_SIZE": "0",
           "WORKBOOK_POOLS": f"bare.ipynb={pool}", "WORKBOOK_POOL_REFILL_SECONDS": str(refill_seconds)}
    with voila_server(tmp_path / "data", env=env, demo=False) as srv:
        srv.wait_kernels(lambda n: n == pool, timeout=120)
        yield srv


def test_a_wave_is_served_from_the_pool_and_refilled_after_it(tmp_path):
    with bare_server(tmp_path, pool=2, refill_seconds=6) as srv:
        _wave_then_refill(srv)


def _wave_then_refill(srv) -> None:
    first, _ = open_page(srv, "bare.ipynb")
    time.sleep(3)
    second, _ = open_page(srv, "bare.ipynb")  # the wave goes on: the quiet period starts again
    assert {first, second} <= set(srv.kernel_ids())
    time.sleep(4)  # 7 s after the first arrival, 4 s after the last: Voila alone would have refilled twice
    assert len(srv.kernel_ids()) == 2, "a refill started while pages were still being handed out"
    # 6 s after the last hand-out the pool fills again, one kernel at a time on this 2-core machine
    n = srv.wait_kernels(lambda k: k == 4, timeout=180)
    assert n == 4 and {first, second} <= set(srv.kernel_ids())


def test_a_visitor_who_finds_the_pool_dry_does_not_wait_for_the_refill_delay(tmp_path):
    with bare_server(tmp_path, pool=1, refill_seconds=900) as srv:
        pooled, _ = open_page(srv, "bare.ipynb")
        # The pool is dry and its refill waits 900 s; the next visitor's page starts a kernel at once.
        second, took = open_page(srv, "bare.ipynb")
        assert second != pooled and took < 300
        assert {pooled, second} <= set(srv.kernel_ids())
