"""Modules 6 and 8 in a real browser (Voila with the workbook's serving policy + Debian Chromium):
answers typed and chosen in the page reach the database and are back after a reload."""
from __future__ import annotations

import pytest
from servers import TRACEBACK, VoilaServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")
SLOW = 90_000  # ms: pages on a shared 2-core machine


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = VoilaServer.start(
        tmp_path_factory.mktemp("voila-m68"),
        env={"WORKBOOK_POOL_SIZE": "1", "WORKBOOK_POOLS": "06_triangle.ipynb=1,08_essence.ipynb=1"},
    )
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(SLOW)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def db(server):
    from workbook.store import Database

    d = Database(server.settings.database_url, server.settings)
    yield d
    d.dispose()


def signed_in(page, server, notebook: str, code: str) -> None:
    page.goto(server.page_url(notebook), wait_until="domcontentloaded")
    page.wait_for_selector("input[type=password]", state="visible")
    page.fill("input[type=password]", code)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector(".wb-results")


def full_screenshot(page, path) -> None:
    """The whole page: Voila scrolls inside #rendered_cells, so grow the viewport to its height."""
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1200, "height": max(900, min(int(height) + 40, 12000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)


def no_traceback(page) -> None:
    text = page.inner_text("body")
    assert not TRACEBACK.search(text), text[:2000]


def test_m06_draws_the_triangle_from_the_saved_answers(server, page, db, artifacts):
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.domain.scoring import score
    from workbook.domain.service_analysis import dominant_link
    from workbook.store import AccessCodeAuthenticator, current_answers

    code = server.codes()[0]
    who = AccessCodeAuthenticator(db).authenticate(code, source="test")
    inst = catalogue().instrument("triangle_links")
    scores = {s.dimension: s.score_100 for s in score(inst, current_answers(db, Identity.admin(), who.person_id, inst.id))}
    signed_in(page, server, "06_triangle.ipynb", code)
    results = page.locator(".wb-results")
    results.locator("svg").first.wait_for()
    labels = catalogue().module("m06").results.labels
    for link, value in scores.items():  # each side of the drawn triangle carries the person's own score
        assert results.locator("svg text", has_text=f"{labels[link]}: {value:.0f}").count() == 1
    fav = dominant_link(scores)
    if fav:
        assert f"Your offer favours the {labels[fav]} link" in results.inner_text()
    no_traceback(page)
    full_screenshot(page, artifacts / "module6_triangle.png")


def test_m08_row_and_choice_saved_in_the_page_come_back_after_reload(server, page, db, artifacts):
    from workbook.auth.identity import Identity
    from workbook.domain.service_analysis import rows_from_answers
    from workbook.store import AccessCodeAuthenticator, current_answers

    code = server.codes()[4]
    who = AccessCodeAuthenticator(db).authenticate(code, source="test")
    admin = Identity.admin()
    before = rows_from_answers(current_answers(db, admin, who.person_id, "layer_sort"), ["action", "layer"])

    signed_in(page, server, "08_essence.ipynb", code)
    sort = page.locator(".wb-ex-layer_sort")
    shown = max(len(before), 4)
    assert sort.locator(".wb-row").count() == shown
    sort.locator("button.wb-add-row").click()
    playwright_api.expect(sort.locator(".wb-row")).to_have_count(shown + 1)
    new_row = sort.locator(".wb-row").last
    new_row.locator(".wb-cell-action input").fill("Quarterly <b>risk</b> review with the client")
    new_row.locator(".wb-cell-action input").press("Tab")
    new_row.locator(".wb-cell-layer select").select_option(label="Value layer")
    page.locator(".wb-ex-ladder .wb-pick label", has_text="We do it differently").click()
    page.wait_for_selector(".wb-ok:has-text('All answers saved')")
    page.locator(".wb-summary-ladder", has_text="We do it differently").wait_for()

    after = rows_from_answers(current_answers(db, admin, who.person_id, "layer_sort"), ["action", "layer"])
    assert after[-1]["action"] == "Quarterly <b>risk</b> review with the client" and after[-1]["layer"] == "value"
    assert len(after) == len(before) + 1
    assert current_answers(db, admin, who.person_id, "ladder")["choice"] == "distinctive"

    page.reload(wait_until="domcontentloaded")  # the sign-in cookie resumes the session: no second code
    page.wait_for_selector(".wb-results")
    sort = page.locator(".wb-ex-layer_sort")
    values = sort.locator(".wb-cell-action input").evaluate_all("els => els.map(e => e.value)")
    assert "Quarterly <b>risk</b> review with the client" in values
    checked = page.locator(".wb-ex-ladder .wb-pick input:checked").evaluate("i => i.parentElement.textContent.trim()")
    assert checked.startswith("We do it differently")
    # the summary shows the typed text as text, not as markup
    assert page.locator(".wb-summary-layer_sort td", has_text="Quarterly <b>risk</b> review").count() == 1
    no_traceback(page)
    full_screenshot(page, artifacts / "module8_restored.png")
