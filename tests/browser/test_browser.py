"""The workbook in a real browser: Voila (the workbook's serving policy) + headless Debian Chromium.

One Voila server per module (demo cohort on a fresh SQLite). Every page opened here is also
checked for Python tracebacks or source, and every request the browser makes is recorded: the
pages must not fetch anything from outside the server (a workshop room may have no Internet).
"""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from servers import (  # test_docs_screenshots.py imports open_page, sign_in … from here
    VoilaServer,
    assert_no_traceback_or_source,
    browser_page,
    full_screenshot,
    open_page,
    refused_line,
    sign_in,
    signed_in,
    voila_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")
INSTRUMENT = "coproduction"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SLOW = 90_000  # ms: pages on a shared 2-core machine


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with voila_server(tmp_path_factory.mktemp("voila-browser"), env={"WORKBOOK_POOL_SIZE": "1", "WORKBOOK_POOLS": "01_servuction.ipynb=2"}) as srv:
        yield srv


@pytest.fixture(scope="module")
def requests_seen():
    """Every URL any page of this module asked for (checked by test_pages_fetch_nothing_off_the_server)."""
    return []


@pytest.fixture
def page(browser, requests_seen):
    """tests/browser/conftest.py's page, every request it makes recorded."""
    with browser_page(browser, on_request=lambda r: requests_seen.append(r.url)) as pg:
        yield pg


def likert(page, n: int):
    return page.locator(".wb-likert").nth(n)


def checked_label(page, n: int) -> str | None:
    """The label of the checked option of Likert item ``n`` (None when nothing is checked)."""
    return likert(page, n).evaluate(
        "el => { const i = el.querySelector('input:checked'); return i ? i.parentElement.textContent.trim() : null; }"
    )


def identity_of(db, code: str):
    from workbook.store import AccessCodeAuthenticator

    return AccessCodeAuthenticator(db).authenticate(code, source="test")


def test_answer_changed_in_the_page_is_saved_and_restored_after_reload(server, page, served_db, artifacts):
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import current_answers, save_answer

    inst = catalogue().instrument(INSTRUMENT)
    code = server.codes()[3]
    who = identity_of(served_db, code)
    admin = Identity.admin()
    first, second = inst.items[0].id, inst.items[1].id
    before = current_answers(served_db, admin, who.person_id, INSTRUMENT)
    new_value = 1 if before.get(first) != 1 else 5
    label = f"{new_value} {inst.scale.anchors[new_value]}"

    signed_in(page, server, "01_servuction.ipynb", code, ".wb-likert")
    assert checked_label(page, 0) == (f"{before[first]} {inst.scale.anchors[before[first]]}" if first in before else None)
    likert(page, 0).locator("label", has_text=label).click()
    page.wait_for_selector(".wb-ok:has-text('All answers saved')")
    assert current_answers(served_db, admin, who.person_id, INSTRUMENT)[first] == new_value

    # Written behind the page's back: after a reload the page must show what the database holds.
    other = 2 if before.get(second) != 2 else 4
    save_answer(served_db, admin, who.person_id, "m01", INSTRUMENT, second, other)

    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".wb-likert")  # signed in again by the sign-in cookie, no code typed
    assert checked_label(page, 0) == label
    assert checked_label(page, 1) == f"{other} {inst.scale.anchors[other]}"
    assert page.locator(f"text=Signed in as {who.name}").count() == 1
    assert_no_traceback_or_source(page)
    full_screenshot(page, artifacts / "module1_restored_after_reload.png")


def test_a_new_trainee_types_into_the_exercises_built_before_they_came(server, page, served_db):
    """Module 1's exercises are built by the preheated kernel before its visitor (#17): a trainee with no answers
    yet gets them on the page, and what they type is saved as theirs."""
    from workbook.auth.identity import Identity
    from workbook.store import cohort_by_name, current_answers, invite

    admin = Identity.admin()
    cohort = cohort_by_name(served_db, server.demo["cohort"])
    person, code = invite(served_db, admin, cohort, "Noor Prebuilt", "trainee")
    signed_in(page, server, "01_servuction.ipynb", code, ".wb-likert")
    area = page.locator("textarea").first
    area.fill("The client's own maintenance lead")
    area.press("Tab")  # saved when the box is left
    page.wait_for_selector(".wb-ok:has-text('All answers saved')")
    assert "The client's own maintenance lead" in current_answers(served_db, admin, person, "servuction_map").values()
    assert_no_traceback_or_source(page)


