"""A real Voila server for tests and benchmarks, started with the workbook's own serving policy.

``VoilaServer.start(data_dir)`` builds a fresh SQLite database with the demo cohort in
``data_dir``, starts ``workbook.serving.serve.voila_command`` on a free port of 127.0.0.1 and waits until
it answers. Settings are passed as ``WORKBOOK_*`` overrides (``env={"WORKBOOK_POOLS": ...}``).
The server runs in its own process group and is stopped with it; kernels are counted and
measured through the process tree (psutil), because Voila does not expose ``/api/kernels``.

Use ``voila_server(...)`` (a context manager) or ``VoilaServer.start(...)`` / ``.stop()``.
Benchmarks import this file too (``sys.path`` gets ``tests/``).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


ROOM_PER_CLIENT = 60  # page kernels per address on test servers (the default, 10, is for one visitor per address)


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago (bound to port 0 by the OS)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_settings(data_dir: Path, env: dict[str, str] | None = None):
    """Workbook settings for a server on ``data_dir`` (other ``WORKBOOK_*`` of this process ignored)."""
    from workbook.settings import load_settings

    base = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    base["WORKBOOK_DATA_DIR"] = str(data_dir)
    base.update(env or {})
    return load_settings(base)


def build_demo_database(settings) -> dict[str, object]:
    """Create the demo cohort in the database of ``settings``; returns ``build_demo``'s result."""
    from workbook.store import Database
    from workbook.store.demo import build_demo

    db = Database(settings.database_url, settings)
    try:
        return build_demo(db)
    finally:
        db.dispose()


# A bare one-slider notebook: the baseline page of benchmarks and serving tests.
BARE_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": ["import ipywidgets as w\n", "w.IntSlider(description='x')"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def bare_notebooks(directory: Path) -> Path:
    """A notebooks directory holding only ``bare.ipynb`` (the bare one-slider page)."""
    import json

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bare.ipynb").write_text(json.dumps(BARE_NOTEBOOK), encoding="utf-8")
    return directory


