"""Modules 6 and 8 in a real browser (Voila with the workbook's serving policy + Debian Chromium):
answers typed and chosen in the page reach the database and are back after a reload."""
from __future__ import annotations

import pytest
from servers import assert_no_traceback_or_source, full_screenshot, signed_in, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with voila_server(
        tmp_path_factory.mktemp("voila-m68"),
        env={"WORKBOOK_POOL_SIZE": "1", "WORKBOOK_POOLS": "06_triangle.ipynb=1,08_essence.ipynb=1"},
    ) as srv:
        yield srv


def test_m06_draws_the_triangle_from_the_saved_answers(server, page, served_db, artifacts):
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.domain.scoring import score
    from workbook.domain.service_analysis import dominant_link
    from workbook.store import AccessCodeAuthenticator, current_answers

    code = server.codes()[0]
    who = AccessCodeAuthenticator(served_db).authenticate(code, source="test")
    inst = catalogue().instrument("triangle_links")
    scores = {s.dimension: s.score_100 for s in score(inst, current_answers(served_db, Identity.admin(), who.person_id, inst.id))}
    signed_in(page, server, "06_triangle.ipynb", code, ".wb-results")
    results = page.locator(".wb-results")
    results.locator("svg").first.wait_for()
    labels = catalogue().module("m06").results.labels
    for link, value in scores.items():  # each side of the drawn triangle carries the person's own score
        assert results.locator("svg text", has_text=f"{labels[link]}: {value:.0f}").count() == 1
    fav = dominant_link(scores)
    if fav:
        assert f"Your offer favours the {labels[fav]} link" in results.inner_text()
    assert_no_traceback_or_source(page)
    full_screenshot(page, artifacts / "module6_triangle.png")


def test_m08_row_and_choice_saved_in_the_page_come_back_after_reload(server, page, served_db, artifacts):
    from workbook.auth.identity import Identity
    from workbook.domain.service_analysis import rows_from_answers
    from workbook.store import AccessCodeAuthenticator, current_answers

    code = server.codes()[4]
    who = AccessCodeAuthenticator(served_db).authenticate(code, source="test")
    admin = Identity.admin()
    before = rows_from_answers(current_answers(served_db, admin, who.person_id, "layer_sort"), ["action", "layer"])

    signed_in(page, server, "08_essence.ipynb", code, ".wb-results")
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

    after = rows_from_answers(current_answers(served_db, admin, who.person_id, "layer_sort"), ["action", "layer"])
    assert after[-1]["action"] == "Quarterly <b>risk</b> review with the client" and after[-1]["layer"] == "value"
    assert len(after) == len(before) + 1
    assert current_answers(served_db, admin, who.person_id, "ladder")["choice"] == "distinctive"

    page.reload(wait_until="domcontentloaded")  # the sign-in cookie resumes the session: no second code
    page.wait_for_selector(".wb-results")
    sort = page.locator(".wb-ex-layer_sort")
    values = sort.locator(".wb-cell-action input").evaluate_all("els => els.map(e => e.value)")
    assert "Quarterly <b>risk</b> review with the client" in values
    checked = page.locator(".wb-ex-ladder .wb-pick input:checked").evaluate("i => i.parentElement.textContent.trim()")
    assert checked.startswith("We do it differently")
    # the summary shows the typed text as text, not as markup
    assert page.locator(".wb-summary-layer_sort td", has_text="Quarterly <b>risk</b> review").count() == 1
    assert_no_traceback_or_source(page)
    full_screenshot(page, artifacts / "module8_restored.png")
