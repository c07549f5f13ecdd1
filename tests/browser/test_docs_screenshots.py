"""The guides' screenshots (docs/screenshots/, tests/docs_site.py): made here from a real Voila with the
demo cohort, signed in as each role in Debian's Chromium, after checking that the page shows what the
guide says about it. Every run rewrites them, so they follow the pages (the tests that change the demo
data run last, so that a single test run alone draws the same pictures as the whole file); tests/unit/test_docs.py fails
on an image the guides show that no test here makes."""
from __future__ import annotations

import pytest
from docs_site import SCREENSHOT_DIR, SCREENSHOTS
from servers import VoilaServer, signed_in
from test_browser import SLOW, assert_no_traceback_or_source, open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")

VIEWPORT = {"width": 1200, "height": 800}
COACH_BUTTONS = {
    "Cohort": ["Invite", "Re-issue code", "Close cohort"],
    "Coaching": ["Save GROW note", "Make private", "Save follow-up"],
    "360 raters": ["Approve nominations", "Send codes", "Remind raters who have not answered", "Set closing date", "Close round", "Start pulse round"],
}
COACH_TABS = ["Progress", "Live results", "Coaching", "Cohort", "Statistics", "Path", "360 raters", "Language", "Quiz"]  # as the coach guide names them


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = VoilaServer.start(tmp_path_factory.mktemp("voila-docs"),
                            env={"WORKBOOK_POOLS": "00_home.ipynb=1,01_servuction.ipynb=1,coach.ipynb=1,hr.ipynb=1"})
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(SLOW)
    yield pg
    context.close()


def shot(page, name: str, top: str | None = None, above: int = 0, mask: tuple[str, ...] = (), height: int | None = None) -> None:
    """Write screenshot ``name`` (one of SCREENSHOTS) of the visible part of the page (its top ``height``
    pixels if given), scrolled first so that ``top`` (a selector) is at the top with ``above`` pixels over it;
    ``mask``: selectors of texts that change with the clock (times), painted over so that an unchanged page
    gives the same file."""
    assert name in SCREENSHOTS
    if top is not None:
        scroll_to(page, top, above)
    assert_no_traceback_or_source(page)
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no focus ring: the same picture every run
    page.wait_for_timeout(500)  # widgets settle
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height} if height else None
    page.screenshot(path=str(SCREENSHOT_DIR / name), animations="disabled", caret="hide", clip=clip,
                    mask=[page.locator(s) for s in mask], mask_color="#dde3ea")
    assert (SCREENSHOT_DIR / name).stat().st_size > 5_000


def scroll_to(page, selector: str, above: int = 0) -> None:
    """Scroll Voila's page (it scrolls inside #rendered_cells) so that ``selector`` is at the top, with
    ``above`` pixels of what precedes it (e.g. the heading of the first item)."""
    page.locator(selector).first.evaluate("el => el.scrollIntoView({block: 'start'})")
    if above:
        page.evaluate("px => { const c = document.getElementById('rendered_cells'); (c && c.scrollHeight > c.clientHeight ? c : document.scrollingElement).scrollBy(0, -px); }", above)


def test_trainee_signs_in_on_the_home_page_and_finds_their_path_and_modules(server, page):
    open_page(page, server, "00_home.ipynb")
    languages = page.locator("select option").all_inner_texts()
    assert {"English", "Français", "中文"} <= set(languages), f"the guide names the languages in themselves: {languages}"
    shot(page, "trainee-signin.png", height=420)

    sign_in(page, server.codes()[0])
    page.wait_for_selector(".wb-path")
    page.wait_for_selector(".wb-modules a")
    assert page.locator(f"text=Signed in as {server.names()[0]}").count() >= 1
    assert "min left of" in page.inner_text(".wb-path-left")
    assert page.locator(".wb-modules a").count() == 9
    assert page.locator("button", has_text="Sign out").count() == 1
    shot(page, "trainee-home.png", top=".wb-path")


