"""Shared fixtures. Every test gets its own data directory and SQLite file (real databases)."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from process_guard import pytest_collection_modifyitems, pytest_runtest_call, pytest_runtest_setup  # noqa: F401  (hooks)

import workbook  # noqa: F401  imported first: it blocks jsonschema's RFC 3987 grammar (~2 s of CPU per test process) before any test module imports Altair

ROOT = Path(__file__).resolve().parent.parent
# nbval kernels and subprocesses inherit this: never the developer's own data directory.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="workbook-tests-"))
os.environ["WORKBOOK_DATA_DIR"] = str(_SESSION_DIR)
os.environ.pop("WORKBOOK_DB_URL", None)
# In-process page tests: "your results" (queries, scores, charts: a quarter of a second) is redrawn when the test
# reads the page, not after every answer: tests/widget_tools.py runs the waiting redraw before any walk of the
# widgets. Served pages (tests/servers.py drops WORKBOOK_* variables) keep the product's short delay.
os.environ["WORKBOOK_RESULTS_REFRESH_SECONDS"] = "86400"
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_finish(session):
    """Build the demo cohort in the session database, which nbval's kernels read (and only when a slow test,
    nbval's cells included, is to run: the fast tests each make their own database)."""
    if any(item.get_closest_marker("slow") for item in session.items):
        from workbook.store import open_database
        from workbook.store.demo import build_demo

        build_demo(open_database())


# A fast test hashes access codes at a tiny scrypt cost: it checks what is done with a code, not scrypt's cost,
# and a cohort of five people costs ten hashes. tests/unit/auth/test_code_hashing.py pins the production cost, which
# slow tests keep: their servers and kernels, other processes, check the codes this process hashed.
FAST_SCRYPT = {"n": 2**4, "r": 8, "p": 1, "dklen": 32}


@pytest.fixture(autouse=True)
def _fast_code_hashing(request, monkeypatch):
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setattr("workbook.auth.identity._SCRYPT", FAST_SCRYPT)


@pytest.fixture(autouse=True)
def _comm_factory_kept():
    """Importing ipykernel's kernel app (the fork server's ``preload``, ``serving.page_kernel``) installs its kernel's
    ``Comm`` as comm's factory; the in-process pages of later tests in the same process need comm's own: put back."""
    import comm

    hooks = comm.create_comm, comm.get_comm_manager
    yield
    comm.create_comm, comm.get_comm_manager = hooks


@pytest.fixture(autouse=True)
def _page_language_forgotten():
    """A page signed in by a person with another language redraws the kernel's page texts in it (``relocalize``):
    that kernel-wide language ends with the test, so the next test's page starts in English again."""
    yield
    page_text = sys.modules.get("workbook.ui.widgets.page_text")
    if page_text is not None:
        page_text._PAGE.clear()


@pytest.fixture
def settings_env(tmp_path, monkeypatch):
    """A fresh data directory for this test, with settings re-read."""
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WORKBOOK_DB_URL", raising=False)
    reset_settings()
    reset_default()
    yield tmp_path
    reset_default()
    reset_settings()


@pytest.fixture
def smtp(settings_env, monkeypatch):
    """A real SMTP server (aiosmtpd) the workbook's settings point at; request it before ``db``."""
    from smtp_sink import smtp_sink

    from workbook.settings import reset_settings
    from workbook.store import reset_default

    with smtp_sink() as sink:
        for k, v in sink.env().items():
            monkeypatch.setenv(k, v)
        reset_settings()
        reset_default()
        yield sink


COHORT_A = [("Coach C", "coach"), ("HR H", "hr"), ("Ann", "trainee"), ("Ben", "trainee"), ("Cy", "trainee")]


