"""Navigation -> first interactive widget in headless Chromium: the workbook's pages against a bare
one-slider notebook, both served by ``workbook.serving.serve.voila_command`` (same policy), in one run.

    .venv/bin/python benchmarks/voila_render.py [--runs 5]

Prints the median per page and the ratio page / bare (target: <= 1.3). Each run uses a fresh
browser context and starts after the server's process tree is quiet again (pool refilled), so
every page load is measured the way a visitor meets a server that has been up for a while.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import BARE_NOTEBOOK, VoilaServer, launch_chromium  # noqa: E402

# page -> CSS selector of its first interactive widget
WORKBOOK_PAGES = {"00_home.ipynb": "input[type=password]", "01_servuction.ipynb": "input[type=password]"}
BARE_PAGE = ("bare.ipynb", ".widget-slider")


def time_page(browser, server: VoilaServer, notebook: str, selector: str) -> float:
    """Seconds from navigation start to the widget being visible, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(server.page_url(notebook), wait_until="commit", timeout=180_000)
        page.wait_for_selector(selector, state="visible", timeout=180_000)
        return time.perf_counter() - t0
    finally:
        page.close(run_before_unload=True)
        context.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="wb-bench-render-"))
    bare_dir = tmp / "bare-notebooks"
    bare_dir.mkdir()
    (bare_dir / BARE_PAGE[0]).write_text(json.dumps(BARE_NOTEBOOK), encoding="utf-8")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    # Each visit is measured from a full pool: refill 1 s after a hand-out (the workbook waits
    # 10 s, for workshop waves), and wait_quiet below lets the refill finish.
    refill = {"WORKBOOK_POOL_REFILL_SECONDS": "1"}
    bare = VoilaServer.start(tmp / "bare-data", env={"WORKBOOK_NOTEBOOKS_DIR": str(bare_dir), **refill}, demo=False)
    book = VoilaServer.start(tmp / "book-data", env=refill)
    times: dict[str, list[float]] = {BARE_PAGE[0]: [], **{p: [] for p in WORKBOOK_PAGES}}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            time_page(browser, bare, *BARE_PAGE)  # warm the browser itself once (not counted)
            bare.wait_quiet(timeout=180)
            for run in range(1, args.runs + 1):
                for server, page, selector in [(bare, *BARE_PAGE)] + [(book, p_, s_) for p_, s_ in WORKBOOK_PAGES.items()]:
                    server.wait_quiet(timeout=180)
                    times[page].append(time_page(browser, server, page, selector))
                print(f"run {run}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
            browser.close()
    finally:
        bare.stop()
        book.stop()
    base = statistics.median(times[BARE_PAGE[0]])
    print(f"\nnavigation -> first interactive widget, median of {args.runs} runs (load average now {os.getloadavg()[0]:.1f})")
    print(f"  {'bare one-slider notebook':<28} {base:6.2f} s   1.00x")
    worst = 0.0
    for page in WORKBOOK_PAGES:
        med = statistics.median(times[page])
        worst = max(worst, med / base)
        print(f"  {page:<28} {med:6.2f} s   {med / base:.2f}x   (runs: {', '.join(f'{t:.2f}' for t in times[page])})")
    print(f"worst ratio {worst:.2f} (target <= 1.3): {'met' if worst <= 1.3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
