"""Files holding personal data are owner-only (0600, folders 0700), whatever the umask."""
from __future__ import annotations

import os
import stat

import pytest

from workbook.auth.identity import Identity

ADMIN = Identity.admin()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual umask: files would be world-readable without the defence
    yield
    os.umask(old)


def test_database_wal_and_backup_are_owner_only(tmp_path, open_umask, settings_env):
    from workbook.store import Database, create_cohort, invite, save_answer
    from workbook.store.backup import backup

    data = tmp_path / "fresh" / "data"
    db = Database(f"sqlite:///{data / 'workbook.db'}")
    cid = create_cohort(db, ADMIN, "Cohort A")
    pid, _code = invite(db, ADMIN, cid, "Ann", "trainee")
    save_answer(db, ADMIN, pid, "m01", "reflection", "text", "private words")
    assert mode(data) == 0o700
    assert mode(data / "workbook.db") == 0o600
    assert (data / "workbook.db-wal").exists() and mode(data / "workbook.db-wal") == 0o600
    result = backup(db, ADMIN, data / "backups" / "b.db")
    assert mode(result.path) == 0o600 and mode(data / "backups") == 0o700


def test_an_existing_world_readable_database_is_narrowed_when_opened(tmp_path, open_umask, settings_env):
    from workbook.store import Database

    path = tmp_path / "workbook.db"
    Database(f"sqlite:///{path}").dispose()
    os.chmod(path, 0o644)
    Database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


@pytest.mark.slow
def test_reports_are_written_owner_only(tmp_path, open_umask, settings_env):
    from workbook.reporting.reports import person_task, run_reports
    from workbook.store import create_cohort, invite, open_database

    db = open_database()
    cid = create_cohort(db, ADMIN, "Cohort A")
    pid, _code = invite(db, ADMIN, cid, "Ann Smith", "trainee")
    out = tmp_path / "reports"
    outcomes = run_reports([person_task(db, ADMIN, pid)], ADMIN, out, ("html",), workers=1)
    assert outcomes[0].error is None and outcomes[0].files
    assert mode(out) == 0o700
    assert [mode(f) for f in outcomes[0].files] == [0o600]
