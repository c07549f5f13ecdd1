"""In a real browser: Module 2's timeline and Module 4's classification save as the person works,
draw their results, and are there again after a reload."""
from __future__ import annotations

import pytest
from servers import launch_chromium, sign_in_or_resume, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

POOLS = "00_home.ipynb=0,01_servuction.ipynb=0,02_time_space.ipynb=1,04_process_outcome.ipynb=1"


def sign_in(page, url, code, name):
    """Sign in, or resume through the session cookie after a reload (tests/servers.py)."""
    sign_in_or_resume(page, url, code, name)


def test_timeline_and_classification_save_and_come_back(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    with voila_server(tmp_path, env={"WORKBOOK_POOLS": POOLS}) as srv:
        # the last demo trainee has answered neither module
        code, name = srv.codes("trainee")[-1], srv.names("trainee")[-1]
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1100, "height": 900})

            sign_in(page, srv.page_url("02_time_space.ipynb"), code, name)
            page.wait_for_selector("text=Give at least one phase a duration", timeout=30_000)
            for phase, months in (("purchasing", "3"), ("delivery", "24"), ("maintenance", "12")):
                box = page.locator(f".wb-ex-timeline-{phase}-duration input")
                box.fill(months)
                box.press("Tab")
                page.wait_for_selector("text=All answers saved", timeout=30_000)
            page.locator(".wb-ex-timeline-delivery-where select").select_option(label="Client's site")
            page.wait_for_selector("text=Your servuction starts 3 months before delivery and continues 12 months after it", timeout=30_000)
            assert page.locator(".wb-summary-timeline svg").count() == 1
            page.wait_for_selector("text=Of the 1 phases you placed, 1 happen at the client's site", timeout=30_000)
            page.screenshot(path=str(artifacts / "module2-timeline.png"), full_page=True)

            sign_in(page, srv.page_url("04_process_outcome.ipynb"), code, name)
            page.locator(".wb-ex-statements-s01 label:has-text('Process')").click()  # the key says outcome
            page.locator(".wb-ex-statements-s02 label:has-text('Process')").click()  # the key says process
            page.wait_for_selector("text=You classified 1 of 2 statements like the expert key", timeout=30_000)
            assert page.locator(".wb-missed li").count() == 1
            assert "stopped far less often" in page.locator(".wb-missed li").inner_text()
            page.screenshot(path=str(artifacts / "module4-classification.png"), full_page=True)

            # a fresh visit (new kernel) shows everything again, from the store
            sign_in(page, srv.page_url("02_time_space.ipynb"), code, name)
            assert page.locator(".wb-ex-timeline-delivery-duration input").input_value() == "24"
            page.wait_for_selector("text=Your servuction starts 3 months before delivery", timeout=30_000)
            sign_in(page, srv.page_url("04_process_outcome.ipynb"), code, name)
            page.wait_for_selector("text=You classified 1 of 2 statements like the expert key", timeout=30_000)
            page.wait_for_selector(".wb-ex-statements-s01 input:checked", timeout=30_000)
            checked = page.locator(".wb-ex-statements-s01 label:has(input:checked)").inner_text()
            assert checked.strip() == "Process"
            assert page.locator(".wb-ex-statements-s03 input:checked").count() == 0
            browser.close()
