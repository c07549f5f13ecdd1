"""Back up and restore the whole database while the workbook keeps running.

SQLite: the online backup API (a consistent copy even while trainees save; WAL readers do not
block writers). PostgreSQL: ``pg_dump -Fc`` (PostgreSQL's custom archive format) and
``pg_restore --single-transaction``. A plain SQL script is never restored: ``psql`` would run its
``\\!`` lines as shell commands, so a doctored "backup" could run anything on the operator's
machine. The archive's table of contents is read first and refused unless it holds only the
workbook's own tables, sequences, keys and indexes (no functions, triggers or extensions). Backups
are created owner-only (0600). The password of a URL goes to the tools through ``PGPASSWORD``,
never on a command line. Moving between SQLite and PostgreSQL is
``workbook export`` / ``workbook import``, not a backup.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from workbook.auth.identity import Identity
from workbook.errors import StoreUnavailable, WorkbookError
from workbook.files import narrow, private_dir, private_file

from . import Database, schema
from .access import require_role

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"  # pg_dump's custom archive format (-Fc)
PG_SCRIPT_MAGIC = b"-- PostgreSQL database dump"
# Entry types a workbook archive holds; anything else (FUNCTION, TRIGGER, EXTENSION, RULE…) is refused.
PG_ENTRY_TYPES = ("TABLE DATA", "TABLE", "SEQUENCE SET", "SEQUENCE OWNED BY", "SEQUENCE", "DEFAULT", "FK CONSTRAINT", "CONSTRAINT", "INDEX")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # sqlite | postgresql
    bytes: int


def default_backup_path(db: Database, directory: Path, now: datetime | None = None) -> Path:
    """``<directory>/workbook-YYYYmmdd-HHMMSS.db`` (``.dump``, a pg_dump archive, for PostgreSQL)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(directory) / f"workbook-{stamp}.{'db' if db.is_sqlite else 'dump'}"


def _sqlite_path(db: Database) -> Path:
    path = make_url(db.url).database
    if not path or path == ":memory:":
        raise WorkbookError(f"database {db.masked} lives in memory; there is nothing on disk to back up")
    return Path(path)


