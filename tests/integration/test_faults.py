"""Faults with real parts: killed writers and servers, a read-only file, a full disk, a stopped
PostgreSQL, a killed kernel, and backup/restore. Nothing acknowledged may be lost."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ipywidgets as widgets
import pytest
from cli_run import run_cli
from sqlalchemy import event, select
from widget_tools import walk

from workbook.auth.identity import Identity
from workbook.errors import StoreError, StoreUnavailable, WorkbookError
from workbook.store import (
    AccessCodeAuthenticator,
    Database,
    answer_history,
    create_cohort,
    current_answers,
    invite,
    save_answer,
)
from workbook.store.models import Answer
from workbook.ui.widgets import saver as saver_module
from workbook.ui.widgets.common import StatusLine
from workbook.ui.widgets.likert import LikertForm
from workbook.ui.widgets.saver import AnswerSaver

HERE = Path(__file__).resolve().parents[1]  # tests/: fault_writer.py and the support modules
ADMIN = Identity.admin()


# ---------------------------------------------------------------- helpers

def make_cohort(db: Database, name: str = "Cohort A", trainees: int = 3) -> dict:
    """A cohort with a coach and trainees T0..Tn; returns ids, codes and signed-in identities."""
    cid = create_cohort(db, ADMIN, name)
    people = {}
    for pname, role in [("Coach C", "coach")] + [(f"T{i}", "trainee") for i in range(trainees)]:
        pid, code = invite(db, ADMIN, cid, pname, role)
        people[pname] = {"id": pid, "code": code}
    auth = AccessCodeAuthenticator(db)
    ident = {n: auth.authenticate(p["code"], source="setup") for n, p in people.items()}
    return {"id": cid, "people": people, "ident": ident}


def plain(html_text: str) -> str:
    """The text a person reads in a StatusLine (tags removed, entities kept escaped)."""
    return re.sub(r"<[^>]+>", "", html_text)


def signed_in_module_page(db: Database, code: str):
    """Module 1's page as a trainee sees it after typing their code (no browser needed)."""
    from workbook.ui.pages.module import module_page

    page = module_page("m01", db=db)
    page.signin.code.value = code
    parts = list(walk(page.body))
    form = next(w for w in parts if isinstance(w, LikertForm))
    status = next(w for w in parts if isinstance(w, StatusLine))
    return page, form, reflection_area(page), status


def reflection_area(page):
    """The text box of Module 1's ``reflection`` exercise: the Textarea right after its prompt."""
    from workbook.content.catalogue import catalogue
    from workbook.render.html import esc

    prompt = esc(next(e for e in catalogue().module("m01").exercises if e.id == "reflection").prompt)
    for box in walk(page.body):
        kids = list(getattr(box, "children", ()))
        for n, w in enumerate(kids[:-1]):
            if isinstance(w, widgets.HTML) and prompt in w.value and isinstance(kids[n + 1], widgets.Textarea):
                return kids[n + 1]
    raise AssertionError("Module 1 has no reflection text box")


