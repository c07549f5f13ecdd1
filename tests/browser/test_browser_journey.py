"""In a real browser on a real Voila: add a touchpoint with the editor, see it in the chart, reload, still there."""
from __future__ import annotations

import pytest
from servers import launch_chromium, sign_in_or_resume, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGE = "05_experience.ipynb"
NAME = "Site walk <b>with</b> the plant manager"


def _sign_in(page, url, code, name):
    """Sign in, or resume through the session cookie after a reload (tests/servers.py)."""
    sign_in_or_resume(page, url, code, name)


def test_add_a_touchpoint_see_it_in_the_chart_reload_and_find_it(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    env = {"WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": f"{PAGE}=1"}
    with voila_server(tmp_path, env=env) as srv:
        # the fourth demo trainee has no map yet (the first three start with the worked example)
        code, name = srv.codes("trainee")[3], srv.names("trainee")[3]
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            _sign_in(page, srv.page_url(PAGE), code, name)
            assert page.locator("figure.wb-figure svg").count() == 1  # the Salesforce chart in the teaching text
            page.wait_for_selector("text=You have no map yet", timeout=30_000)
            page.click(".wb-j-new-map")
            page.wait_for_selector(".wb-j-stages select option >> text=1. First contact (0)", state="attached", timeout=30_000)
            page.fill(".wb-j-new-tp input", NAME)
            page.click(".wb-j-add-tp")
            point = page.locator(".wb-j-curve svg text", has_text="1. Site walk <b>with</b>")
            try:
                point.first.wait_for(timeout=60_000)
            except Exception:
                page.screenshot(path=str(artifacts / "journey-failed.png"), full_page=True)
                raise
            assert page.locator(".wb-j-curve b").count() == 0  # person text shown as text, never as markup
            page.wait_for_selector("text=Saved: added touchpoint", timeout=30_000)
            page.locator(".wb-journey").screenshot(path=str(artifacts / "journey-added.png"))

            _sign_in(page, srv.page_url(PAGE), code, name)  # reload: a new kernel, state from the store only
            try:
                page.locator(".wb-j-curve svg text", has_text="1. Site walk <b>with</b>").first.wait_for(timeout=90_000)
            except Exception as exc:
                page.screenshot(path=str(artifacts / "journey-reload-failed.png"), full_page=True)
                raise AssertionError(f"after the reload the map's chart did not show the touchpoint; page text:\n"
                                     f"{page.inner_text('body')[-1500:]}\nserver log:\n{srv.log_tail()}") from exc
            assert page.locator(".wb-j-tps select option", has_text="Site walk").count() == 1
            page.locator(".wb-journey").screenshot(path=str(artifacts / "journey-after-reload.png"))
            assert "Traceback" not in page.content()
            browser.close()
