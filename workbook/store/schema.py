"""The schema's revision (Alembic, ``migrations/``): a new database is created at the head revision
and stamped; an older one is refused with one line until ``workbook db upgrade`` brings it up.

A database from before the revisions (workbook 0.1: a ``schema_version`` table holding 1) is the
baseline revision 0001; ``workbook db upgrade`` stamps and upgrades it, keeping every row.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, select
from sqlalchemy.engine import Connection

from workbook.errors import StoreError

from .models import SCHEMA_REVISION, Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
LEGACY_TABLE = "schema_version"  # workbook 0.1's hand-made marker, retired by 0002
# Alembic's own bookkeeping table, written here too so that opening a new database needs no Alembic import
VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                      PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands: ``revision`` None with ``legacy`` for a 0.1 database, ``empty`` for a new one."""

    revision: str | None
    legacy: bool = False
    empty: bool = False

    @property
    def label(self) -> str:
        if self.empty:
            return "empty (no workbook tables)"
        return self.revision or f"{BASELINE} (workbook 0.1, before revisions)"


def schema_state(conn: Connection) -> SchemaState:
    """Read the database's revision without Alembic."""
    names = set(inspect(conn).get_table_names())
    if VERSION_TABLE.name in names:
        return SchemaState(conn.execute(select(VERSION_TABLE.c.version_num)).scalar())
    if names & (set(Base.metadata.tables) | {LEGACY_TABLE}):
        return SchemaState(None, legacy=True)
    return SchemaState(None, empty=True)


def create_at_head(conn: Connection) -> None:
    """A new database: today's tables, stamped with the head revision."""
    Base.metadata.create_all(conn)
    VERSION_TABLE.create(conn, checkfirst=True)
    if conn.execute(select(VERSION_TABLE.c.version_num)).first() is None:
        conn.execute(VERSION_TABLE.insert().values(version_num=SCHEMA_REVISION))


def ensure_current(conn: Connection, where: str) -> None:
    """Create a new database at head; refuse (one line saying what to run) one at another revision."""
    state = schema_state(conn)
    if state.empty:
        create_at_head(conn)
        return
    if state.revision == SCHEMA_REVISION:
        return
    if state.revision is not None and state.revision not in known_revisions():
        raise StoreError(f"database {where} is at schema revision {state.revision}, which this workbook does not know "
                         f"(a newer workbook upgraded it); run that workbook version, or restore a backup made before")
    raise StoreError(f"database {where} is at schema revision {state.label}, this workbook needs {SCHEMA_REVISION}; "
                     "run `workbook db upgrade` (a `workbook backup` first is wise); nothing was changed")


def _config(conn: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def known_revisions() -> list[str]:
    """Every revision of ``migrations/versions``, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def upgrade(conn: Connection, target: str = "head") -> tuple[str, str]:
    """Bring the database to ``target`` in the connection's transaction; returns (before, after) labels.

    A workbook 0.1 database has no Alembic stamp: the baseline revision then creates only the tables
    it lacks (every row stays) and the later revisions run as on any database."""
    from alembic import command

    before = schema_state(conn)
    if before.revision is not None and before.revision not in known_revisions():
        raise StoreError(f"schema revision {before.revision} is not one this workbook knows (a newer workbook upgraded it); nothing was changed")
    command.upgrade(_config(conn), target)
    return before.label, schema_state(conn).label


def downgrade(conn: Connection, target: str) -> None:
    """Take the database back to ``target`` (tests and developers; the workbook itself never does)."""
    from alembic import command

    command.downgrade(_config(conn), target)
