"""In a real Chromium on a real Voila: sign in once on the home page, follow plain links, arrive
signed in; the session lives in an HttpOnly SameSite=Strict cookie and never in a URL; sign-out
and a re-issued code end it; a forged cookie or header signs nobody in; behind a trusted proxy
the visitor's forwarded address is the one counted."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from servers import voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLOW = 90_000  # ms: pages on a shared 2-core machine
COOKIE = "workbook_session"
MODULE1 = "Servuction: the customer as co-producer"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with voila_server(
        tmp_path_factory.mktemp("voila-session"),
            env={"WORKBOOK_POOL_SIZE": "1", "WORKBOOK_POOLS": "00_home.ipynb=2,01_servuction.ipynb=2",
                 "WORKBOOK_TRUSTED_PROXIES": "127.0.0.1"},
        ) as srv:
        yield srv


class Recorder:
    """Every URL a context's pages navigate to, request or open a websocket on."""

    def __init__(self, context):
        self.urls: list[str] = []
        context.on("page", self.watch)
        for pg in context.pages:
            self.watch(pg)

    def watch(self, pg) -> None:
        pg.on("request", lambda r: self.urls.append(r.url))
        pg.on("framenavigated", lambda f: self.urls.append(f.url))
        pg.on("websocket", lambda ws: self.urls.append(ws.url))


def new_page(browser, **kwargs):
    context = browser.new_context(**kwargs)
    recorder = Recorder(context)
    pg = context.new_page()
    pg.set_default_timeout(SLOW)
    return context, pg, recorder


def sign_in_at_home(pg, server, code: str, name: str) -> None:
    pg.goto(server.page_url("00_home.ipynb"))
    pg.fill("input[type=password]", code)
    pg.click("text=Sign in")
    pg.wait_for_selector(f"text=Welcome, {name}")


def session_cookie(context) -> dict | None:
    """The sign-in cookie once the page's script has exchanged its ticket (None: no cookie)."""
    found = [c for c in context.cookies() if c["name"] == COOKIE]
    return found[0] if found else None


def wait_for_cookie(context, pg, present: bool = True) -> dict | None:
    for _ in range(100):
        cookie = session_cookie(context)
        if (cookie is not None) == present:
            return cookie
        pg.wait_for_timeout(100)
    raise AssertionError(f"the sign-in cookie is {'missing' if present else 'still there'}")


def test_no_session_token_in_any_url_and_the_cookie_is_httponly_strict(server, browser, artifacts):
    code, name = server.codes("trainee")[1], server.names("trainee")[1]
    context, pg, rec = new_page(browser)
    try:
        sign_in_at_home(pg, server, code, name)
        cookie = wait_for_cookie(context, pg)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain http here
        assert COOKIE not in pg.evaluate("document.cookie")  # no script on the page can read it
        pg.click(f"a:has-text('{MODULE1}')")
        pg.wait_for_url("**/01_servuction.ipynb")
        pg.wait_for_selector(f"text=Signed in as {name}")
        assert pg.locator("input[type=password]").is_hidden()
        pg.wait_for_selector("text=Your turn")  # the body is built after "Signed in as" shows
        pg.click("a:has-text('All modules')")
        pg.wait_for_url("**/00_home.ipynb")
        pg.wait_for_selector(f"text=Welcome, {name}")
        pg.screenshot(path=str(artifacts / "session-cookie-home.png"), full_page=True)
        token = session_cookie(context)["value"]
    finally:
        context.close()
    assert len(rec.urls) > 20, rec.urls  # navigations, scripts, kernel websockets: all recorded
    with_s = [u for u in rec.urls if "s" in parse_qs(urlsplit(u).query)]
    assert with_s == [], with_s
    assert not [u for u in rec.urls if token in u or code in u]
    assert token not in server.log_text() and code not in server.log_text()