@dataclass
class VoilaServer:
    """One running Voila process (and its kernels) on 127.0.0.1:``port``."""

    proc: subprocess.Popen
    port: int
    data_dir: Path
    settings: object
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    demo: dict | None = None

    # -- starting and stopping -------------------------------------------------------------
    @classmethod
    def start(
        cls,
        data_dir: Path,
        env: dict[str, str] | None = None,
        demo: bool = True,
        extra_args: list[str] | None = None,
        timeout: float = 120.0,
        wait_pools: bool = True,
    ) -> VoilaServer:
        """Start Voila on a free port against ``data_dir`` and wait until it serves pages.

        ``env``: ``WORKBOOK_*`` overrides (pools, culling, notebooks dir...). ``demo``: build the
        demo cohort first. ``wait_pools``: also wait until the preheated kernels have run their
        notebooks (the server's process tree goes quiet), so timings start from a warm server.
        """
        from workbook.serving.serve import kernel_env, voila_command

        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        # Every test client and benchmark trainee comes from 127.0.0.1, like a room behind one NAT
        # address: such a server needs a per-address kernel cap above its visitors' pages (docs/operator/serve.md).
        env = {"WORKBOOK_MAX_KERNELS_PER_CLIENT": str(ROOM_PER_CLIENT), **(env or {})}
        settings = server_settings(data_dir, env)
        result = build_demo_database(settings) if demo else None
        port = free_port()
        penv = kernel_env(settings)
        for k in [k for k in penv if k.startswith("WORKBOOK_")]:
            del penv[k]
        penv.update({"WORKBOOK_DATA_DIR": str(data_dir), "WORKBOOK_DB_URL": settings.database_url, **(env or {})})
        log_path = data_dir / f"voila-{port}.log"
        log = log_path.open("wb")
        proc = subprocess.Popen(
            voila_command(settings, port) + list(extra_args or []),
            env=penv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=str(ROOT), start_new_session=True,
        )
        log.close()
        server = cls(proc, port, data_dir, settings, log_path, dict(env or {}), result)
        try:
            server.wait_ready(timeout)
            if wait_pools:
                server.wait_quiet(timeout=timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        """Stop the server and every kernel it started (its own process group only)."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        # kernels are in the same process group; make sure none outlives the server
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    # -- waiting ----------------------------------------------------------------------------
    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait until the server answers HTTP (its file tree page)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voila exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("/"), timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"Voila did not answer on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def wait_quiet(self, cpu_percent: float = 8.0, seconds: float = 2.0, timeout: float = 120.0) -> float:
        """Wait until the server and its kernels use less than ``cpu_percent`` of one core for
        ``seconds`` in a row (pools filled, notebooks run); returns the time waited."""
        start = time.monotonic()
        quiet_since = None
        self.cpu_percent()  # prime the counters
        while time.monotonic() - start < timeout:
            time.sleep(0.5)
            if self.cpu_percent() < cpu_percent:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= seconds:
                    return time.monotonic() - start
            else:
                quiet_since = None
        raise TimeoutError(f"Voila on port {self.port} still busy after {timeout:.0f} s")

    def wait_kernels(self, predicate, timeout: float = 60.0, poll: float = 0.5) -> int:
        """Wait until ``predicate(kernel_count)`` holds; returns the count."""
        deadline = time.monotonic() + timeout
        n = self.kernel_count()
        while time.monotonic() < deadline:
            n = self.kernel_count()
            if predicate(n):
                return n
            time.sleep(poll)
        raise TimeoutError(f"kernel count stayed at {n} for {timeout:.0f} s")

    # -- looking at it ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def page_url(self, notebook: str) -> str:
        """The rendered page of a notebook (path relative to the notebooks directory)."""
        return self.url(f"/voila/render/{notebook}")

    def processes(self) -> list[psutil.Process]:
        """The server and every process it started."""
        try:
            me = psutil.Process(self.proc.pid)
            return [me, *me.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernel_processes(self) -> list[psutil.Process]:
        """The kernel processes this server started (``ipykernel_launcher``)."""
        out = []
        for p in self.processes()[1:]:
            with contextlib.suppress(psutil.Error):
                if any("ipykernel" in part for part in p.cmdline()):
                    out.append(p)
        return out

    def kernel_count(self) -> int:
        return len(self.kernel_processes())

    def kernel_ids(self) -> dict[str, int]:
        """Running kernels as {kernel id: pid}, read from each kernel's connection-file argument."""
        out = {}
        for p in self.kernel_processes():
            with contextlib.suppress(psutil.Error):
                m = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(p.cmdline()))
                if m:
                    out[m.group(1)] = p.pid
        return out

    def rss_bytes(self) -> int:
        """Resident memory of the server plus all its kernels."""
        total = 0
        for p in self.processes():
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def cpu_percent(self) -> float:
        """CPU use (percent of one core) of the process tree since the previous call."""
        total = 0.0
        for p in self.processes():
            with contextlib.suppress(psutil.Error):
                key = p.pid
                if key not in _CPU_PROCS:
                    _CPU_PROCS[key] = p
                    p.cpu_percent(None)
                total += _CPU_PROCS[key].cpu_percent(None)
        return total

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def wait_log(self, text: str, count: int = 1, timeout: float = 60.0, poll: float = 0.2) -> None:
        """Wait until the server's log holds ``text`` at least ``count`` times."""
        deadline = time.monotonic() + timeout
        while self.log_text().count(text) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server never logged {text!r} ({count}x) in {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(poll)

    def codes(self, role: str = "trainee") -> list[str]:
        """The demo access codes of one role, in the demo cohort's order."""
        if not self.demo:
            return []
        return [code for r, _name, code in self.demo["codes"] if r == role]

    def session_cookie(self, code: str) -> str:
        """A ``Cookie`` header with a live session of the person with ``code`` (as a browser holds
        after signing in), made in the server's own database."""
        from workbook.serving.web_session import COOKIE
        from workbook.store import AccessCodeAuthenticator, Database

        db = Database(self.settings.database_url, self.settings)
        try:
            auth = AccessCodeAuthenticator(db)
            return f"{COOKIE}={auth.start_session(auth.authenticate(code))}"
        finally:
            db.dispose()

    def names(self, role: str = "trainee") -> list[str]:
        if not self.demo:
            return []
        return [name for r, name, _code in self.demo["codes"] if r == role]


_CPU_PROCS: dict[int, psutil.Process] = {}


@contextlib.contextmanager
def voila_server(data_dir: Path, **kwargs) -> Iterator[VoilaServer]:
    """``with voila_server(tmp) as srv:`` — a started server, stopped on exit."""
    server = VoilaServer.start(data_dir, **kwargs)
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- a page's kernel, without a browser
class KernelClient:
    """The kernel websocket as Voila's page uses it (Jupyter's JSON message protocol)."""

    def __init__(self, server: VoilaServer, kernel_id: str, timeout: float = 300.0, base: str = "", cookie: str = "",
                 session: str = ""):
        """``base``: the server's own URL (``http://host:port/user/ann/`` behind a hub) instead of ``server``'s port;
        ``cookie``: the Cookie header a browser would send (a hub login); ``session``: an earlier connection's (a page
        that reconnects)."""
        import websocket

        self.session = session or uuid.uuid4().hex
        root = base.rstrip("/").replace("http", "ws", 1) if base else f"ws://127.0.0.1:{server.port}"
        url = f"{root}/api/kernels/{kernel_id}/channels?session_id={self.session}"
        where = urllib.parse.urlsplit(base)
        extra = {"cookie": cookie, "origin": f"{where.scheme}://{where.netloc}"} if base else {}
        self.ws = websocket.create_connection(url, timeout=timeout, enable_multithread=True, **extra)
        self.opened: list[dict] = []  # widget models the kernel created (comm_open), in order
        self._by_id: dict[str, dict] = {}  # the same, by id, kept up to date with state updates

    def send(self, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "trainee", "session": self.session, "msg_type": msg_type,
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel, "buffers": [],
        }))
        return msg_id

    def messages(self):
        while True:
            raw = self.ws.recv()
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            if msg.get("msg_type") == "comm_open" and msg["content"].get("target_name") == "jupyter.widget":
                self.opened.append({"id": msg["content"]["comm_id"], **msg["content"]["data"]["state"]})
                self._by_id[msg["content"]["comm_id"]] = self.opened[-1]
            elif msg.get("msg_type") == "comm_msg" and msg["content"].get("comm_id") in self._by_id:
                data = msg["content"].get("data", {})
                if data.get("method") == "update":
                    self._by_id[msg["content"]["comm_id"]].update(data.get("state", {}))
            yield msg

    def until_idle(self, msg_id: str) -> None:
        """Wait until the kernel has finished handling our message."""
        for msg in self.messages():
            if (msg.get("msg_type") == "status" and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"].get("execution_state") == "idle"):
                return

    def widget_states(self) -> dict[str, dict]:
        """All widget models of the page (ipywidgets 8 ``request_states`` on the control comm)."""
        comm = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}}, metadata={"version": "1.0.0"})
        self.send("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        for msg in self.messages():
            if msg.get("msg_type") == "comm_msg" and msg["content"].get("comm_id") == comm:
                data = msg["content"]["data"]
                if data.get("method") == "update_states":
                    return data["states"]

    def update(self, model_id: str, state: dict) -> None:
        """Change a widget's value as the browser does, and wait for the kernel to handle it."""
        self.until_idle(self.send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
                                  metadata={"version": "2.1.0"}))

    def close(self) -> None:
        self.ws.close()