def test_coach_page_refuses_a_trainee_code_and_shows_nothing_of_the_cohort(server, page, artifacts):
    others = server.names()[:4] + server.names()[5:]  # everyone but the trainee signing in
    open_page(page, server, "coach.ipynb")
    sign_in(page, server.codes()[4])
    assert "coach" in refused_line(page).lower()
    text = page.inner_text("body")
    assert not any(name in text for name in others), "another trainee's name is on the refused coach page"
    assert "Progress of your cohort" not in text
    assert page.locator(".wb-table").count() == 0
    assert_no_traceback_or_source(page)
    full_screenshot(page, artifacts / "coach_refuses_trainee.png")


def test_coach_code_opens_the_coach_page(server, page):
    """The other half of the refusal test: the same page shows the cohort to its coach."""
    signed_in(page, server, "coach.ipynb", server.codes("coach")[0], ".wb-table")
    text = page.inner_text(".wb-table")
    assert all(name in text for name in server.names())
    assert_no_traceback_or_source(page)


def test_wrong_code_gets_one_plain_line_and_nothing_else(server, page):
    code = server.codes()[5]
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    open_page(page, server, "01_servuction.ipynb")
    sign_in(page, wrong)
    assert "not valid" in refused_line(page)
    assert page.locator(".wb-likert").count() == 0
    assert page.locator("input[type=password]").is_visible()
    assert_no_traceback_or_source(page)


def test_home_page_lists_modules_with_links_after_sign_in(server, page):
    signed_in(page, server, "00_home.ipynb", server.codes()[0], ".wb-modules")
    link = page.locator(".wb-modules a").first
    assert urlsplit(link.get_attribute("href")).path.endswith("01_servuction.ipynb")
    assert_no_traceback_or_source(page)


def page_kernel_id(page) -> str:
    """The id of the kernel serving this page (from the page's own config)."""
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def test_leaving_a_page_shuts_its_kernel_down(server, browser):
    """Voila's page calls voila/api/shutdown/<kernel> when left; the template's _xsrf cookie lets it through."""
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(SLOW)
    open_page(pg, server, "01_servuction.ipynb")
    kid = page_kernel_id(pg)
    assert kid in server.kernel_ids()
    pg.close(run_before_unload=True)
    context.close()
    deadline = time.monotonic() + 30
    while kid in server.kernel_ids() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert kid not in server.kernel_ids(), "the kernel of a closed page is still running"
    assert not re.search(rf"403 POST /voila/api/shutdown/{kid}", server.log_text())


def test_pages_fetch_nothing_off_the_server(server, page, requests_seen):
    """Every request of this test's pages (the home page, then Module 1 signed in and answered) and of every page
    this module's other tests opened in this process before it went to the server itself; none to a CDN. The test
    opens its own pages: it holds wherever it runs in the module (with ``pytest -n`` its neighbours may run in
    another process)."""
    before = len(requests_seen)
    open_page(page, server, "00_home.ipynb")
    page.wait_for_load_state("networkidle")
    signed_in(page, server, "01_servuction.ipynb", server.codes()[2], ".wb-likert")
    likert(page, 0).locator("label").nth(2).click()
    page.wait_for_selector(".wb-ok:has-text('All answers saved')")
    page.wait_for_load_state("networkidle")
    assert len(requests_seen) - before > 20  # the pages' scripts, styles, fonts, the kernel websockets...
    outside = sorted({u for u in requests_seen if urlsplit(u).hostname not in LOCAL_HOSTS and not u.startswith(("data:", "blob:"))})
    assert outside == [], f"pages asked for {outside}"
    html = page.content()
    remote = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1|localhost)[^"']+""", html)
    assert remote == [], f"the page references {remote}"


def test_idle_kernels_are_culled_and_preheated_ones_kept(tmp_path_factory, browser):
    """A page whose browser vanished (no goodbye) loses its kernel after the idle timeout;
    the preheated pool kernels, idle for longer than that, stay."""
    srv = VoilaServer.start(
        tmp_path_factory.mktemp("voila-cull"),
        env={"WORKBOOK_POOL_SIZE": "1", "WORKBOOK_POOLS": "01_servuction.ipynb=1",
             "WORKBOOK_CULL_IDLE_SECONDS": "6", "WORKBOOK_CULL_INTERVAL_SECONDS": "2"},
    )
    try:
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(SLOW)
        open_page(pg, srv, "01_servuction.ipynb")
        kid = page_kernel_id(pg)
        srv.wait_quiet(timeout=120)  # the pool has refilled
        pool = set(srv.kernel_ids()) - {kid}
        assert kid in srv.kernel_ids() and len(pool) >= 4
        pg.close(run_before_unload=False)  # the laptop lid closes: no shutdown call
        context.close()
        deadline = time.monotonic() + 60
        while kid in srv.kernel_ids() and time.monotonic() < deadline:
            time.sleep(1)
        assert kid not in srv.kernel_ids(), "an idle kernel was not culled"
        assert re.search(rf"Culling '\w+' kernel '\w+' \({kid}\)", srv.log_text())
        time.sleep(8)  # more than a whole idle timeout again
        assert pool <= set(srv.kernel_ids()), "a preheated kernel was culled"
    finally:
        srv.stop()


