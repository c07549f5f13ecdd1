"""The workshop in a real browser (issue #12): the coach sets the workshop path on the coach
dashboard and a trainee's home page shows that path and its minutes; the facilitator guide refuses
a trainee code and opens for the coach. Voila with the workbook's serving policy and
Debian's Chromium; the expected minutes are read from exercises/paths.yaml by the test itself."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from servers import PAGE_TIMEOUT, assert_no_traceback_or_source, full_screenshot, open_page, refused_line, sign_in, signed_in, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
PATHS_YAML = Path(__file__).resolve().parents[2] / "exercises" / "paths.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with voila_server(tmp_path_factory.mktemp("voila-paths"), env={"WORKBOOK_POOL_SIZE": "1", "WORKBOOK_POOLS": ""}) as srv:
        yield srv


def test_coach_sets_the_workshop_path_and_the_trainee_home_page_shows_it_with_its_minutes(server, page, browser, artifacts):
    doc = yaml.safe_load(PATHS_YAML.read_text(encoding="utf-8"))
    workshop = next(p for p in doc["paths"] if p["id"] == "workshop")
    per_module = {m["module"]: sum(s["minutes"] for s in m["steps"]) for m in workshop["modules"]}
    total = sum(per_module.values())

    # before: the trainee's home page shows the default path, not the workshop
    signed_in(page, server, "00_home.ipynb", server.codes()[2], ".wb-path")
    assert page.locator(".wb-path").get_attribute("data-path") == doc["default"] != "workshop"

    coach = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    coach.set_default_timeout(PAGE_TIMEOUT)
    open_page(coach, server, "coach.ipynb")
    sign_in(coach, server.codes("coach")[0])
    coach.locator(".lm-TabBar-tab", has_text="Path").click()
    coach.locator(".widget-dropdown select").filter(has=coach.locator("option", has_text=workshop["title"])).select_option(label=workshop["title"])
    coach.locator("button", has_text="Use this path for the cohort").click()
    coach.wait_for_selector(".wb-path-current[data-path='workshop']")
    assert_no_traceback_or_source(coach)
    coach.context.close()

    page.reload(wait_until="domcontentloaded")  # the sign-in cookie resumes the trainee's session
    page.wait_for_selector(".wb-path[data-path='workshop']")
    box = page.locator(".wb-path")
    assert f"Your path: {workshop['title']}" in box.inner_text()
    for module_id, minutes in per_module.items():
        assert box.locator(f"tr[data-module='{module_id}'] .wb-path-session").inner_text().strip() == f"{minutes} min"
    last = box.locator("tr").last
    assert last.locator(".wb-path-session").inner_text().strip() == f"{total} min"
    assert "min left of" in page.inner_text(".wb-path-left")
    assert_no_traceback_or_source(page)
    full_screenshot(page, artifacts / "home_workshop_path.png")


def test_facilitator_guide_refuses_a_trainee_code_and_shows_nothing_of_the_guide(server, page, artifacts):
    open_page(page, server, "facilitator.ipynb")
    sign_in(page, server.codes()[4])
    assert "coach" in refused_line(page).lower()
    text = page.inner_text("body")
    assert "Key messages" not in text and "Debrief questions" not in text
    assert page.locator(".wb-live").count() == 0 and page.locator(".wb-guide").count() == 0
    assert_no_traceback_or_source(page)
    full_screenshot(page, artifacts / "facilitator_refuses_trainee.png")


def test_facilitator_guide_opens_for_the_coach_with_live_results(server, page):
    """The other half of the refusal test: the same page shows the guide to the cohort's coach."""
    signed_in(page, server, "facilitator.ipynb", server.codes("coach")[0], ".wb-guide")
    assert page.locator(".wb-guide-module").count() == 9
    assert "like the key on average" in page.inner_text(".wb-live[data-uses='statements']")
    assert_no_traceback_or_source(page)


def test_handout_page_shows_the_modules_handout_and_offers_its_pdf(server, page):
    """The handout page reads ?module= after Voila hands its preheated kernel the request."""
    page.goto(server.page_url("handout.ipynb") + "?module=m08", wait_until="domcontentloaded")
    page.wait_for_selector(".wb-handout[data-module='m08']")
    assert "Value layer" in page.inner_text(".wb-handout")
    page.locator("button", has_text="Prepare the PDF").click()
    link = page.wait_for_selector("a.wb-handout-pdf")
    assert link.get_attribute("href").startswith("data:application/pdf;base64,JVBER")  # %PDF
    assert link.get_attribute("download") == "handout-m08.pdf"
    assert_no_traceback_or_source(page)
