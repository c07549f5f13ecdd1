"""A real JupyterHub (#17): the hub of deploy/jupyterhub_config.py (only the authenticator, the spawner and the ports
swapped), configurable-http-proxy from npm (`make hub-proxy`), local single-user servers (`workbook singleuser`) and
one PostgreSQL started by the test. In Chromium, two trainees and a coach log in to the hub: each trainee's server
signs in that trainee (no code typed) and shows nothing of the other, a trainee cannot open the other's server nor
Jupyter's APIs on their own, the coach sees both trainees of the cohort, and both answers land in the one database.

Run with ``-s`` to see what each logged in as and saw (lines starting with ``hub:``)."""
from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path

import psutil
import pytest
import requests
from hub_runner import PASSWORD, PROXY, running_hub
from page_probe import IN_VIEW_JS, KERNEL_ID_JS
from servers import server_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright_api = pytest.importorskip("playwright.sync_api")
PEOPLE = {"ann": ("Ann Trainee", "trainee"), "ben": ("Ben Trainee", "trainee"), "coach": ("Cora Coach", "coach")}
INSTRUMENT = "coproduction"
INSTRUMENT_360 = "manager_profile"
RATERS = "/services/workbook-raters"  # deploy/jupyterhub_config.py's rater service, behind the hub's proxy
TIMEOUT = 240_000  # ms: a first login spawns a server (its fork server imports the pages) on a shared 2-core machine


