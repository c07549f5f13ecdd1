"""A throwaway PostgreSQL server for tests: its own temp directory, a free port, stopped at the end.

``PgServer`` runs the PostgreSQL 15 binaries of the machine (``initdb``, ``pg_ctl``). initdb
refuses to run as root, so under root the server runs as the ``postgres`` user (or ``nobody``).
``pg_server()`` is a pytest helper: it starts one or skips the test with the reason it could not.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN_DIRS = [Path("/usr/lib/postgresql/15/bin"), Path("/usr/local/bin"), Path("/usr/lib/postgresql/16/bin"), Path("/usr/bin")]


def find_binary(name: str) -> str | None:
    """A PostgreSQL program from the version directories first (Debian's /usr/bin holds wrappers)."""
    for d in BIN_DIRS:
        if (d / name).is_file() and os.access(d / name, os.X_OK):
            return str(d / name)
    return shutil.which(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be started on this machine; the message says why."""


class PgServer:
    """One PostgreSQL cluster in a temp directory, trust auth on 127.0.0.1, user ``wb``."""

    def __init__(self, max_connections: int = 60) -> None:
        self.max_connections = max_connections  # benchmarks/hub.py: one server per hub user, each with its own pools
        self.initdb, self.pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise PgUnavailable("initdb/pg_ctl not found (PostgreSQL 15 server binaries are needed)")
        self.run_as: str | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.run_as = name
                break
            if self.run_as is None:
                raise PgUnavailable("running as root and no 'postgres' or 'nobody' user to run initdb as")
        self.dir = Path(tempfile.mkdtemp(prefix="wb-pg-"))  # /tmp, traversable by that user
        if self.run_as:
            ent = pwd.getpwnam(self.run_as)
            os.chown(self.dir, ent.pw_uid, ent.pw_gid)
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        self.user = "wb"
        self._initialised = False

    def _run(self, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        kwargs: dict = {"capture_output": True, "text": True, "timeout": timeout, "cwd": self.dir}
        if self.run_as:
            kwargs["user"] = self.run_as
            kwargs["group"] = pwd.getpwnam(self.run_as).pw_gid
            kwargs["extra_groups"] = []
        return subprocess.run(args, **kwargs)

    def start(self) -> PgServer:
        """initdb (the first time) and start the server; raise PgUnavailable with the reason."""
        if not self._initialised:
            r = self._run([self.initdb, "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
            if r.returncode != 0:
                raise PgUnavailable(f"initdb failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}")
            self._initialised = True
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections={self.max_connections}"
        r = self._run([self.pg_ctl, "-D", str(self.data), "-o", opts, "-l", str(self.log), "-w", "-t", "60", "start"])
        if r.returncode != 0:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-3:] if self.log.exists() else []
            raise PgUnavailable(f"pg_ctl start failed: {(r.stderr or r.stdout).strip()} {tail}")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` is a crash-like stop: no checkpoint, clients cut off)."""
        self._run([self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"], timeout=60)

    def running(self) -> bool:
        r = self._run([self.pg_ctl, "-D", str(self.data), "status"], timeout=30)
        return r.returncode == 0

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A fresh empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def app_role_url(self, database: str) -> str:
        """Run deploy/postgres-role.sql in ``database`` as the tables' owner (the role a deployment's servers
        connect as: data only, never the schema) and return the SQLAlchemy URL of that role."""
        import psycopg

        sql = (Path(__file__).resolve().parents[1] / "deploy" / "postgres-role.sql").read_text(encoding="utf-8")
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname={database}", autocommit=True) as con:
            con.execute(sql)
        return f"postgresql+psycopg://workbook_app@127.0.0.1:{self.port}/{database}"

    def cleanup(self) -> None:
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def pg_server():
    """Start a throwaway server for a pytest fixture, or skip the test saying why it cannot."""
    import pytest

    try:
        server = PgServer()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        server.start()
    except (PgUnavailable, subprocess.TimeoutExpired, OSError) as exc:
        server.cleanup()
        pytest.skip(f"PostgreSQL could not start: {exc}")
    return server