def test_coach_page_shows_the_tabs_the_guide_names(server, page):
    signed_in(page, server, "coach.ipynb", server.codes("coach")[0], ".wb-table")
    tabs = [t.strip() for t in page.locator(".lm-TabBar-tab").all_inner_texts()]
    assert tabs == COACH_TABS, f"the coach guide names these tabs: {COACH_TABS}; the page has {tabs}"
    assert all(name in page.inner_text(".wb-table") for name in server.names())
    assert page.locator("button", has_text="Refresh progress").count() == 1
    shot(page, "coach-progress.png", top=".lm-TabBar", mask=(".wb-matrix td.wb-muted",))

    page.locator(".lm-TabBar-tab", has_text="Live results").click()
    page.wait_for_selector("text=refresh automatically")
    page.wait_for_selector(".lm-TabPanel svg, .wb-live svg, .widget-tab svg", state="attached")
    shot(page, "coach-live-results.png", top=".lm-TabBar", mask=("span.wb-muted:has-text('Updated')",))

    for tab, buttons in COACH_BUTTONS.items():  # the buttons the coach guide tells the coach to press
        page.locator(".lm-TabBar-tab", has_text=tab).click()
        for label in buttons:
            assert page.locator(f"button:visible:has-text('{label}')").count() == 1, f"tab {tab}: no button {label!r} (docs/guides/coach.md)"

    page.locator(".lm-TabBar-tab", has_text="Path").click()
    page.wait_for_selector("button:has-text('Use this path for the cohort')")
    shot(page, "coach-path.png", top=".lm-TabBar")


def test_hr_page_offers_the_reports_the_guide_describes(server, page):
    signed_in(page, server, "hr.ipynb", server.codes("hr")[0], "button:has-text('Produce')")
    assert page.locator("text=PDF as well as HTML").count() == 1
    assert "The whole cohort (cohort report + one per person)" in page.inner_text(".widget-dropdown:has-text('Report') select").replace("\xa0", " ")
    assert "Trainees of your cohort" in page.inner_text("body")
    shot(page, "hr-reports.png", top="h2:has-text('Reports')")


def test_coach_opens_the_facilitator_guide(server, page):
    signed_in(page, server, "facilitator.ipynb", server.codes("coach")[0], ".wb-guide")
    assert page.locator(".wb-guide-module").count() == 9
    text = page.inner_text(".wb-guide")
    assert "Key messages" in text and "Debrief questions" in text
    shot(page, "coach-facilitator.png", top=".wb-guide-module")


def test_trainee_finds_their_360_results_in_module_3(server, page):
    """A demo trainee's round is closed (the demo data): the results the trainee guide describes."""
    signed_in(page, server, "03_manager_profiles.ipynb", server.codes()[0], ".wb-360-results")
    text = page.locator(".wb-360-results").inner_text()
    assert "Blind spot" in text or "blind spot" in text or "Hidden strength" in text or "hidden strength" in text, text[:500]
    assert page.locator("button", has_text="Start a retake").count() == 1
    shot(page, "trainee-360-results.png", top=".wb-360-results")


def test_rater_answers_the_statements_about_the_trainee(server, page):
    """A rater signs in on the rater page with the code a coach sent and answers; the page names the
    trainee by first name and shows only the statements about them."""
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import AccessCodeAuthenticator, Database, invite_rater

    inst = catalogue().instrument("manager_profile")
    db = Database(server.settings.database_url, server.settings)
    try:
        trainee = AccessCodeAuthenticator(db).authenticate(server.codes()[2], source="docs-test")
        _rid, code = invite_rater(db, Identity.admin(), trainee.person_id, "peer", inst.id, "a peer")
    finally:
        db.dispose()
    name = server.names()[2]
    signed_in(page, server, "rater.ipynb", code, f"text=Your feedback on {name.split()[0]}")
    groups = page.locator(".wb-likert")
    assert groups.count() == len(inst.items_for("peer"))
    assert inst.items_for("peer")[0].text_360 in page.inner_text(".wb-page")
    for i in range(3):
        groups.nth(i).locator("input[type=radio]").nth(3).check()
    page.wait_for_selector(f"text=3 of {groups.count()} statements answered")
    shot(page, "rater-page.png")


def test_trainee_answers_in_module_1_and_sees_it_saved(server, page):
    signed_in(page, server, "01_servuction.ipynb", server.codes()[1], ".wb-likert")
    first = page.locator(".wb-likert").first
    options = first.locator("label")
    assert options.count() >= 5
    checked = first.evaluate("el => { const i = el.querySelector('input:checked'); return i ? i.parentElement.textContent.trim() : null; }")
    target = options.nth(3) if (options.nth(3).inner_text().strip() != checked) else options.nth(4)
    target.click()
    page.wait_for_selector(".wb-ok:has-text('All answers saved')")
    assert page.locator("button", has_text="Mark this module as done").count() == 1
    shot(page, "trainee-module.png", top=".wb-likert", above=80)