def test_sign_out_ends_the_session_everywhere(server, browser):
    code, name = server.codes("trainee")[2], server.names("trainee")[2]
    context, pg, _rec = new_page(browser)
    try:
        sign_in_at_home(pg, server, code, name)
        old = wait_for_cookie(context, pg)
        pg.goto(server.page_url("01_servuction.ipynb"))
        pg.wait_for_selector(f"text=Signed in as {name}")
        pg.click("button:has-text('Sign out')")
        pg.wait_for_selector("text=You are signed out")
        wait_for_cookie(context, pg, present=False)  # the server cleared it
        pg.goto(server.page_url("01_servuction.ipynb"))
        pg.wait_for_selector("input[type=password]", state="visible")
        assert pg.locator(f"text=Signed in as {name}").count() == 0
    finally:
        context.close()
    # the old cookie, replayed from another browser, signs nobody in: the session ended on the server
    replay, pg2, _ = new_page(browser)
    try:
        replay.add_cookies([{k: old[k] for k in ("name", "value", "domain", "path", "httpOnly", "sameSite", "secure")}])
        pg2.goto(server.page_url("01_servuction.ipynb"))
        pg2.wait_for_selector("text=your sign-in has expired")
        assert pg2.locator("text=Your turn").count() == 0
        assert pg2.locator("input[type=password]").is_visible()
    finally:
        replay.close()


def test_a_reissued_code_ends_an_open_page_at_its_next_click(server, browser, served_db, artifacts):
    from workbook.auth.identity import Identity
    from workbook.store import cohort_by_name, current_answers, list_people, reissue_code

    code, name = server.codes("trainee")[3], server.names("trainee")[3]
    person = next(p for p in list_people(served_db, Identity.admin(), cohort_by_name(served_db, server.demo["cohort"])) if p.name == name)
    context, pg, _rec = new_page(browser)
    try:
        sign_in_at_home(pg, server, code, name)
        wait_for_cookie(context, pg)
        pg.click(f"a:has-text('{MODULE1}')")  # this page signs in from the cookie
        pg.wait_for_selector(".wb-likert")
        radios = pg.locator(".wb-likert")
        radios.nth(0).locator("input").nth(0).check()
        pg.wait_for_selector(".wb-ok:has-text('All answers saved')")
        before = current_answers(served_db, Identity.admin(), person.id, "coproduction")
        reissue_code(served_db, Identity.admin(), person.id)  # what the coach's "Re-issue code" does
        # click, not check(): the page may end (and the radio go) before Playwright sees it checked
        radios.nth(1).locator("input").nth(4).click()
        pg.wait_for_selector("text=Your session ended — sign in again")
        assert pg.locator(".wb-likert").count() == 0
        pg.screenshot(path=str(artifacts / "session-ended.png"), full_page=True)
        assert current_answers(served_db, Identity.admin(), person.id, "coproduction") == before  # the click saved nothing
        pg.click("a:has-text('Sign in')")  # the page again, asking for the (new) code
        pg.wait_for_selector("input[type=password]", state="visible")
    finally:
        context.close()


def test_a_forged_cookie_or_session_header_signs_nobody_in(server, browser, served_db):
    from workbook.store import AccessCodeAuthenticator

    live = AccessCodeAuthenticator(served_db).start_session(AccessCodeAuthenticator(served_db).authenticate(server.codes("trainee")[4], source="test"))
    # a live token sent as the header the server stamps: overwritten by the server
    context, pg, _ = new_page(browser, extra_http_headers={"X-Workbook-Session": live})
    try:
        pg.goto(server.page_url("01_servuction.ipynb"))
        pg.wait_for_selector("input[type=password]", state="visible")
        pg.wait_for_timeout(3000)
        assert pg.locator("text=Your turn").count() == 0 and pg.locator("text=Signed in as").count() == 0
    finally:
        context.close()
    context, pg, _ = new_page(browser)
    try:
        context.add_cookies([{"name": COOKIE, "value": "forged", "url": server.base_url}])
        pg.goto(server.page_url("01_servuction.ipynb"))
        pg.wait_for_selector("text=your sign-in has expired")
        assert pg.locator("text=Your turn").count() == 0
    finally:
        context.close()


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(server, browser, served_db):
    """This server trusts 127.0.0.1 as a proxy (WORKBOOK_TRUSTED_PROXIES): the right-most
    untrusted X-Forwarded-For address is the visitor's, not a forged one left of it."""
    from sqlalchemy import select

    from workbook.store.models import SigninFailure

    context, pg, _ = new_page(browser, extra_http_headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7"})
    try:
        pg.goto(server.page_url("00_home.ipynb"))
        pg.fill("input[type=password]", "WRONG-WRONG-WRONG")
        pg.click("text=Sign in")
        pg.wait_for_selector("text=this access code is not valid")
    finally:
        context.close()
    with served_db.session() as s:
        keys = {k for (k,) in s.execute(select(SigninFailure.key))}
    assert "addr:203.0.113.7" in keys and not any("6.6.6.6" in k for k in keys), keys
