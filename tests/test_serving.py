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



def http_status(srv, path: str) -> tuple[int, str]:
    """(HTTP status, body) of a GET without following the page's own error handling."""
    import urllib.error

    try:
        with urllib.request.urlopen(srv.url(path), timeout=300) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_report_notebooks_and_file_listings_are_not_served(tmp_path):
    """The report notebooks live outside the served folder (404), and no URL lists notebook files
    or returns a notebook's source (Voila's contents API answers 404 for every path)."""
    env = {"WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": "00_home.ipynb=0,01_servuction.ipynb=0"}  # the real notebooks, no pools
    with voila_server(tmp_path / "data", env=env, demo=False, wait_pools=False) as srv:
        for path in ("/voila/render/reports/individual.ipynb", "/voila/render/reports/cohort.ipynb",
                     "/voila/render/individual.ipynb", "/voila/render/cohort.ipynb",
                     "/voila/api/contents/", "/voila/api/contents", "/voila/api/contents/reports",
                     "/voila/api/contents/00_home.ipynb?content=1"):
            code, body = http_status(srv, path)
            assert code == 404, (path, code, body[:300])
            assert "ipynb" not in body and "parameters" not in body, path
        assert srv.kernel_count() == 0, "a refused page started a kernel"