def _make_cohort(db) -> dict:
    """The ``cohort`` fixture's people invited into ``db``, each signed in with their code: the cohort's id,
    {name: {"id", "code"}} and {name: Identity}."""
    from workbook.auth.identity import Identity
    from workbook.store import AccessCodeAuthenticator, create_cohort, invite

    admin = Identity.admin()
    cid = create_cohort(db, admin, "Cohort A")
    people = {}
    for name, role in COHORT_A:
        pid, code = invite(db, admin, cid, name, role)
        people[name] = {"id": pid, "code": code}
    auth = AccessCodeAuthenticator(db)
    return {"id": cid, "people": people, "ident": {name: auth.authenticate(p["code"]) for name, p in people.items()}}


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    """Built once per test process for fast tests: a new database at the head schema, and one holding the ``cohort``
    fixture's cohort (codes hashed at FAST_SCRYPT). A fast test's ``db`` is a copy of one of them (a file copy: ~2 ms
    instead of ~17 ms of DDL, ~45 ms with the cohort's inserts); slow tests build theirs, at production's hashing cost."""
    import sqlite3

    import workbook.auth.identity as identity
    from workbook.store import open_database

    folder = tmp_path_factory.mktemp("template-databases")
    made = {}
    saved, identity._SCRYPT = identity._SCRYPT, FAST_SCRYPT
    try:
        for name in ("empty", "cohort"):
            path = folder / f"{name}.db"
            database = open_database(f"sqlite:///{path}")
            made[name] = (path, _make_cohort(database) if name == "cohort" else None)
            database.dispose()
            with sqlite3.connect(path) as conn:  # everything in the main file: the copy needs no -wal beside it
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        identity._SCRYPT = saved
    return made


@pytest.fixture
def db(request, settings_env):
    """This test's database (``settings_env``'s SQLite file): for a fast test, a copy of the process's template (with
    the ``cohort`` fixture's cohort when the test uses it)."""
    import shutil

    from workbook.settings import get_settings
    from workbook.store import open_database

    target = settings_env / "workbook.db"
    if request.node.get_closest_marker("slow") is None and get_settings().database_url == f"sqlite:///{target}":
        path, made = request.getfixturevalue("_templates")["cohort" if "cohort" in request.fixturenames else "empty"]
        shutil.copyfile(path, target)
        database = open_database()
        database.template_cohort = made  # what the cohort fixture finds there
        return database
    return open_database()


@pytest.fixture
def admin():
    from workbook.auth.identity import Identity

    return Identity.admin()


@pytest.fixture
def cohort(db, admin):
    """A cohort with a coach, an HR person and three trainees; codes included, and the identity each signed in as
    (in the process's template for a fast test: its copy holds the same rows, ids and codes)."""
    made = getattr(db, "template_cohort", None) or _make_cohort(db)
    return {"id": made["id"], "people": {name: dict(p) for name, p in made["people"].items()}, "ident": dict(made["ident"])}


@pytest.fixture(scope="session")
def shipped():
    """The shipped ``exercises/`` catalogue in a language (``shipped("fr")``; English by default), loaded once per
    test process: for tests that only read it (a test that changes content loads its own copy of the folder)."""
    from functools import cache

    from workbook.content.catalogue import load_language

    return cache(lambda language="en": load_language(ROOT / "exercises", language))


@pytest.fixture
def edited_content(tmp_path):
    """``edited_content("paths.yaml", edit)``: a copy of the shipped ``exercises/`` in this test's folder, with that
    file's text changed by ``edit`` (a function of the text); its folder."""
    import shutil

    def make(name: str, edit) -> Path:
        target = tmp_path / "exercises"
        shutil.copytree(ROOT / "exercises", target)
        (target / name).write_text(edit((target / name).read_text(encoding="utf-8")), encoding="utf-8")
        return target

    return make


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def pg():
    """A throwaway PostgreSQL server (tests/pg.py), one per test module; skips the test saying why when none can start."""
    from pg import pg_server

    server = pg_server()
    yield server
    server.cleanup()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module (browser tests)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from servers import launch_chromium

    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()
