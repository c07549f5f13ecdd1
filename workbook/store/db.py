"""Open the database: engine, SQLite pragmas, schema creation and versioning, error mapping."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import StoreError, StoreUnavailable
from ..settings import Settings, get_settings
from .models import SCHEMA_VERSION, Base, SchemaVersion

MIGRATIONS: dict[int, list[str]] = {
    # version -> SQL statements bringing the previous version to it; keeps every answer.
}


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


def _sqlite_pragmas(busy_ms: int):
    def on_connect(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    return on_connect


class Database:
    """An engine plus a session factory; the only object that talks to SQLAlchemy directly."""

    def __init__(self, url: str, settings: Settings | None = None, create: bool = True):
        self.settings = settings or get_settings()
        self.url = url
        self.masked = mask_url(url)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"database URL {self.masked!r} is not a valid SQLAlchemy URL; set WORKBOOK_DB_URL like postgresql+psycopg://user:pw@host/db") from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict = {"future": True}
        if self.is_sqlite:
            path = parsed.database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": self.settings.sqlite_busy_ms / 1000, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
            if parsed.get_backend_name() == "postgresql":
                kwargs["connect_args"] = {"connect_timeout": 5}
        try:
            self.engine: Engine = create_engine(url, **kwargs)
        except (NoSuchModuleError, ArgumentError, ImportError) as exc:
            raise StoreError(f"database URL {self.masked!r}: {exc}; use sqlite:///path or postgresql+psycopg://…") from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas(self.settings.sqlite_busy_ms))
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if create:
            self.ensure_schema()

    def describe_failure(self, exc: BaseException) -> StoreUnavailable:
        """Turn a driver error into one line naming the (masked) URL and what to do."""
        text = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc) else type(exc).__name__
        low = text.lower()
        if "readonly" in low or "read-only" in low or "read only" in low:
            hint = "the database is read-only; make the file and its folder writable"
        elif "full" in low or "no space" in low:
            hint = "the disk is full; free some space"
        elif "locked" in low:
            hint = "the database is busy; try again in a moment"
        else:
            hint = "check that the database server is running and the URL is right"
        return StoreUnavailable(f"cannot use database {self.masked}: {text} ({hint}); nothing was lost, unsaved answers are kept")

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on any error (nothing half-written)."""
        try:
            with self._sessions() as session:
                with session.begin():
                    yield session
        except (OperationalError, DBAPIError) as exc:
            raise self.describe_failure(exc) from None
        except OSError as exc:
            raise self.describe_failure(exc) from None
        except SQLAlchemyError as exc:
            raise StoreError(f"database {self.masked}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None

    def ensure_schema(self) -> None:
        """Create the tables on a new database and bring an older schema up to date."""
        try:
            with self.engine.begin() as conn:
                has_version = inspect(conn).has_table("schema_version")
                Base.metadata.create_all(conn)
                if not has_version:
                    conn.execute(SchemaVersion.__table__.insert().values(version=SCHEMA_VERSION))
                    return
                current = conn.execute(select(SchemaVersion.version).order_by(SchemaVersion.version.desc())).scalar() or 0
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS.get(version, []):
                        conn.exec_driver_sql(statement)
                    conn.execute(SchemaVersion.__table__.insert().values(version=version))
        except (OperationalError, DBAPIError, OSError) as exc:
            raise self.describe_failure(exc) from None

    def schema_version(self) -> int:
        with self.session() as s:
            return s.execute(select(SchemaVersion.version).order_by(SchemaVersion.version.desc())).scalar() or 0

    def dispose(self) -> None:
        self.engine.dispose()


_default: Database | None = None


def open_database(url: str | None = None) -> Database:
    """The database named by the settings (or ``url``); the default one is opened once per process."""
    global _default
    if url is not None:
        return Database(url)
    if _default is None:
        _default = Database(get_settings().database_url)
    return _default


def reset_default() -> None:
    global _default
    if _default is not None:
        _default.dispose()
    _default = None