def _app_role(pg, database: str) -> str:
    """deploy/postgres-role.sql run by the tables' owner; the role may not change the schema. Returns its URL."""
    import psycopg

    url = pg.app_role_url(database)
    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=workbook_app dbname={database}", autocommit=True) as con:
        for statement in ("CREATE TABLE stolen (x int)", "DROP TABLE answers", "ALTER TABLE people ADD COLUMN x int",
                          "UPDATE alembic_version SET version_num = 'x'", "CREATE DATABASE other", "CREATE ROLE other",
                          "COPY people TO PROGRAM 'true'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
    return url


def _workbook_db(pg, tmp: Path, name: str):
    """A fresh workbook database in the test's PostgreSQL with the three people and their hub logins; returns
    (database, {login: person id}, the URL of the servers' restricted role)."""
    from workbook.auth.identity import Identity
    from workbook.store import Database, create_cohort, invite, invite_rater

    url = pg.create_database(name)
    db = Database(url, server_settings(tmp / "setup", {"WORKBOOK_DB_URL": url}))
    admin = Identity.admin()
    cohort = create_cohort(db, admin, "Hub cohort")
    ids = {login: invite(db, admin, cohort, person, role, login=login)[0] for login, (person, role) in PEOPLE.items()}
    ids["rater"] = invite_rater(db, admin, ids["ann"], "peer", INSTRUMENT_360, "a peer of Ann")  # (rater id, code)
    return db, ids, _app_role(pg, name)  # the servers connect as the role of deploy/postgres-role.sql


@pytest.fixture(scope="module")
def hub(pg, tmp_path_factory):
    """A running hub on a fresh workbook database in PostgreSQL holding the three people with their hub logins."""
    if not PROXY.exists():
        pytest.skip(f"{PROXY} is missing: run `make hub-proxy` (npm install of configurable-http-proxy)")
    tmp = tmp_path_factory.mktemp("hub")
    db, ids, app_url = _workbook_db(pg, tmp, "workbook_hub")
    try:
        with running_hub(tmp, app_url, set(PEOPLE)) as running:
            yield {**running, "db": db, "ids": ids}
    finally:
        db.dispose()


def _login(browser, hub, login: str):
    """A fresh browser context logged in to the hub as ``login``: its server spawned, the home page shown."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{hub['url']}/hub/login")
    page.fill("#username_input", login)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{login}/voila/render/00_home.ipynb*", timeout=TIMEOUT)
    page.locator(f"text=Signed in as {PEOPLE[login][0]}").wait_for(timeout=TIMEOUT)
    return context, page


def _answer_first_item(page, value: int) -> str:
    from workbook.content.catalogue import catalogue

    label = f"{value} {catalogue().instrument(INSTRUMENT).scale.anchors[value]}"
    page.locator(".wb-likert").nth(0).locator("label", has_text=label).click()
    page.wait_for_selector(".wb-ok:has-text('All answers saved')", timeout=TIMEOUT)
    return label


def _memory(hub_pid: int) -> list[str]:
    """One line per process family: the hub with its proxy and culler, and each user's server with its fork server,
    chart renderer and kernels (PSS: shared pages split between their users; USS: its own)."""
    def tree(proc: psutil.Process) -> list[psutil.Process]:
        return [proc, *proc.children(recursive=True)]

    def total(procs: list[psutil.Process]) -> tuple[float, float]:
        pss = uss = 0.0
        for p in procs:
            try:
                info = p.memory_full_info()
            except psutil.NoSuchProcess:
                continue
            pss, uss = pss + info.pss / 2**20, uss + info.uss / 2**20
        return pss, uss

    hub = psutil.Process(hub_pid)
    servers = {}
    for child in hub.children(recursive=True):
        try:
            user = child.environ().get("JUPYTERHUB_USER")
            if user and (child.parent() is None or child.parent().environ().get("JUPYTERHUB_USER") != user):
                servers[user] = child
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    def is_rater_service(p: psutil.Process) -> bool:
        try:
            return "workbook.serving.rater_service" in " ".join(p.cmdline())
        except psutil.Error:
            return False

    raters = [p for r in hub.children(recursive=True) if is_rater_service(r) for p in tree(r)]
    others = [p for p in tree(hub) if p not in raters and not any(p in tree(s) for s in servers.values())]
    lines = ["hub: memory of the hub, its proxy and the culler: PSS {:.0f} MB, USS {:.0f} MB ({} processes)".format(*total(others), len(others)),
             "hub: memory of the rater service: PSS {:.0f} MB, USS {:.0f} MB ({} processes: Voila, its fork server "
             "and preheated rater pages)".format(*total(raters), len(raters))]
    def kind(p: psutil.Process) -> str:
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            return "gone"
        return ("chart renderer" if "workbook.render.chart_server" in cmd else "fork server" if "workbook.serving.forkserver" in cmd
                else "page kernel" if "ipykernel" in cmd else "other")

    for user, server in sorted(servers.items()):
        procs = tree(server)
        kinds = [kind(p) for p in procs[1:]]
        lines.append("hub: memory of {}'s server: PSS {:.0f} MB, USS {:.0f} MB ({} processes: the server, its fork server{}, "
                     "{} page kernel(s) open)".format(user, *total(procs), len(procs),
                                                      " and chart renderer" if "chart renderer" in kinds else " (no chart renderer: no chart drawn yet)",
                                                      kinds.count("page kernel")))
    return lines


def test_two_trainees_and_a_coach_through_a_real_hub(hub, browser, artifacts):
    from sqlalchemy import select

    from workbook.content.catalogue import catalogue
    from workbook.store.models import Answer

    first_item = catalogue().instrument(INSTRUMENT).items[0].id
    seen, contexts = {}, []
    try:
        for login, value in (("ann", 2), ("ben", 5)):
            context, page = _login(browser, hub, login)
            contexts.append(context)
            home = page.inner_text("body")
            other = "Ben Trainee" if login == "ann" else "Ann Trainee"
            assert other not in home and page.locator("input[type=password]:visible").count() == 0  # no code box under the hub
            page.goto(f"{hub['url']}/user/{login}/voila/render/01_servuction.ipynb")
            page.wait_for_selector(".wb-likert", timeout=TIMEOUT)
            label = _answer_first_item(page, value)
            # a user's fork server preloads no chart library (serving/hub.py HUB_PRELOAD), nor does Module 1 load one
            assert not [p.name() for p in _server_tree(hub["proc"].pid, login) if _loaded(p, "pandas") or _loaded(p, "numpy")]
            module = page.inner_text("body")
            assert f"Signed in as {PEOPLE[login][0]}" in module and other not in module
            page.screenshot(path=str(artifacts / f"hub_{login}_module1.png"), full_page=True)
            # the other trainee's server: the hub does not let this user in
            theirs = "ben" if login == "ann" else "ann"
            response = page.goto(f"{hub['url']}/user/{theirs}/voila/render/00_home.ipynb")
            text = page.inner_text("body")
            assert PEOPLE[theirs][0] not in text and response.status in (403, 404, 424, 503), (response.status, text[:300])
            # Jupyter's own APIs on their own server: refused by the lock, with the hub's login cookie
            refused = {path: context.request.get(f"{hub['url']}/user/{login}/{path}", max_redirects=0).status
                       for path in ("lab", "tree", "api/contents", "api/kernels", "api/sessions", "api/terminals")}
            assert set(refused.values()) == {404}, refused
            seen[login] = (label, response.status, refused)
            print(f"hub: logged in as {login!r}: home and Module 1 say 'Signed in as {PEOPLE[login][0]}', "
                  f"nothing of {other!r}; answered {first_item} = {label!r}; /user/{theirs}/ gave HTTP {response.status}; "
                  f"{', '.join(f'/{p} {s}' for p, s in refused.items())}")

        context, page = _login(browser, hub, "coach")
        contexts.append(context)
        page.goto(f"{hub['url']}/user/coach/voila/render/coach.ipynb")
        page.wait_for_selector(".wb-table", timeout=TIMEOUT)
        table = page.inner_text(".wb-table")
        assert "Ann Trainee" in table and "Ben Trainee" in table
        assert [p for p in _server_tree(hub["proc"].pid, "coach") if _loaded(p, "pandas")]  # the coach's charts load it
        page.screenshot(path=str(artifacts / "hub_coach_dashboard.png"), full_page=True)
        print("hub: logged in as 'coach': the coach page says 'Signed in as Cora Coach' and its cohort table lists "
              "'Ann Trainee' and 'Ben Trainee'")
        for line in _memory(hub["proc"].pid):  # for the operator guide's sizing: the trainees' pages left, the coach's open
            print(line)
    finally:
        for context in contexts:
            context.close()

    with hub["db"].session() as s:
        rows = s.execute(select(Answer.person_id, Answer.value).where(Answer.exercise == INSTRUMENT, Answer.item == first_item)
                         .order_by(Answer.id)).all()
    latest = dict(rows)  # the current answer is a person's latest row
    assert latest == {hub["ids"]["ann"]: 2, hub["ids"]["ben"]: 5}, rows  # both trainees', nobody else's, in the one database
    print(f"hub: the one PostgreSQL holds {first_item} of Ann (2) and of Ben (5), written by their own servers as workbook_app")


def _server_tree(hub_pid: int, user: str) -> list[psutil.Process]:
    """The user's server and every process under it (its fork server, its page kernels)."""
    server = _server_of(hub_pid, user)
    assert server is not None, f"{user} has no running server"
    return [server, *server.children(recursive=True)]


def _loaded(proc: psutil.Process, package: str) -> bool:
    """Whether the process has mapped a compiled module of ``package`` (pandas, numpy: imported)."""
    try:
        return any(f"/site-packages/{package}/" in m.path for m in proc.memory_maps())
    except psutil.NoSuchProcess:
        return False


def _server_of(hub_pid: int, user: str) -> psutil.Process | None:
    """The running single-user server of ``user`` among the hub's descendants, or None."""
    for child in psutil.Process(hub_pid).children(recursive=True):
        try:
            if child.environ().get("JUPYTERHUB_USER") == user and "workbook.serving.launch singleuser" in " ".join(child.cmdline()):
                return child
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return None


def test_the_example_configs_culler_stops_a_server_left_idle(pg, tmp_path_factory):
    """deploy/jupyterhub_config.py's jupyterhub-idle-culler, with WORKBOOK_HUB_CULL_SECONDS=20: a user logs in (their
    server starts), then does nothing; the culler stops the server and its processes."""
    if not PROXY.exists():
        pytest.skip(f"{PROXY} is missing: run `make hub-proxy` (npm install of configurable-http-proxy)")
    tmp = tmp_path_factory.mktemp("cull")
    db, _ids, app_url = _workbook_db(pg, tmp, "workbook_cull")
    db.dispose()
    with running_hub(tmp, app_url, set(PEOPLE), cull_seconds=20) as hub:
        session = requests.Session()
        login = session.get(f"{hub['url']}/hub/login", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', login.text).group(1)
        session.post(f"{hub['url']}/hub/login", data={"username": "ann", "password": PASSWORD, "_xsrf": xsrf}, timeout=180)
        deadline = time.monotonic() + 180
        while (server := _server_of(hub["proc"].pid, "ann")) is None and time.monotonic() < deadline:
            time.sleep(1)
        assert server is not None, hub["log"].read_text(errors="replace")[-3000:]
        started = time.monotonic()
        while not server.children(recursive=True) and time.monotonic() - started < 60:
            time.sleep(1)  # the fork server, started with the server (the chart renderer only for a first chart)
        family = [server, *server.children(recursive=True)]
        assert len(family) > 1
        hub["seen"].update(family)
        while server.is_running() and server.status() != psutil.STATUS_ZOMBIE and time.monotonic() - started < 240:
            time.sleep(2)
        culled = time.monotonic() - started
        log = hub["log"].read_text(errors="replace")
        assert not server.is_running() or server.status() == psutil.STATUS_ZOMBIE, log[-3000:]
        assert "Culling server ann" in log or "culling server ann" in log.lower(), log[-3000:]
        time.sleep(3)
        assert not [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        print(f"hub: the culler (timeout 20 s) stopped ann's idle server {culled:.0f} s after it started, and its {len(family) - 1} helper processes with it")


# What the rater service must never serve: every other page of the workbook, and Jupyter's and Voila's own routes.
RATER_REFUSED = ("voila/render/00_home.ipynb", "voila/render/01_servuction.ipynb", "voila/render/coach.ipynb",
                 "voila/render/hr.ipynb", "voila/render/09_coaching.ipynb", "voila/render/../rater.ipynb", "voila/tree",
                 "voila", "voila/api/contents", "voila/files/rater.ipynb", "tree", "lab", "api/contents", "api/kernels",
                 "api/sessions", "api/terminals", "api/kernelspecs", "files/rater.ipynb", "voila/query/x")


def test_a_rater_without_a_hub_account_answers_through_the_hubs_rater_service(hub, browser, artifacts):
    """deploy/jupyterhub_config.py's rater service: a rater (no hub account, no hub login) opens the link of their
    e-mail through the hub's proxy, signs in with their rater code, answers; the answer lands in the one PostgreSQL;
    the service answers 404 to every trainee or coach page and to Jupyter's routes."""
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import rater_answers

    rater_id, code = hub["ids"]["rater"]
    base = f"{hub['url']}{RATERS}"
    context = browser.new_context()  # no hub cookie: the rater never logs in to the hub
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        deadline = time.monotonic() + 180
        while True:  # the service, started by the hub, listens
            try:
                socket.create_connection(("127.0.0.1", hub["rater_port"]), timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, hub["log"].read_text(errors="replace")[-3000:]
                time.sleep(1)
        page.goto(f"{base}/")  # the bare address leads to the rater page
        assert page.url.split("?")[0] == f"{base}/voila/render/rater.ipynb", page.url
        page.fill("input[type=password]", code)
        page.click("text=Sign in")
        page.wait_for_selector("text=Your feedback on Ann", timeout=TIMEOUT)
        inst = catalogue().instrument(INSTRUMENT_360)
        first = inst.items_for("peer")[0]
        page.locator(".wb-likert").nth(0).locator("input[type=radio]").nth(3).check()  # "4"
        page.wait_for_selector("text=Saved · 1 of", timeout=TIMEOUT)
        page.screenshot(path=str(artifacts / "hub_rater_page.png"), full_page=True)
        assert "/hub/" not in page.url and not [c for c in context.cookies() if c["name"].startswith("jupyterhub")]
        refused = {path: context.request.get(f"{base}/{path}", max_redirects=0).status for path in RATER_REFUSED}
        refused["POST api/kernels"] = context.request.post(f"{base}/api/kernels", data="{}", max_redirects=0).status
        assert set(refused.values()) == {404}, refused
    finally:
        context.close()
    answers = rater_answers(hub["db"], Identity(role="rater", rater_id=rater_id))  # read back from the one PostgreSQL
    assert answers == {first.id: 4}, answers
    print(f"hub: a rater without a hub account opened {RATERS}/ (led to voila/render/rater.ipynb), signed in with the rater "
          f"code, answered {first.id} = 4; the one PostgreSQL holds it; the rater service answered 404 to "
          f"{len(refused)} other routes ({', '.join(sorted(refused)[:4])}, ...)")


def _kernel_pid(hub_pid: int, user: str, kernel: str) -> int:
    """The process of the page kernel ``kernel`` in ``user``'s server (its connection file names it)."""
    server = _server_of(hub_pid, user)
    assert server is not None
    for p in server.children(recursive=True):
        try:
            if f"kernel-{kernel}.json" in " ".join(p.cmdline()):
                return p.pid
        except psutil.NoSuchProcess:
            continue
    raise AssertionError(f"no process of kernel {kernel} in {user}'s server")


def test_deep_links_and_page_states_under_the_hub(hub, browser, artifacts):
    """A deep link to a teaching section lands on it in a user's server (Voila as server extension, behind the hub's
    proxy); the page's state check answers under the server's base URL; the page's kernel killed, the page says it
    was closed after inactivity."""
    import signal

    context, page = _login(browser, hub, "ben")
    try:
        page.set_viewport_size({"width": 1024, "height": 700})
        page.goto(f"{hub['url']}/user/ben/voila/render/01_servuction.ipynb#section-3")
        page.wait_for_selector('[data-wb-anchor="section-3"][data-wb-linked]', timeout=TIMEOUT)
        page.wait_for_timeout(1500)  # the page settles; the section stays at the top
        where = page.evaluate(IN_VIEW_JS, '[data-wb-anchor="section-3"]')
        assert 0 <= where["top"] < 120, where
        assert page.evaluate(IN_VIEW_JS, ".wb-banner")["top"] < 0, "the page did not move to the section"
        page.screenshot(path=str(artifacts / "hub_deep_link_section_3.png"))
        kernel = page.evaluate(KERNEL_ID_JS)
        state_url = f"{hub['url']}/user/ben/workbook/page-state/{kernel}"
        assert context.request.get(state_url).json() == {"state": "open"}  # through the proxy, under the base URL
        assert page.locator("#wb-connection").count() == 0
        os.kill(_kernel_pid(hub["proc"].pid, "ben", kernel), signal.SIGKILL)
        banner = page.wait_for_selector("#wb-connection[data-state=closed]", timeout=60_000)
        assert "This page was closed after inactivity — reload to continue." in banner.inner_text()
        assert context.request.get(state_url).json() == {"state": "closed"}
        page.screenshot(path=str(artifacts / "hub_state_closed.png"))
        print(f"hub: ben's deep link #section-3 landed on the section ({where['top']} px from the top); the page-state route "
              f"under /user/ben/ answered open, then closed once the page's kernel was killed, and the page said "
              f"{banner.query_selector('.wb-state-message').inner_text().strip()!r}")
    finally:
        context.close()