def _pg_tool(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore`` on this machine (PATH first, then /usr/lib/postgresql/*/bin)."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    raise WorkbookError(f"{name} is not installed; install the PostgreSQL client programs (Debian: apt-get install postgresql-client)")


def _pg_conninfo(db: Database) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    url = make_url(db.url)
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    conninfo = " ".join(f"{k}={v}" for k, v in parts.items() if v)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def _tool_error(tool: str, db: Database, proc: subprocess.CompletedProcess) -> StoreUnavailable:
    lines = [ln for ln in (proc.stderr or proc.stdout or "").strip().splitlines() if ln.strip()]
    first = lines[0] if lines else f"exit status {proc.returncode}"
    return StoreUnavailable(f"{tool} on {db.masked} failed: {first} (check that the database server is running and the URL is right)")


def backup(db: Database, actor: Identity, target: Path) -> BackupResult:
    """Write a consistent copy of the whole database to ``target`` (operator only)."""
    require_role(actor, "admin")
    target = Path(target)
    if target.exists():
        raise WorkbookError(f"{target} exists already; choose a new file name (a backup never overwrites)")
    try:
        if not target.parent.exists():
            private_dir(target.parent)
        private_file(target)  # owner-only before a byte is written
    except OSError as exc:
        raise WorkbookError(f"{target.parent}: cannot create the backup there ({exc.strerror}); choose a writable place with -o") from None
    if db.is_sqlite:
        source = _sqlite_path(db)
        if not source.exists():
            raise WorkbookError(f"{source}: no database file to back up; check WORKBOOK_DATA_DIR / WORKBOOK_DB_URL")
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=db.settings.sqlite_busy_ms / 1000)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
                src.close()
        except sqlite3.Error as exc:
            target.unlink(missing_ok=True)
            raise WorkbookError(f"backup of {source} to {target} failed: {exc}; check free space and permissions, then run it again") from None
        narrow(target)
        return BackupResult(target, "sqlite", target.stat().st_size)
    conninfo, env = _pg_conninfo(db)
    cmd = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), "--dbname", conninfo]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        target.unlink(missing_ok=True)
        raise _tool_error("pg_dump", db, proc)
    narrow(target)
    return BackupResult(target, "postgresql", target.stat().st_size)


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from the file's first bytes; WorkbookError for anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read the backup ({exc.strerror}); give the file `workbook backup` wrote") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if PG_SCRIPT_MAGIC in head:
        raise WorkbookError(f"{path}: a plain SQL script, which the workbook never restores (a script can run shell commands); make a backup with `workbook backup` (a pg_dump -Fc archive)")
    raise WorkbookError(f"{path}: not a workbook backup (neither a SQLite database nor a pg_dump script); give the file `workbook backup` wrote")


def _check_sqlite_backup(path: Path) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if schema.VERSION_TABLE.name in tables:
                revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            else:  # workbook 0.1: its hand-made marker holds 1
                revision = schema.BASELINE if con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1 else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise WorkbookError(f"{path}: not a workbook backup ({exc}); give the file `workbook backup` wrote") from None
    if ok != "ok":
        raise WorkbookError(f"{path}: the backup is damaged (integrity check: {ok}); restore an older backup")
    if revision not in schema.known_revisions():
        raise WorkbookError(f"{path}: schema revision {revision} is not one this workbook reads (it knows {', '.join(schema.known_revisions())}); upgrade the workbook first")


def check_pg_archive(path: Path, listing: str) -> None:
    """Refuse an archive whose table of contents (``pg_restore --list``) holds anything but the
    workbook's own tables and what belongs to them; the message names the first offending entry."""
    from .models import Base

    tables = set(Base.metadata.tables) | {schema.VERSION_TABLE.name, schema.LEGACY_TABLE}
    entries = 0
    for line in listing.splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        words = line.partition(";")[2].split()  # "215; 1259 16390 TABLE public answers wb"
        rest = " ".join(words[2:])
        kind = next((t for t in PG_ENTRY_TYPES if rest.startswith(t + " ")), None)
        if kind is None:
            raise WorkbookError(f"{path}: entry {line!r} is not part of a workbook database; restore only a backup `workbook backup` wrote")
        after = rest[len(kind):].split()  # schema, name, …, owner
        name = after[1] if len(after) > 1 else ""
        owned_sequence = name.endswith("_seq") and any(name.startswith(t + "_") for t in tables)
        if kind != "INDEX" and name not in tables and not owned_sequence:
            raise WorkbookError(f"{path}: entry {line!r} names {name!r}, which is not a workbook table; restore only a backup `workbook backup` wrote")
        entries += 1
    if entries == 0:
        raise WorkbookError(f"{path}: the archive holds no workbook tables; give the file `workbook backup` wrote")


def _has_data(db: Database) -> bool:
    from sqlalchemy import func, inspect, select

    from .models import Cohort

    try:
        with db.engine.connect() as conn:
            if not inspect(conn).has_table("cohorts"):
                return False
    except (SQLAlchemyError, OSError) as exc:
        raise db.describe_failure(exc) from None
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Cohort)) or 0) > 0


def restore(db: Database, actor: Identity, source: Path, force: bool = False) -> str:
    """Replace the database's content with a backup; refuses a database holding cohorts unless ``force``."""
    require_role(actor, "admin")
    source = Path(source)
    kind = backup_kind(source)
    want = "sqlite" if db.is_sqlite else "postgresql"
    if kind != want:
        raise WorkbookError(f"{source} is a {kind} backup but the database {db.masked} is {want}; move data between the two with `workbook export` / `workbook import`")
    if _has_data(db) and not force:
        raise WorkbookError(f"database {db.masked} already holds cohorts; restore into an empty data directory, or add --force to replace everything")
    if kind == "sqlite":
        _check_sqlite_backup(source)
        target = _sqlite_path(db)
        db.dispose()
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dst = sqlite3.connect(target, timeout=db.settings.sqlite_busy_ms / 1000)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        except sqlite3.Error as exc:
            raise WorkbookError(f"restore of {source} into {target} failed: {exc}; the database was not changed, free space or stop the server and try again") from None
        return str(target)
    listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise WorkbookError(f"{source}: pg_restore cannot read the archive ({(listing.stderr.strip().splitlines() or ['damaged'])[0]}); give the file `workbook backup` wrote")
    check_pg_archive(source, listing.stdout)
    conninfo, env = _pg_conninfo(db)
    db.dispose()
    cmd = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", conninfo, str(source)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise _tool_error("pg_restore", db, proc)
    if not re.search(rf"\bTABLE (DATA )?\S+ {schema.VERSION_TABLE.name}\b", listing.stdout):
        _drop_stamp(db)  # a workbook 0.1 archive: the stamp left from this database's creation would claim head
    return db.masked


def _drop_stamp(db: Database) -> None:
    """Remove the Alembic stamp, so the restored database reads as workbook 0.1 (``workbook db upgrade``)."""
    try:
        with db.engine.begin() as conn:
            schema.VERSION_TABLE.drop(conn, checkfirst=True)
    except (SQLAlchemyError, OSError) as exc:
        raise db.describe_failure(exc) from None
