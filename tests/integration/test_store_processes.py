"""Twenty processes saving into one SQLite database at once lose nothing (spawned processes: slow)."""
import multiprocessing as mp
import sqlite3

import pytest

from workbook.auth.identity import Identity
from workbook.store.models import Answer

pytestmark = pytest.mark.slow


def _writer(args):
    path, pid, n, job = args
    from workbook.store import Database, save_answer

    db = Database(f"sqlite:///{path}", create=False)
    me = Identity(role="admin")
    for k in range(n):
        save_answer(db, me, pid, "m01", "reflection", f"w{job}-{k}", f"text {k}")  # distinct items: identical saves would write nothing
    return n


def test_twenty_processes_saving_at_once_lose_nothing(db, cohort, admin, settings_env):
    path = settings_env / "workbook.db"
    people = [p["id"] for p in cohort["people"].values()]
    jobs = [(str(path), people[i % len(people)], 25, i) for i in range(20)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(20) as pool:
        done = sum(pool.map(_writer, jobs))
    assert done == 500
    with db.session() as s:
        assert s.query(Answer).filter(Answer.exercise == "reflection").count() == 500
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