def wait_for(predicate, timeout: float = 30.0, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def read_acks(paths) -> dict[str, str]:
    """Acknowledged answers (whole lines only) of the writer processes."""
    out = {}
    for path in paths:
        if not Path(path).exists():
            continue
        for line in Path(path).read_text(encoding="utf-8").split("\n")[:-1]:  # the last piece has no newline
            item, value = line.split("\t", 1)
            out[item] = value
    return out


def stored_fault_answers(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {i: v for i, v in s.execute(select(Answer.item, Answer.value).where(Answer.exercise == "fault")).all()}


def start_writers(url: str, codes: list[str], ack_dir: Path) -> list[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    procs = []
    for n, code in enumerate(codes):
        procs.append(
            subprocess.Popen(
                [sys.executable, str(HERE / "fault_writer.py"), url, code, f"w{n}", str(ack_dir / f"w{n}.ack")],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
            )
        )
    return procs


def kill_all(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
    for p in procs:
        p.wait(timeout=30)


def all_writers_acked(ack_dir: Path, n: int, at_least: int = 3) -> bool:
    counts = [len(read_acks([ack_dir / f"w{i}.ack"])) for i in range(n)]
    return min(counts) >= at_least


@contextlib.contextmanager
def tmpfs(size: str):
    """A small real tmpfs mounted for this test (root only); yields its path or None."""
    path = Path(tempfile.mkdtemp(prefix="wb-tmpfs-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path)], capture_output=True, text=True)
    if r.returncode != 0:
        path.rmdir()
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(path)], capture_output=True)
        subprocess.run(["umount", "-l", str(path)], capture_output=True)
        with contextlib.suppress(OSError):
            path.rmdir()


@pytest.fixture
def fast_retry(monkeypatch):
    monkeypatch.setattr(saver_module, "RETRY_SECONDS", 0.3)


def one_line_saying(msg: str, *needles: str) -> None:
    assert "\n" not in msg, msg
    for needle in needles:
        assert needle in msg, f"{needle!r} not in {msg!r}"


# ---------------------------------------------------------------- killed processes

@pytest.mark.slow
def test_sigkill_twenty_sqlite_writers_loses_no_acknowledged_answer(tmp_path, settings_env):
    from workbook.store.backup import backup

    url = f"sqlite:///{tmp_path / 'live.db'}"
    db = Database(url)
    c = make_cohort(db, trainees=20)
    codes = [c["people"][f"T{i}"]["code"] for i in range(20)]
    procs = start_writers(url, codes, tmp_path)
    try:
        assert wait_for(lambda: all_writers_acked(tmp_path, 20) or any(p.poll() is not None for p in procs), 120), "writers did not start"
        assert all(p.poll() is None for p in procs), [p.stderr.read().decode()[-500:] for p in procs if p.poll() is not None]
        # an online backup taken while all 20 write holds everything acknowledged before it began
        acked_before_backup = read_acks(tmp_path.glob("w*.ack"))
        backup(db, ADMIN, tmp_path / "during.db")
        time.sleep(1.0)
    finally:
        kill_all(procs)
    assert all(p.returncode == -signal.SIGKILL for p in procs)
    acked = read_acks(tmp_path.glob("w*.ack"))
    assert len(acked) >= 20 * 3
    print(f"\nSQLite: 20 writers SIGKILLed after {len(acked)} acknowledged answers; {len(acked_before_backup)} were acknowledged before the online backup")

    # "restart": a new process opens the database (WAL recovery), nothing acknowledged is missing
    db.dispose()
    reopened = Database(url)
    stored = stored_fault_answers(reopened)
    missing = {k: v for k, v in acked.items() if stored.get(k) != v}
    assert not missing, f"{len(missing)} acknowledged answers lost, e.g. {list(missing.items())[:3]}"
    con = sqlite3.connect(tmp_path / "live.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    t0 = c["ident"]["T0"]
    save_answer(reopened, t0, t0.person_id, "m01", "fault", "after-restart", "still writable")
    assert stored_fault_answers(reopened)["after-restart"] == "still writable"

    copy = Database(f"sqlite:///{tmp_path / 'during.db'}", create=False)
    in_backup = stored_fault_answers(copy)
    assert all(in_backup.get(k) == v for k, v in acked_before_backup.items())
    assert sqlite3.connect(tmp_path / "during.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_postgres_killed_while_twenty_writers_save_loses_no_acknowledged_answer(pg, tmp_path, settings_env):
    url = pg.create_database("killed")
    db = Database(url)
    c = make_cohort(db, trainees=20)
    procs = start_writers(url, [c["people"][f"T{i}"]["code"] for i in range(20)], tmp_path)
    try:
        assert wait_for(lambda: all_writers_acked(tmp_path, 20) or any(p.poll() is not None for p in procs), 120)
        assert all(p.poll() is None for p in procs)
        pg.stop("immediate")  # SIGQUIT to the postmaster: no checkpoint, every client cut off (a crash)
        acked_at_crash = read_acks(tmp_path.glob("w*.ack"))
        time.sleep(1.0)
        pg.start()  # crash recovery from the WAL; the writers retry and carry on
        assert wait_for(lambda: len(read_acks(tmp_path.glob("w*.ack"))) > len(acked_at_crash) + 20, 60), "writers did not resume"
    finally:
        kill_all(procs)
    acked = read_acks(tmp_path.glob("w*.ack"))
    db.dispose()
    stored = stored_fault_answers(Database(url, create=False))
    missing = {k: v for k, v in acked.items() if stored.get(k) != v}
    assert len(acked) > len(acked_at_crash) >= 60
    print(f"\nPostgreSQL: crashed after {len(acked_at_crash)} acknowledged answers, {len(acked)} after restart and SIGKILL of the writers")
    assert not missing, f"{len(missing)} acknowledged answers lost, e.g. {list(missing.items())[:3]}"


# ---------------------------------------------------------------- the page during an outage

def _outage_on_the_page(db: Database, code: str, break_store, mend_store, *hint: str) -> None:
    """Sign in on Module 1's page, save, break the store, answer, mend it: the answers arrive."""
    page, form, area, status = signed_in_module_page(db, code)
    me = page.identity
    area.value = "saved before the fault"
    form.radios["cp1"].value = 2
    assert "All answers saved" in plain(status.value)

    break_store()
    area.value = "typed during the fault"
    form.radios["cp1"].value = 4
    shown = plain(status.value)
    one_line_saying(shown, "Not saved yet (2 answers kept on this page, retrying)", *hint)
    assert area.value == "typed during the fault" and form.radios["cp1"].value == 4  # kept in the widgets

    mend_store()
    assert wait_for(lambda: "All answers saved" in plain(status.value), 60), plain(status.value)
    assert current_answers(db, me, me.person_id, "reflection") == {"text": "typed during the fault"}
    assert current_answers(db, me, me.person_id, "coproduction")["cp1"] == 4
    history = [h[2] for h in answer_history(db, me, me.person_id, "reflection")]
    assert history == ["saved before the fault", "typed during the fault"]  # nothing already saved lost


@pytest.mark.slow
def test_read_only_database_file_page_says_so_keeps_and_later_saves(settings_env, fast_retry):
    with tmpfs("8m") as mount:
        if mount is None:
            if os.geteuid() == 0:
                pytest.skip("cannot mount a tmpfs here, and as root a chmod does not make a file read-only")
            mount = settings_env  # not root: permissions are real
        db = Database(f"sqlite:///{mount / 'wb.db'}")
        c = make_cohort(db)

        def break_store():
            db.dispose()  # no connection may keep the file open for writing while the mount turns read-only
            if os.geteuid() == 0:
                r = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True, text=True)
                assert r.returncode == 0, r.stderr
            else:
                os.chmod(mount / "wb.db", 0o444)
                os.chmod(mount, 0o555)

        def mend_store():
            if os.geteuid() == 0:
                subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
            else:
                os.chmod(mount, 0o755)
                os.chmod(mount / "wb.db", 0o644)

        _outage_on_the_page(db, c["people"]["T0"]["code"], break_store, mend_store, "read-only", str(mount / "wb.db"), "make both writable")
        db.dispose()
        assert sqlite3.connect(mount / "wb.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_full_disk_page_says_so_keeps_and_later_saves(settings_env, fast_retry):
    with tmpfs("2m") as mount:
        if mount is None:
            # fallback: SQLite's own page limit (PRAGMA max_page_count) makes the database "full"
            db = Database(f"sqlite:///{settings_env / 'wb.db'}")
            c = make_cohort(db)
            limit = {"on": False}

            @event.listens_for(db.engine, "connect")
            def _cap(dbapi_conn, _rec):
                if limit["on"]:
                    pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
                    dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

            def break_store():
                limit["on"] = True
                db.dispose()

            def mend_store():
                limit["on"] = False
                db.dispose()

            _outage_on_the_page(db, c["people"]["T0"]["code"], break_store, mend_store, "full", "free some space")
            return
        db = Database(f"sqlite:///{mount / 'wb.db'}")
        c = make_cohort(db)
        filler = mount / "filler"

        def break_store():
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(fd, b"\0" * 65536)
            except OSError:
                pass
            finally:
                os.close(fd)
            fd = os.open(filler, os.O_WRONLY | os.O_APPEND)  # the last few bytes too
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * 512)
            os.close(fd)

        def mend_store():
            filler.unlink()

        _outage_on_the_page(db, c["people"]["T0"]["code"], break_store, mend_store, f"the disk holding {mount} is full; free some space there")
        db.dispose()
        assert sqlite3.connect(mount / "wb.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_postgres_stopped_mid_session_page_says_so_keeps_and_later_saves(pg, settings_env, fast_retry):
    url = pg.create_database("outage")
    db = Database(url)
    c = make_cohort(db)
    try:
        _outage_on_the_page(db, c["people"]["T0"]["code"], lambda: pg.stop("fast"), pg.start, "the database server is not answering; start it", "wb@127.0.0.1")
    finally:
        if not pg.running():
            pg.start()


@pytest.mark.slow  # PostgreSQL
def test_saver_keeps_answers_through_repeated_failed_retries(pg, settings_env, fast_retry):
    """The retry keeps retrying (a failed retry schedules the next), then saves in typing order."""
    url = pg.create_database("retries")
    db = Database(url)
    c = make_cohort(db)
    me = c["ident"]["T1"]
    status = StatusLine()
    saver = AnswerSaver(db, me, "m01", status)
    pg.stop("fast")
    try:
        assert saver.save("reflection", "text", "first") is False
        assert saver.save("reflection", "text", "second") is False  # the same item: the newer value replaces it
        assert saver.save("coproduction", "cp2", 5) is False
        assert list(saver.pending.items()) == [(("reflection", "text"), "second"), (("coproduction", "cp2"), 5)]
        time.sleep(1.5)  # several retries fail meanwhile
        one_line_saying(plain(status.value), "Not saved yet (2 answers kept on this page, retrying)", "not answering")
    finally:
        pg.start()
    assert wait_for(lambda: not saver.pending, 30)
    assert current_answers(db, me, me.person_id, "reflection") == {"text": "second"}
    assert current_answers(db, me, me.person_id, "coproduction") == {"cp2": 5}
    assert "All answers saved" in plain(status.value)


@pytest.mark.slow  # PostgreSQL
def test_rater_page_keeps_answers_while_the_store_is_down_and_saves_them_after(pg, settings_env, fast_retry):
    """A 360 rater's answers get the same care as a trainee's: one line, kept, saved when back."""
    from workbook.store import invite_rater, rater_answers
    from workbook.ui.pages.rater import rater_page

    url = pg.create_database("rater_outage")
    db = Database(url)
    c = make_cohort(db)
    subject = c["ident"]["T0"]
    from workbook.auth.identity import Identity

    _rid, code = invite_rater(db, Identity.admin(), subject.person_id, "peer", "manager_profile", "Peer P")
    page = rater_page(db)
    page.signin.code.value = code
    assert page.status.value == "", page.status.value
    form = next(x for x in walk(page) if isinstance(x, LikertForm))
    status = next(x for x in walk(page.body) if "wb-rater-status" in x._dom_classes)
    first, second = list(form.radios)[:2]
    form.radios[first].value = 2
    assert "Saved · 1 of" in plain(status.value)
    me = page.signin.identity
    pg.stop("fast")
    try:
        form.radios[second].value = 5
        form.radios[first].value = 4
        one_line_saying(plain(status.value), "Not saved yet (2 answers kept on this page, retrying)", "not answering")
        assert form.radios[first].value == 4 and form.radios[second].value == 5
    finally:
        pg.start()
    assert wait_for(lambda: "Saved · 2 of" in plain(status.value), 60), plain(status.value)
    saved = rater_answers(db, me)
    assert saved[first] == 4 and saved[second] == 5


def test_saver_drops_only_the_refused_answer_and_saves_the_rest(db, cohort):
    ann = cohort["ident"]["Ann"]
    status = StatusLine()
    saver = AnswerSaver(db, ann, "m01", status)
    saver.pending[("coproduction", "cp1")] = 9  # out of range: refused for good
    assert saver.save("reflection", "text", "kept") is False
    one_line_saying(plain(status.value), "coproduction/cp1", "out of range", "1 to 5")
    assert not saver.pending
    assert current_answers(db, ann, ann.person_id, "reflection") == {"text": "kept"}


# ---------------------------------------------------------------- error mapping

def test_describe_failure_names_place_and_fix(tmp_path, settings_env):
    from sqlalchemy.exc import DataError, OperationalError

    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    full = db.describe_failure(OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")))
    assert isinstance(full, StoreUnavailable)
    one_line_saying(str(full), f"the disk holding {tmp_path} is full; free some space there", "unsaved answers are kept")
    busy = db.describe_failure(OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked")))
    one_line_saying(str(busy), "busy; try again in a moment")
    refused = db.describe_failure(DataError("INSERT", {}, Exception("value too long for type character varying(100)\nDETAIL: x")))
    assert isinstance(refused, StoreError) and not isinstance(refused, StoreUnavailable)
    one_line_saying(str(refused), "refused the data: value too long", "correct the value")
    gone = Database(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}", create=False)
    (tmp_path / "nowhere" / "x.db").parent.rmdir()
    msg = gone.describe_failure(OperationalError("SELECT", {}, sqlite3.OperationalError("unable to open database file")))
    one_line_saying(str(msg), f"the folder {tmp_path / 'nowhere'} does not exist")
    pgdb = Database("postgresql+psycopg://u:secret@127.0.0.1:1/x", create=False)
    down = pgdb.describe_failure(OperationalError("SELECT", {}, Exception('connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused\n\tIs the server running')))
    one_line_saying(str(down), "u:***@127.0.0.1:1/x", "not answering; start it, or check WORKBOOK_DB_URL")
    assert "secret" not in str(down)


@pytest.mark.slow  # PostgreSQL
def test_text_postgres_refuses_is_a_one_line_store_error(pg, settings_env):
    """A NUL byte in a name: PostgreSQL text cannot hold it; the store says so (and nothing is half-made)."""
    db = Database(pg.create_database("refuses"))
    cid = create_cohort(db, ADMIN, "N")
    with pytest.raises(WorkbookError) as exc:
        invite(db, ADMIN, cid, "Ann\x00Smith")
    assert "\n" not in str(exc.value) and "control character" in str(exc.value)


# ---------------------------------------------------------------- kernel restart

KERNEL = r"""
import os, sys
from workbook.store import Database
from test_faults import signed_in_module_page
db = Database(sys.argv[1])
page, form, area, status = signed_in_module_page(db, sys.argv[2])
for n, item in enumerate(sorted(form.radios)[:4]):
    form.radios[item].value = 1 + n
form.radios[sorted(form.radios)[0]].value = 5
area.value = "written in the first kernel\nline two"
print(status.value, flush=True)
sys.stdin.readline()  # killed here, never exits on its own
"""


@pytest.mark.slow
def test_kernel_killed_mid_module_new_page_restores_answers_from_the_store(tmp_path, settings_env):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    db = Database(url)
    c = make_cohort(db)
    code = c["people"]["T2"]["code"]
    proc = subprocess.Popen([sys.executable, "-c", KERNEL, url, code], cwd=HERE.parent, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": f"{Path(__file__).parent}:{HERE}:{HERE.parent}"})
    try:
        line = proc.stdout.readline()
        assert "All answers saved" in line, line + proc.stderr.read() if proc.poll() is not None else line
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # a new kernel: a fresh Database object and a page built anew for the same identity
    fresh = Database(url)
    page, form, area, _status = signed_in_module_page(fresh, code)
    items = sorted(form.radios)
    assert {i: form.radios[i].value for i in items[:4]} == {items[0]: 5, items[1]: 2, items[2]: 3, items[3]: 4}
    assert all(form.radios[i].value is None for i in items[4:])
    assert area.value == "written in the first kernel\nline two"
    # and a second page in this same process shows the same thing (built from the store both times)
    page2, form2, area2, _ = signed_in_module_page(Database(url), code)
    assert form2.values() == form.values() and area2.value == area.value


# ---------------------------------------------------------------- backup and restore


def _fill(db: Database) -> dict:
    c = make_cohort(db)
    t0, t1 = c["ident"]["T0"], c["ident"]["T1"]
    save_answer(db, t0, t0.person_id, "m01", "coproduction", "cp1", 4)
    save_answer(db, t0, t0.person_id, "m01", "reflection", "text", "<script>alert(1)</script> ✓ \u202e")
    save_answer(db, t1, t1.person_id, "m01", "coproduction", "cp1", "dont_know")
    return c


def test_backup_and_restore_into_a_new_directory_give_the_same_export(tmp_path, monkeypatch, capsys, settings_env):
    from workbook.settings import reset_settings
    from workbook.store.transfer import export_cohort

    old, new = tmp_path / "old", tmp_path / "new"
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(old))
    reset_settings()
    c = _fill(Database(f"sqlite:///{old / 'workbook.db'}"))
    assert run_cli(monkeypatch, old, "backup", "-o", str(tmp_path / "b.db")) == 0
    out = capsys.readouterr().out
    assert f"to {tmp_path / 'b.db'}" in out and "sqlite" in out
    assert run_cli(monkeypatch, new, "restore", str(tmp_path / "b.db")) == 0
    assert "restored" in capsys.readouterr().out
    a = export_cohort(Database(f"sqlite:///{old / 'workbook.db'}"), ADMIN, "Cohort A")
    b = export_cohort(Database(f"sqlite:///{new / 'workbook.db'}"), ADMIN, "Cohort A")
    assert a == b and len([x for x in a["answers"] if x["item"] != "_version"]) == 3  # plus each attempt's version row
    # the codes still sign in on the restored copy (the hashes came along)
    restored = Database(f"sqlite:///{new / 'workbook.db'}")
    assert AccessCodeAuthenticator(restored).authenticate(c["people"]["T0"]["code"]).name == "T0"

    # a second restore into a database holding cohorts is refused, unless --force
    assert run_cli(monkeypatch, new, "restore", str(tmp_path / "b.db")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds cohorts" in err and "--force" in err
    # a default backup name under the data directory, never overwriting
    assert run_cli(monkeypatch, old, "backup") == 0
    made = list((old / "backups").glob("workbook-*.db"))
    assert len(made) == 1
    assert run_cli(monkeypatch, old, "backup", "-o", str(made[0])) == 1
    assert "exists already" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"", b"hello, not a backup", b"SQLite format 3\x00" + b"\x00" * 200])
def test_restore_refuses_what_is_not_a_backup_in_one_line(tmp_path, monkeypatch, capsys, settings_env, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    assert run_cli(monkeypatch, tmp_path / "d", "restore", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "workbook backup" in err


@pytest.mark.slow
def test_postgres_backup_restore_into_a_new_database_gives_the_same_export(pg, tmp_path, settings_env):
    from workbook.store.backup import backup, restore
    from workbook.store.transfer import export_cohort

    src = Database(pg.create_database("bsrc"))
    c = _fill(src)
    result = backup(src, ADMIN, tmp_path / "pg.sql")
    assert result.kind == "postgresql" and result.bytes > 1000
    assert (tmp_path / "pg.sql").read_bytes().startswith(b"PGDMP")  # pg_dump's custom archive
    assert (tmp_path / "pg.sql").stat().st_mode & 0o777 == 0o600
    assert c["people"]["T0"]["code"].encode() not in (tmp_path / "pg.sql").read_bytes()
    dst = Database(pg.create_database("bdst"), create=False)
    restore(dst, ADMIN, tmp_path / "pg.sql")
    dst = Database(dst.url)
    assert export_cohort(src, ADMIN, "Cohort A") == export_cohort(dst, ADMIN, "Cohort A")
    assert AccessCodeAuthenticator(dst).authenticate(c["people"]["T1"]["code"]).name == "T1"
    # restoring over a database with cohorts: refused, then --force replaces it
    save_answer(dst, ADMIN, c["ident"]["T1"].person_id, "m01", "reflection", "text", "only in dst")
    with pytest.raises(WorkbookError, match="already holds cohorts"):
        restore(dst, ADMIN, tmp_path / "pg.sql")
    restore(dst, ADMIN, tmp_path / "pg.sql", force=True)
    assert export_cohort(src, ADMIN, "Cohort A") == export_cohort(Database(dst.url), ADMIN, "Cohort A")
    # a SQLite backup cannot go into PostgreSQL: the message says what to use instead
    (tmp_path / "s.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(WorkbookError, match="workbook export. / .workbook import"):
        restore(dst, ADMIN, tmp_path / "s.db")


@pytest.mark.slow  # PostgreSQL
def test_backup_of_a_stopped_postgres_is_one_line(pg, tmp_path, settings_env):
    from workbook.store.backup import backup

    db = Database(pg.create_database("bstop"))
    pg.stop("fast")
    try:
        with pytest.raises(StoreUnavailable) as exc:
            backup(db, ADMIN, tmp_path / "x.sql")
    finally:
        pg.start()
    one_line_saying(str(exc.value), "pg_dump on", "failed", "check that the database server is running")
    assert not (tmp_path / "x.sql").exists()


@pytest.mark.slow
def test_postgres_restore_refuses_a_script_and_an_archive_with_foreign_entries(pg, tmp_path, settings_env):
    """A plain SQL 'backup' (psql would run its \\! lines) and an archive carrying a function are refused
    before anything runs; the database keeps its data."""
    import subprocess

    from workbook.store.backup import _pg_conninfo, _pg_tool, restore
    from workbook.store.transfer import export_cohort

    src = Database(pg.create_database("rsrc"))
    _fill(src)
    before = export_cohort(src, ADMIN, "Cohort A")
    marker = tmp_path / "pwned"
    script = tmp_path / "evil.sql"
    script.write_text(f"-- PostgreSQL database dump\n\\! touch {marker}\n")
    with pytest.raises(WorkbookError) as exc:
        restore(src, ADMIN, script, force=True)
    one_line_saying(str(exc.value), str(script), "plain SQL script", "workbook backup")
    assert not marker.exists()
    # a real pg_dump archive whose database also holds a function: refused by its table of contents
    other = Database(pg.create_database("revil"))
    _fill(other)
    conninfo, env = _pg_conninfo(other)
    subprocess.run([_pg_tool("psql"), "--dbname", conninfo, "-c", "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS 'SELECT 1'"], env=env, check=True, capture_output=True)
    archive = tmp_path / "evil.dump"
    subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--file", str(archive), "--dbname", conninfo], env=env, check=True, capture_output=True)
    with pytest.raises(WorkbookError) as exc:
        restore(src, ADMIN, archive, force=True)
    one_line_saying(str(exc.value), str(archive), "FUNCTION", "not part of a workbook database")
    assert export_cohort(Database(src.url), ADMIN, "Cohort A") == before