class MemoryWatch:
    """Peak RSS of the server and its kernels, sampled every 0.25 s."""

    def __init__(self, server: VoilaServer):
        self.server, self.peak, self._stop = server, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_bytes())
            time.sleep(0.25)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()



TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+|\b\w+Error: ")


def launch_chromium(playwright):
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def sign_in_or_resume(page, url: str, code: str, name: str, timeout: float = 90_000) -> None:
    """Open ``url`` and be signed in as ``name``: type ``code`` when the page asks for it, or find the
    page already signed in by the browser's session cookie (a reload, a second page)."""
    # a page resumed from the cookie arrives signed in: its HTML ends once the body is built
    page.goto(url, wait_until="commit", timeout=timeout)
    signed = page.locator(f"text=Signed in as {name}")
    box = page.locator("input[type=password]")
    page.wait_for_function(
        "name => !!document.querySelector('input[type=password]') || (!!document.body && document.body.innerText.includes('Signed in as ' + name))",
        arg=name, timeout=timeout,
    )
    if signed.count() == 0 and box.count() > 0:
        box.fill(code)
        page.click("text=Sign in")
    signed.first.wait_for(timeout=timeout)


# ---- browser pages: what every browser test does the same way -----------------------------------------------

PAGE_TIMEOUT = 90_000  # ms: pages on a shared 2-core machine


