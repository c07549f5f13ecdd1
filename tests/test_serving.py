"""The serving policy of workbook/kernels.py on a real Voila server: pools are refilled after a
wave of arrivals, not behind each arrival, and a visitor who finds the pool dry is not kept waiting."""
from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest

from servers import voila_server

BARE = {
    "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": ["import ipywidgets as w\n", "w.IntSlider(description='x')"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def open_page(srv, notebook: str) -> tuple[str, float]:
    """GET the rendered page as a browser does; (its kernel id, seconds it took)."""
    t0 = time.monotonic()
    with urllib.request.urlopen(srv.page_url(notebook), timeout=300) as r:
        html = r.read().decode("utf-8")
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "the page came without a kernel"
    return json.loads(m.group(1))["kernelId"], time.monotonic() - t0


@pytest.fixture
def bare_server(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "bare.ipynb").write_text(json.dumps(BARE), encoding="utf-8")
    env = {"WORKBOOK_NOTEBOOKS_DIR": str(notebooks), "WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": "bare.ipynb=2",
           "WORKBOOK_POOL_REFILL_SECONDS": "6"}
    with voila_server(tmp_path / "data", env=env, demo=False) as srv:
        srv.wait_kernels(lambda n: n == 2, timeout=120)
        yield srv


def test_a_wave_is_served_from_the_pool_and_refilled_after_it(bare_server):
    srv = bare_server
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
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "bare.ipynb").write_text(json.dumps(BARE), encoding="utf-8")
    env = {"WORKBOOK_NOTEBOOKS_DIR": str(notebooks), "WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": "bare.ipynb=1",
           "WORKBOOK_POOL_REFILL_SECONDS": "900"}
    with voila_server(tmp_path / "data", env=env, demo=False) as srv:
        srv.wait_kernels(lambda n: n == 1, timeout=120)
        pooled, _ = open_page(srv, "bare.ipynb")
        # The pool is dry and its refill waits 900 s; the next visitor's page starts a kernel at once.
        second, took = open_page(srv, "bare.ipynb")
        assert second != pooled and took < 300
        assert {pooled, second} <= set(srv.kernel_ids())