def test_the_server_root_leads_to_the_home_page_and_lists_no_files(server, page):
    """A trainee typing only the address lands on the home page; no one sees the notebooks
    folder (report notebooks, their test files) through / or /voila/tree/."""
    import urllib.error
    import urllib.request

    for path in ("/", "/voila/tree/", "/?classic-tree=true"):
        with urllib.request.urlopen(server.url(path), timeout=60) as r:
            html = r.read().decode("utf-8")
        assert "voila/render/00_home.ipynb" in html, path
        assert not re.search(r"hr\.ipynb|individual\.ipynb|coach\.ipynb|conftest", html), f"{path} lists files"
    with pytest.raises(urllib.error.HTTPError) as gone:  # the report notebooks are no longer in the served folder
        urllib.request.urlopen(server.url("/voila/tree/reports"), timeout=60)
    assert gone.value.code == 404
    page.goto(server.url("/"), wait_until="domcontentloaded")
    page.wait_for_url(re.compile(r"/voila/render/00_home\.ipynb$"))
    page.wait_for_selector("input[type=password]", state="visible")


def test_wrong_codes_are_counted_against_the_address_the_server_saw(server, browser, served_db):
    """The kernel learns the visitor's address from the server (workbook/serving/client_address.py), not
    from the client: a forged X-Workbook-Client header is overwritten."""
    from sqlalchemy import select

    from workbook.store.models import SigninFailure

    context = browser.new_context(extra_http_headers={"X-Workbook-Client": "203.0.113.9"})
    pg = context.new_page()
    pg.set_default_timeout(SLOW)
    try:
        open_page(pg, server, "00_home.ipynb")
        sign_in(pg, "WRONG-WRONG-WRONG")
        pg.wait_for_selector("text=this access code is not valid")
    finally:
        context.close()
    with served_db.session() as s:
        keys = {k for (k,) in s.execute(select(SigninFailure.key))}
    assert "addr:127.0.0.1" in keys, keys
    assert not any("203.0.113.9" in k for k in keys), keys


def test_server_killed_mid_module_the_reloaded_page_restores_every_answer_from_the_store(tmp_path, browser, artifacts):
    """The laptop serving the workshop dies (SIGKILL to Voila and every kernel) while a trainee is
    in Module 1; after a restart on the same data, a reload shows every acknowledged answer."""
    import os
    import signal
    import sqlite3

    from workbook.content.catalogue import catalogue

    inst = catalogue().instrument(INSTRUMENT)
    env = {"WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": "01_servuction.ipynb=1"}
    first = VoilaServer.start(tmp_path / "data", env=env)
    code = first.codes()[5]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(SLOW)
    try:
        open_page(pg, first, "01_servuction.ipynb")
        sign_in(pg, code)
        pg.wait_for_selector(".wb-likert")
        before = checked_label(pg, 2)
        value = 1 if before != f"1 {inst.scale.anchors[1]}" else 5
        label = f"{value} {inst.scale.anchors[value]}"
        likert(pg, 2).locator("label", has_text=label).click()
        pg.wait_for_selector(".wb-ok:has-text('All answers saved')")
        area = pg.locator("textarea").first
        area.fill("Written just before the server died")
        area.press("Tab")  # the text is saved when the box is left
        pg.wait_for_function("() => [...document.querySelectorAll('.wb-ok')].some(e => e.textContent.includes('All answers saved'))")
        pg.wait_for_timeout(500)
        os.killpg(first.proc.pid, signal.SIGKILL)  # no shutdown of any kind
        first.proc.wait(timeout=30)
        con = sqlite3.connect(tmp_path / "data" / "workbook.db")
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()

        second = VoilaServer.start(tmp_path / "data", env=env, demo=False)
        try:
            pg.goto(second.page_url("01_servuction.ipynb"), wait_until="domcontentloaded")
            pg.wait_for_selector(".wb-likert")  # the sign-in cookie's session is in the store: still signed in
            assert checked_label(pg, 2) == label
            assert pg.locator("textarea").first.input_value() == "Written just before the server died"
            full_screenshot(pg, artifacts / "module1_after_server_kill.png")
        finally:
            second.stop()
    finally:
        context.close()
        first.stop()
