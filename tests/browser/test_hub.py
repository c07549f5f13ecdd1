"""A real JupyterHub (#17): the hub of deploy/jupyterhub_config.py (only the authenticator, the spawner and the ports
swapped), configurable-http-proxy from npm (`make hub-proxy`), local single-user servers (`workbook singleuser`) and
one PostgreSQL started by the test. In Chromium, two trainees and a coach log in to the hub: each trainee's server
signs in that trainee (no code typed) and shows nothing of the other, a trainee cannot open the other's server nor
Jupyter's APIs on their own, the coach sees both trainees of the cohort, and both answers land in the one database.

Run with ``-s`` to see what each logged in as and saw (lines starting with ``hub:``)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
import requests
from servers import ROOT, free_port, server_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright_api = pytest.importorskip("playwright.sync_api")
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PASSWORD = "hub-test-password-17"
PEOPLE = {"ann": ("Ann Trainee", "trainee"), "ben": ("Ben Trainee", "trainee"), "coach": ("Cora Coach", "coach")}
INSTRUMENT = "coproduction"
TIMEOUT = 240_000  # ms: a first login spawns a server (its fork server imports the pages) on a shared 2-core machine


def _test_config(tmp: Path, port: int, users: set[str]) -> Path:
    """deploy/jupyterhub_config.py with a test authenticator, a local process spawner and free ports."""
    bin_dir = Path(sys.executable).parent
    path = tmp / "jupyterhub_test_config.py"
    path.write_text(f'''
c = get_config()  # noqa: F821
load_subconfig({str(CONFIG)!r})  # noqa: F821  the deployment's own file: everything below only adapts it to a test
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{tmp / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(tmp / "jupyterhub.pid")!r}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}
c.Authenticator.allowed_users = {set(users)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / "home" / "{username}")!r}
c.Spawner.env_keep = ["PATH", "LANG", "PLAYWRIGHT_BROWSERS_PATH"]
c.Spawner.environment["WORKBOOK_DATA_DIR"] = lambda spawner: {str(tmp / "data")!r} + "/" + spawner.user.name
c.Spawner.args = {["--", "--allow-root"] if os.geteuid() == 0 else []!r}  # a local spawner runs servers as this test's user
''', encoding="utf-8")
    assert (bin_dir / "workbook").exists()
    return path


def _app_role(pg, database: str) -> str:
    """deploy/postgres-role.sql run by the tables' owner; the role may not change the schema. Returns its URL."""
    import psycopg

    owner = f"host=127.0.0.1 port={pg.port} user={pg.user} dbname={database}"
    with psycopg.connect(owner, autocommit=True) as con:
        con.execute((ROOT / "deploy" / "postgres-role.sql").read_text(encoding="utf-8"))
    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=workbook_app dbname={database}", autocommit=True) as con:
        for statement in ("CREATE TABLE stolen (x int)", "DROP TABLE answers", "ALTER TABLE people ADD COLUMN x int",
                          "UPDATE alembic_version SET version_num = 'x'", "CREATE DATABASE other", "CREATE ROLE other",
                          "COPY people TO PROGRAM 'true'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
    return f"postgresql+psycopg://workbook_app@127.0.0.1:{pg.port}/{database}"


@contextmanager
def running_hub(tmp: Path, db_url: str, cull_seconds: int = 3600, users: set[str] = frozenset(PEOPLE)) -> Iterator[dict]:
    """A JupyterHub on deploy/jupyterhub_config.py (test authenticator, local spawner, free ports) whose servers use
    ``db_url``; stopped with every server it started."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBOOK_", "JUPYTER"))}
    env.update(WORKBOOK_DB_URL=db_url, WORKBOOK_HUB_CULL_SECONDS=str(cull_seconds),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    log_path = tmp / "jupyterhub.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(_test_config(tmp, port, users))],
                                cwd=str(tmp), env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    seen: set[psutil.Process] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
            try:
                if requests.get(f"{base}/hub/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("the hub did not answer within 120 s: " + log_path.read_text(errors="replace")[-3000:])
        yield {"url": base, "proc": proc, "log": log_path, "tmp": tmp, "seen": seen}
    finally:
        seen.update(psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else ())
        os.killpg(proc.pid, 15)  # the hub stops its users' servers (cleanup_servers)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        for p in seen:  # anything a stopped server left behind (own sessions: fork server, chart renderer)
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass


def _workbook_db(pg, tmp: Path, name: str):
    """A fresh workbook database in the test's PostgreSQL with the three people and their hub logins; returns
    (database, {login: person id}, the URL of the servers' restricted role)."""
    from workbook.auth.identity import Identity
    from workbook.store import Database, create_cohort, invite

    url = pg.create_database(name)
    db = Database(url, server_settings(tmp / "setup", {"WORKBOOK_DB_URL": url}))
    admin = Identity.admin()
    cohort = create_cohort(db, admin, "Hub cohort")
    ids = {login: invite(db, admin, cohort, person, role, login=login)[0] for login, (person, role) in PEOPLE.items()}
    return db, ids, _app_role(pg, name)  # the servers connect as the role of deploy/postgres-role.sql


@pytest.fixture(scope="module")
def hub(pg, tmp_path_factory):
    """A running hub on a fresh workbook database in PostgreSQL holding the three people with their hub logins."""
    if not PROXY.exists():
        pytest.skip(f"{PROXY} is missing: run `make hub-proxy` (npm install of configurable-http-proxy)")
    tmp = tmp_path_factory.mktemp("hub")
    db, ids, app_url = _workbook_db(pg, tmp, "workbook_hub")
    try:
        with running_hub(tmp, app_url) as running:
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
    others = [p for p in tree(hub) if not any(p in tree(s) for s in servers.values())]
    lines = ["hub: memory of the hub, its proxy and the culler: PSS {:.0f} MB, USS {:.0f} MB ({} processes)".format(*total(others), len(others))]
    for user, server in sorted(servers.items()):
        procs = tree(server)
        lines.append("hub: memory of {}'s server: PSS {:.0f} MB, USS {:.0f} MB ({} processes: the server, its fork server and "
                     "chart renderer, {} page kernel(s) open)".format(user, *total(procs), len(procs), len(procs) - 3))
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


def _server_of(hub_pid: int, user: str) -> psutil.Process | None:
    """The running single-user server of ``user`` among the hub's descendants, or None."""
    for child in psutil.Process(hub_pid).children(recursive=True):
        try:
            if child.environ().get("JUPYTERHUB_USER") == user and "jupyterhub-singleuser" in " ".join(child.cmdline()):
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
    with running_hub(tmp, app_url, cull_seconds=20) as hub:
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
            time.sleep(1)  # the fork server and the chart renderer, started with the server
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
