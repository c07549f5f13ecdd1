"""Open the database: engine, SQLite pragmas, schema creation and versioning, error mapping."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from workbook.errors import StoreError, StoreUnavailable
from workbook.files import narrow, private_dir, private_file
from workbook.settings import Settings, get_settings

from . import schema


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


def _private_sqlite(path: Path, create: bool) -> None:
    """The SQLite file created owner-only before SQLite opens it (its -wal and -shm files take the
    database file's mode); an existing file and its companions are narrowed to 0600 too."""
    if not path.parent.exists():
        private_dir(path.parent)
    try:
        if create or path.exists():
            private_file(path)
    except OSError:  # a read-only or missing folder: describe_failure names it on first use
        return
    narrow(Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))


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
                _private_sqlite(Path(path), create)
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
        self._rehearsing = threading.local()  # rehearsal(): this thread's sessions join one rolled-back transaction
        if create:
            self.ensure_schema()

    def sqlite_file(self) -> Path | None:
        """The SQLite database file, or None (PostgreSQL, in-memory)."""
        if not self.is_sqlite:
            return None
        path = make_url(self.url).database
        return Path(path) if path and path != ":memory:" else None

    def _sqlite_diagnosis(self, low: str) -> str | None:
        """What is wrong with the SQLite file's place on disk, read off the disk itself."""
        path = self.sqlite_file()
        if path is None:
            return None
        folder = path.parent
        if not folder.is_dir():
            return f"the folder {folder} does not exist; create it or set WORKBOOK_DATA_DIR"
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)) or "readonly" in low or "read-only" in low:
            return f"the database file {path} or its folder is read-only; make both writable (or free the read-only mount)"
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            free = None
        if "full" in low or "no space" in low or (free is not None and free < 64 * 1024):
            return f"the disk holding {folder} is full; free some space there"
        return None

    def describe_failure(self, exc: BaseException) -> StoreError:
        """Turn a driver error into one line naming the (masked) URL, what is wrong and what to do.

        Unavailability (server down, file read-only, disk full, busy) is StoreUnavailable: the
        answer is kept and retried. Data the database refuses (too long, constraint) is StoreError.
        """
        orig = getattr(exc, "orig", None) or exc
        lines = str(orig).strip().splitlines()
        text = " ".join(lines[0].split()) if lines else type(orig).__name__
        low = text.lower()
        if isinstance(exc, (IntegrityError, DataError)) or isinstance(orig, (ValueError, OverflowError)):
            return StoreError(f"database {self.masked} refused the data: {text}; nothing was saved, correct the value and try again")
        if "no such table" in low or ("relation" in low and "does not exist" in low):
            return StoreError(f"database {self.masked} has no workbook tables ({text}); open it once with the workbook to create them, or restore a backup into it")
        hint = self._sqlite_diagnosis(low)
        if hint is None:
            if "readonly" in low or "read-only" in low or "read only" in low:
                hint = "the database is read-only; make it writable"
            elif "no space" in low or "disk full" in low or "disk is full" in low:
                hint = "the database server's disk is full; free some space there"
            elif "locked" in low:
                hint = "the database is busy; try again in a moment"
            elif self.is_sqlite:
                hint = "check that the database file can be opened and written"
            else:
                hint = "the database server is not answering; start it, or check WORKBOOK_DB_URL"
        return StoreUnavailable(f"cannot use database {self.masked}: {text} ({hint}); nothing was lost, unsaved answers are kept")

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on any error (nothing half-written)."""
        factory = getattr(self._rehearsing, "factory", None) or self._sessions
        try:
            with factory() as session:
                with session.begin():
                    yield session
        except (OperationalError, DBAPIError) as exc:
            raise self.describe_failure(exc) from None
        except OSError as exc:
            raise self.describe_failure(exc) from None
        except SQLAlchemyError as exc:
            if isinstance(getattr(exc, "orig", None), (ValueError, OverflowError)):
                raise self.describe_failure(exc) from None
            raise StoreError(f"database {self.masked}: {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None

    @property
    def rehearsing(self) -> bool:
        """Whether this thread is inside ``rehearsal()``."""
        return getattr(self._rehearsing, "factory", None) is not None

    @contextlib.contextmanager
    def rehearsal(self) -> Iterator[None]:
        """Inside the block, this thread's transactions join one outer transaction that is rolled back at its
        end: nothing written stays. A preheated page kernel rehearses the statements of its visitor's sign-in
        and saves, so the engine has compiled them (a third of a sign-in's CPU on a new engine) before the
        visitor comes. After an error inside, no further statement runs (it could not be rolled back)."""
        with self.engine.connect() as conn:
            outer = conn.begin()
            joined = sessionmaker(bind=conn, expire_on_commit=False, join_transaction_mode="rollback_only")

            def factory() -> Session:
                if not outer.is_active:
                    raise StoreError("the rehearsal's transaction ended early; nothing more is run in it")
                return joined()

            self._rehearsing.factory = factory
            try:
                yield
            finally:
                self._rehearsing.factory = None
                if outer.is_active:
                    outer.rollback()

    def ensure_schema(self) -> None:
        """Create the tables of a new database (stamped at the head revision); refuse, in one line
        naming `workbook db upgrade`, a database at an older schema revision (store/schema.py)."""
        try:
            with self.engine.begin() as conn:
                schema.ensure_current(conn, self.masked)
        except (OperationalError, DBAPIError, OSError) as exc:
            raise self.describe_failure(exc) from None

    def schema_state(self) -> schema.SchemaState:
        """The database's schema revision (None for one made before revisions)."""
        try:
            with self.engine.connect() as conn:
                return schema.schema_state(conn)
        except (OperationalError, DBAPIError, OSError) as exc:
            raise self.describe_failure(exc) from None

    def upgrade_schema(self, target: str = "head") -> tuple[str, str]:
        """Run the Alembic revisions up to ``target`` in one transaction; (before, after) revisions."""
        path = self.sqlite_file()
        if path is not None and not path.exists():  # a new database: owner-only from the first byte
            _private_sqlite(path, create=True)
        try:
            with self.engine.begin() as conn:
                return schema.upgrade(conn, target)
        except (OperationalError, DBAPIError, OSError) as exc:
            raise self.describe_failure(exc) from None

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
