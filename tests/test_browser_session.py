"""In a real browser: sign in once on the home page, follow a module link, arrive signed in."""
from __future__ import annotations

import pytest

from servers import launch_chromium, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_sign_in_once_carries_to_the_next_page(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    with voila_server(tmp_path, env={"WORKBOOK_POOLS": "00_home.ipynb=1,01_servuction.ipynb=1"}) as srv:
        code, name = srv.codes("trainee")[1], srv.names("trainee")[1]
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.goto(srv.page_url("00_home.ipynb"))
            page.fill("input[type=password]", code)
            page.click("text=Sign in")
            page.wait_for_selector(f"text=Welcome, {name}", timeout=60_000)
            page.click("a:has-text('Servuction: the customer as co-producer')")
            page.wait_for_url("**/01_servuction.ipynb?s=*", timeout=30_000)
            page.wait_for_selector(f"text=Signed in as {name}", timeout=60_000)
            assert page.locator("input[type=password]").is_hidden()
            page.wait_for_selector("text=Your turn", timeout=60_000)  # the body is built after "Signed in as" shows
            assert page.locator("text=Your turn").count() == 1
            page.screenshot(path=str(artifacts / "session-carried-module1.png"), full_page=True)
            # a made-up token signs nobody in
            page.goto(srv.page_url("01_servuction.ipynb") + "?s=forged")
            page.wait_for_selector("text=your sign-in has expired", timeout=60_000)
            assert page.locator("text=Your turn").count() == 0
            browser.close()
