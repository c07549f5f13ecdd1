"""In a real browser: a rater answers with their code on the rater page, and the trainee's Module 3
page shows the peers' category only once the anonymity threshold (3) is reached."""
from __future__ import annotations

import pytest

from servers import launch_chromium, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
INST = "manager_profile"


def _store(srv):
    from workbook.store import Database

    return Database(srv.settings.database_url, srv.settings)


def test_rater_answers_and_category_appears_at_threshold(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    from workbook.auth import Identity
    from workbook.store import AccessCodeAuthenticator, invite_rater, save_rater_answer

    with voila_server(tmp_path, env={"WORKBOOK_POOLS": "03_manager_profiles.ipynb=1,rater.ipynb=1"}) as srv:
        code, name = srv.codes("trainee")[1], srv.names("trainee")[1]
        db = _store(srv)
        try:
            trainee = AccessCodeAuthenticator(db).authenticate(code, source="browser-test")
            peers = [invite_rater(db, trainee, trainee.person_id, "peer", INST, f"peer {n}") for n in range(3)]
            for rid, _code in peers[:2]:  # two peers answered before: under the threshold
                for item in ("mp1", "mp2", "mp4", "mp5", "mp6", "mp7", "mp9", "mp10", "mp12", "mp13", "mp14", "mp16"):
                    save_rater_answer(db, Identity(role="rater", rater_id=rid), item, 3)
        finally:
            db.dispose()
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.goto(srv.page_url("03_manager_profiles.ipynb"), timeout=120_000)
            page.fill("input[type=password]", code)
            page.click("text=Sign in")
            page.wait_for_selector(f"text=Signed in as {name}", timeout=90_000)
            results = page.locator(".wb-360-results")
            results.wait_for(timeout=60_000)
            assert "Peers: 2 of 3 invited answered — not enough raters (2 answered, 3 needed)" in results.inner_text()
            assert "No group of raters can be shown yet." in results.inner_text()

            # the third peer answers on the rater page, in the browser, with their code
            rater = browser.new_page()
            rater.goto(srv.page_url("rater.ipynb"), timeout=120_000)
            rater.fill("input[type=password]", peers[2][1])
            rater.click("text=Sign in")
            rater.wait_for_selector(f"text=Your feedback on {name.split()[0]}", timeout=90_000)
            body = rater.locator(".wb-page").inner_text()
            assert "This person" in body and "/100" not in body and "peer 2" not in body
            groups = rater.locator(".wb-likert")
            assert groups.count() == 16
            for i in range(16):
                groups.nth(i).locator("input[type=radio]").nth(3).check()  # "4"
            rater.wait_for_selector("text=16 of 16 statements answered", timeout=60_000)
            rater.screenshot(path=str(artifacts / "360-rater-page.png"), full_page=True)

            # a rater code does not open the trainee's pages
            other = browser.new_page()
            other.goto(srv.page_url("03_manager_profiles.ipynb"), timeout=120_000)
            other.fill("input[type=password]", peers[0][1])
            other.click("text=Sign in")
            other.wait_for_selector("text=you are signed in as rater", timeout=90_000)
            assert other.locator("text=Your turn").count() == 0

            page.click("text=Refresh results")
            page.wait_for_selector("text=Peers: 3 of 3 invited answered — shown", timeout=60_000)
            table = page.locator(".wb-360-results table").inner_text()
            assert "Peers" in table and "\t—\t" in table  # categories nobody answered in stay empty
            assert page.locator(".wb-360-results svg").count() >= 1
            page.screenshot(path=str(artifacts / "360-trainee-results.png"), full_page=True)
            browser.close()


def test_client_raters_see_and_score_only_the_client_items(tmp_path, artifacts):
    """Issue #12: a client rater's page has no leadership statement; the trainee's comparison has no
    client cell on leadership (a note says why) while clients' other dimensions are shown."""
    from playwright.sync_api import sync_playwright

    from workbook.auth import Identity
    from workbook.content import catalogue
    from workbook.store import AccessCodeAuthenticator, invite_rater, save_rater_answer

    inst = catalogue().instrument(INST)
    client_items = [i.id for i in inst.items_for("client")]
    leadership = [i for i in inst.items if i.dimension == "leadership"]
    with voila_server(tmp_path, env={"WORKBOOK_POOLS": "03_manager_profiles.ipynb=1,rater.ipynb=1"}) as srv:
        code, name = srv.codes("trainee")[2], srv.names("trainee")[2]
        db = _store(srv)
        try:
            trainee = AccessCodeAuthenticator(db).authenticate(code, source="browser-test")
            clients = [invite_rater(db, trainee, trainee.person_id, "client", INST, f"client {n}") for n in range(3)]
            for rid, _code in clients[:2]:
                for item in client_items:
                    save_rater_answer(db, Identity(role="rater", rater_id=rid), item, 2)
        finally:
            db.dispose()
        with sync_playwright() as p:
            browser = launch_chromium(p)
            rater = browser.new_page()
            rater.goto(srv.page_url("rater.ipynb"), timeout=120_000)
            rater.fill("input[type=password]", clients[2][1])
            rater.click("text=Sign in")
            rater.wait_for_selector(f"text=Your feedback on {name.split()[0]}", timeout=90_000)
            body = rater.locator(".wb-page").inner_text()
            assert leadership and not any(i.text_360 in body for i in leadership)
            assert inst.item(client_items[0]).text_360 in body
            groups = rater.locator(".wb-likert")
            assert groups.count() == len(client_items)
            for i in range(len(client_items)):
                groups.nth(i).locator("input[type=radio]").nth(1).check()  # "2"
            rater.wait_for_selector(f"text={len(client_items)} of {len(client_items)} statements answered", timeout=60_000)
            rater.screenshot(path=str(artifacts / "360-client-rater-page.png"), full_page=True)

            page = browser.new_page()
            page.goto(srv.page_url("03_manager_profiles.ipynb"), timeout=120_000)
            page.fill("input[type=password]", code)
            page.click("text=Sign in")
            page.wait_for_selector(f"text=Signed in as {name}", timeout=90_000)
            results = page.locator(".wb-360-results")
            results.wait_for(timeout=60_000)
            page.wait_for_selector("text=Clients: 3 of 3 invited answered — shown", timeout=60_000)
            table = page.locator(".wb-360-results table")
            heads = [h.strip() for h in table.locator("tr").first.locator("th").all_inner_texts()]
            col = heads.index("Clients")
            rows = {r.locator("td").first.inner_text().strip(): r.locator("td") for r in table.locator("tr").all()[1:]}
            assert rows["Leadership"].nth(col).inner_text().strip() == "*"  # no client figure, not "not enough raters"
            assert "wb-not-rated" in (rows["Leadership"].nth(col).get_attribute("class") or "")
            assert rows["Technical expertise"].nth(col).inner_text().strip() == "2.00"
            assert "Clients are not asked about Leadership" in results.inner_text()
            page.screenshot(path=str(artifacts / "360-client-cells.png"), full_page=True)
            browser.close()
