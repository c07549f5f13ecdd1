"""In a real Chromium on a real Voila: hostile text saved by a trainee and a hostile name typed by a
coach are shown as text; nothing in them runs (a payload that ran would set a marker)."""
from __future__ import annotations

import pytest
from servers import launch_chromium, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MARKER_TEXT = (
    '<script>window.__pwned=1;document.title="PWNED"</script>'
    '<img src=x onerror="window.__pwned=2;document.title=\'PWNED\'">'
    '<a href="javascript:window.__pwned=3">click me</a> **bold** \u202eevil\u202c end'
)
MARKER_NAME = '<img src=x onerror="window.__pwned=4">Eve<script>window.__pwned=5</script>'
NOT_RUN = "() => window.__pwned === undefined && document.title !== 'PWNED'"


def test_hostile_text_and_names_stay_inert_in_the_browser(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    from workbook.auth.identity import Identity
    from workbook.store import AccessCodeAuthenticator, Database, cohort_by_name, invite, save_answer

    with voila_server(tmp_path, env={"WORKBOOK_POOLS": "01_servuction.ipynb=1,coach.ipynb=1"}) as srv:
        db = Database(srv.settings.database_url, srv.settings)
        code, coach_code = srv.codes("trainee")[0], srv.codes("coach")[0]
        me = AccessCodeAuthenticator(db).authenticate(code, source="test-setup")
        save_answer(db, me, me.person_id, "m01", "reflection", "text", MARKER_TEXT)
        cohort_id = cohort_by_name(db, srv.demo["cohort"])
        _pid, eve_code = invite(db, Identity.admin(), cohort_id, MARKER_NAME)
        db.dispose()
        dialogs = []
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(srv.page_url("01_servuction.ipynb"))
            page.fill("input[type=password]", code)
            page.click("text=Sign in")
            page.wait_for_selector("textarea", timeout=90_000)
            page.wait_for_function("() => [...document.querySelectorAll('textarea')].some(t => t.value.includes('onerror'))", timeout=30_000)
            assert MARKER_TEXT in [page.locator("textarea").nth(i).input_value() for i in range(page.locator("textarea").count())]
            page.wait_for_timeout(1500)
            assert page.evaluate(NOT_RUN), "a payload in a saved answer ran on the module page"
            page.screenshot(path=str(artifacts / "hostile-module1.png"), full_page=True)

            staff = browser.new_page()
            staff.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            staff.goto(srv.page_url("coach.ipynb"))
            staff.fill("input[type=password]", coach_code)
            staff.click("text=Sign in")
            staff.wait_for_selector("text=Eve<script>", timeout=90_000)  # the name, shown as text
            staff.wait_for_timeout(1500)
            assert staff.evaluate(NOT_RUN), "a payload in a person's name ran on the coach page"
            assert staff.locator("img[src=x]").count() == 0
            staff.screenshot(path=str(artifacts / "hostile-coach.png"), full_page=True)
            # the sign-in cookies' session tokens (once the pages' scripts have exchanged their tickets)
            for _ in range(100):
                tokens = [c["value"] for pg in (page, staff) for c in pg.context.cookies() if c["name"] == "workbook_session"]
                if len(tokens) == 2:
                    break
                staff.wait_for_timeout(100)
            assert len(tokens) == 2, "a page signed in by code set no sign-in cookie"
            browser.close()
        assert dialogs == []
        log = srv.log_text()
        for c in (code, coach_code, eve_code):
            assert c not in log and c.replace("-", "")[5:] not in log, "an access code reached the server log"
        for token in tokens:
            assert token not in log, "a session token reached the server log"


def test_report_sections_with_hostile_text_set_no_marker_in_chromium(db, admin):
    """Every individual and cohort report section, built from hostile names, plans and notes,
    opened in Chromium: no marker set, no dialog, the payload visible as text."""
    from hostile_html import assert_inert
    from playwright.sync_api import sync_playwright

    from workbook.reporting.report_content import COHORT_SECTIONS, INDIVIDUAL_SECTIONS, cohort_report, individual_report, show
    from workbook.store import AccessCodeAuthenticator, create_cohort, invite, save_action, save_note

    cid = create_cohort(db, admin, "Hostile reports")
    people = {}
    for name, role in [("Coach", "coach"), (MARKER_NAME, "trainee"), ("Ben", "trainee"), ("Cy", "trainee")]:
        people[name] = invite(db, admin, cid, name, role)
    auth = AccessCodeAuthenticator(db)
    eve = auth.authenticate(people[MARKER_NAME][1], source="t")
    coach = auth.authenticate(people["Coach"][1], source="t")
    save_action(db, eve, eve.person_id, {"text": MARKER_TEXT, "owner": MARKER_NAME, "measure": MARKER_TEXT, "due": "2031-01-01", "realistic": True})
    save_note(db, coach, eve.person_id, {"goal": MARKER_TEXT, "reality": MARKER_NAME}, shared=True)
    ind = individual_report(db, admin, eve.person_id)
    coh = cohort_report(db, admin, cid)
    parts = [show(ind, name) for name in INDIVIDUAL_SECTIONS] + [show(coh, name) for name in COHORT_SECTIONS]
    for html in parts:
        assert_inert(html, allowed_tags={"svg"})
    body = "\n".join(parts)
    assert "Eve&lt;script&gt;" in body and "onerror" in body  # shown, as text
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_content(f"<!doctype html><html><head><title>report</title></head><body>{body}</body></html>")
        page.wait_for_timeout(1000)
        assert page.evaluate(NOT_RUN)
        assert page.locator("img[src=x]").count() == 0
        assert MARKER_NAME in page.inner_text("body")
        browser.close()
    assert dialogs == []