@contextlib.contextmanager
def browser_page(browser, on_request=None, timeout: float = PAGE_TIMEOUT, **context_options) -> Iterator:
    """A page in a fresh browser context (1200×900 unless ``viewport`` is given) with the slow machine's timeout;
    ``on_request`` sees every request the page makes. The context is closed after."""
    context = browser.new_context(**{"viewport": {"width": 1200, "height": 900}, **context_options})
    page = context.new_page()
    if on_request is not None:
        page.on("request", on_request)
    record_traffic(page)
    page.set_default_timeout(timeout)
    try:
        yield page
    finally:
        context.close()


@contextlib.contextmanager
def served_database(server: VoilaServer) -> Iterator:
    """The test server's database opened in the test's process (to read what a page saved), disposed after."""
    from workbook.store import Database

    db = Database(server.settings.database_url, server.settings)
    try:
        yield db
    finally:
        db.dispose()


_KINDS = re.compile(r'"msg_type":\s*"(\w+)"|"method":\s*"(\w+)"')


def record_traffic(page) -> None:
    """Keep, on ``page.wb_traffic``, the page's console lines and a summary of each kernel websocket frame (seconds
    since the page was made, direction, message types): what a page that never draws was waiting for."""
    start = time.monotonic()
    lines: list[str] = []
    page.wb_traffic = lines

    def note(text: str) -> None:
        if len(lines) < 400:
            lines.append(f"{time.monotonic() - start:6.1f} {text}")

    def frame(direction: str, payload) -> None:
        text = payload if isinstance(payload, str) else bytes(payload[:4000]).decode("utf-8", "replace")
        kinds = {a or b for a, b in _KINDS.findall(text[:4000])} - {""}
        note(f"ws {direction} {len(payload)} B {' '.join(sorted(kinds))}")

    def websocket(ws) -> None:
        note(f"ws open {ws.url.split('?')[0][-60:]}")
        ws.on("framesent", lambda p: frame("sent", p))
        ws.on("framereceived", lambda p: frame("recv", p))
        ws.on("close", lambda _ws: note("ws closed"))

    page.on("console", lambda m: None if "nsatisf" in m.text or "satisfying version" in m.text else note(f"console {m.type}: {m.text[:300]}"))
    page.on("pageerror", lambda e: note(f"page error: {str(e)[:300]}"))
    page.on("websocket", websocket)


def open_page(page, server: VoilaServer, notebook: str) -> None:
    """Open ``notebook`` on ``server`` and wait for its sign-in box (the server's log in the failure when it never comes)."""
    from playwright.sync_api import TimeoutError as PageTimeout

    page.goto(server.page_url(notebook), wait_until="domcontentloaded")
    try:
        page.wait_for_selector("input[type=password]", state="visible")
    except PageTimeout:
        traffic = "\n".join(getattr(page, "wb_traffic", [])[-80:])
        raise AssertionError(f"{notebook} did not show its sign-in; the page's console and websocket:\n{traffic}\n"
                             f"server log:\n{server.log_tail(60)}") from None


def sign_in(page, code: str) -> None:
    """Type ``code`` into the page's sign-in box and press "Sign in"."""
    page.fill("input[type=password]", code)
    page.click("button:has-text('Sign in')")


def signed_in(page, server: VoilaServer, notebook: str, code: str, ready: str) -> None:
    """Open ``notebook``, sign in with ``code``, and wait for the page's ``ready`` selector (what it shows once signed in)."""
    open_page(page, server, notebook)
    sign_in(page, code)
    page.wait_for_selector(ready)


def refused_line(page) -> str:
    """The line a page shows when it refuses (``.wb-error``), checked to be one line."""
    page.wait_for_selector(".wb-error")
    message = page.inner_text(".wb-error").strip()
    assert "\n" not in message, message
    return message


def assert_no_traceback_or_source(page) -> None:
    """The page shows no Python traceback and none of its cells' source."""
    text = page.inner_text("body")
    assert not TRACEBACK.search(text), f"a traceback is shown on the page:\n{text[:2000]}"
    html = page.content()
    assert "from workbook" not in html and "module_page(" not in html, "cell source is in the page"


def full_screenshot(page, path) -> None:
    """The whole page: Voila scrolls inside #rendered_cells, so grow the viewport to its height."""
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1200, "height": max(900, min(int(height) + 40, 12000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
