"""In a real browser, with a real SMTP server: the trainee nominates raters on Module 3, the coach
approves and the workbook e-mails each rater their code; a rater answers on the rater page with
the code from their e-mail. The trainee's page and every widget message it exchanges hold no rater
code; results appear only once the round is closed; comments stay hidden under their threshold."""
from __future__ import annotations

import re

import pytest
from servers import launch_chromium, voila_server
from smtp_sink import smtp_sink

pytestmark = [pytest.mark.browser, pytest.mark.slow]
INST = "manager_profile"
ITEMS = ("mp1", "mp2", "mp4", "mp5a", "mp5b", "mp6a", "mp7", "mp9", "mp10", "mp12", "mp13a", "mp14", "mp16")
CODE = re.compile(r"\b([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\b")


def _store(srv):
    from workbook.store import Database

    return Database(srv.settings.database_url, srv.settings)


def _frames(page) -> list[str]:
    """Every websocket frame the page sends or receives (widget comm messages included), as text."""
    seen: list[str] = []

    def on_ws(ws):
        for event in ("framereceived", "framesent"):
            ws.on(event, lambda payload: seen.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

    page.on("websocket", on_ws)
    return seen


def test_rater_flow_end_to_end(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import AccessCodeAuthenticator, approve_raters, close_round, list_people, save_rater_answer, send_rater_codes

    with smtp_sink() as smtp, voila_server(tmp_path, env={**smtp.env(), "WORKBOOK_POOLS": "03_manager_profiles.ipynb=1,rater.ipynb=1"}) as srv:
        code, name = srv.codes("trainee")[1], srv.names("trainee")[1]  # a demo trainee without demo 360 data
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            frames = _frames(page)
            page.goto(srv.page_url("03_manager_profiles.ipynb"), timeout=120_000)
            page.fill("input[type=password]", code)
            page.click("text=Sign in")
            page.wait_for_selector(f"text=Signed in as {name}", timeout=90_000)
            page.locator(".wb-rater-list").wait_for(timeout=60_000)

            # the trainee nominates three peers: name, e-mail, category
            for n in range(3):
                page.locator(".widget-dropdown:has-text('Rater is my') select").select_option(label="Peer")
                page.fill("input[placeholder='first and last name']", f"Peer {n}")
                page.fill("input[placeholder='name@company.com']", f"peer{n}@client.example")
                page.get_by_role("button", name="Nominate", exact=True).click()
                page.wait_for_selector(f".wb-rater-list >> text=peer{n}@client.example", timeout=60_000)
            assert page.locator(".wb-rater-list").inner_text().count("waiting for the coach's approval") == 3

            # the coach approves and sends: the codes go to the raters' mailboxes, nowhere else
            db = _store(srv)
            try:
                coach = AccessCodeAuthenticator(db).authenticate(srv.codes("coach")[0], source="browser-test")
                trainee_id = next(x.id for x in list_people(db, Identity.admin(), coach.cohort_id) if x.name == name)
                assert approve_raters(db, coach, trainee_id) == 3
                issued = send_rater_codes(db, coach, trainee_id)
            finally:
                db.dispose()
            assert [i.delivered for i in issued] == ["email"] * 3 and all(i.code is None for i in issued)
            codes = {f"peer{n}@client.example": CODE.search(smtp.bodies_to(f"peer{n}@client.example")[0]).group(1) for n in range(3)}
            assert len(set(codes.values())) == 3

            page.click("text=Refresh results")
            page.wait_for_selector(".wb-rater-list >> text=code sent by e-mail", timeout=60_000)

            # one rater answers in the browser with the code from their e-mail, two others through the store
            rater = browser.new_page()
            rater.goto(srv.page_url("rater.ipynb"), timeout=120_000)
            rater.fill("input[type=password]", codes["peer0@client.example"])
            rater.click("text=Sign in")
            rater.wait_for_selector(f"text=Your feedback on {name.split()[0]}", timeout=90_000)
            groups = rater.locator(".wb-likert")
            n_items = len(catalogue().instrument(INST).items)
            assert groups.count() == n_items == 19
            for i in range(n_items):
                groups.nth(i).locator("input[type=radio]").nth(3).check()  # "4"
            rater.wait_for_selector(f"text={n_items} of {n_items} statements answered", timeout=60_000)
            rater.fill(".wb-rater-comment textarea", "Browser comment: listens well")
            rater.locator(".wb-rater-comment textarea").blur()
            rater.screenshot(path=str(artifacts / "360-rater-page.png"), full_page=True)
            rater.close()
            db = _store(srv)
            try:
                auth = AccessCodeAuthenticator(db)
                for n, addr in enumerate(["peer1@client.example", "peer2@client.example"]):
                    who = auth.authenticate(codes[addr], source=f"browser-test-{n}")
                    for item in ITEMS:
                        save_rater_answer(db, who, item, 3)
                    save_rater_answer(db, who, "_comment", f"Store comment {n}")
            finally:
                db.dispose()

            # all three answered, the round is open: counts only, no result
            page.click("text=Refresh results")
            page.wait_for_selector(".wb-360-round >> text=3 of 3 invited raters answered", timeout=60_000)
            results = page.locator(".wb-360-results")
            assert "No closed feedback round yet" in results.inner_text()
            assert page.locator(".wb-360-results svg").count() == 0 and page.locator(".wb-360-results table").count() == 0

            # the coach closes the round: the results appear, the comments (3 raters < 5) do not
            db = _store(srv)
            try:
                close_round(db, coach, trainee_id, INST)
            finally:
                db.dispose()
            page.click("text=Refresh results")
            page.wait_for_selector("text=Peers: 3 of 3 invited answered — shown", timeout=60_000)
            text = results.inner_text()
            assert "Comments are shown only once at least 5 raters" in text
            assert "listens well" not in text and "Store comment" not in text
            assert page.locator(".wb-360-results svg").count() >= 1
            page.screenshot(path=str(artifacts / "360-trainee-results.png"), full_page=True)

            # nothing the trainee's page ever showed or exchanged holds a rater code or a comment
            html = page.content()
            wire = "\n".join(frames)
            assert len(frames) > 50 and "comm_msg" in wire  # the widget messages were captured
            for c in codes.values():
                for form in (c, c.replace("-", ""), c.split("-", 1)[1]):
                    assert form not in html and form not in wire
            assert "listens well" not in wire and "Store comment" not in wire
            browser.close()


def test_client_raters_see_and_score_only_the_client_items(tmp_path, artifacts):
    """Issue #12: a client rater's page has no leadership statement; the trainee's comparison has no
    client cell on leadership (a note says why) while clients' other dimensions are shown."""
    from playwright.sync_api import sync_playwright

    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import AccessCodeAuthenticator, close_round, invite_rater, save_rater_answer

    inst = catalogue().instrument(INST)
    client_items = [i.id for i in inst.items_for("client")]
    leadership = [i for i in inst.items if i.dimension == "leadership"]
    with voila_server(tmp_path, env={"WORKBOOK_POOLS": "03_manager_profiles.ipynb=1,rater.ipynb=1"}) as srv:
        code, name = srv.codes("trainee")[2], srv.names("trainee")[2]
        db = _store(srv)
        try:
            trainee = AccessCodeAuthenticator(db).authenticate(code, source="browser-test")
            clients = [invite_rater(db, Identity.admin(), trainee.person_id, "client", INST, f"client {n}") for n in range(3)]
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
            db = _store(srv)
            try:  # results appear once the round is closed
                close_round(db, Identity.admin(), trainee.person_id, INST)
            finally:
                db.dispose()

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
