"""N people open Module 1 at once through a JupyterHub, against the same N on one standalone server, in one run.

    .venv/bin/python benchmarks/hub.py [--users 10,30,60]

Both sides use one PostgreSQL (tests/pg.py) and the light client of benchmarks/workshop.py (imported, not copied):

- *standalone*: one Voila server as ``workbook serve`` starts it (tests/servers.py ``VoilaServer``), Module 1's
  preheated pool as large as the wave; each client runs ``workshop.trainee_visit``: the page, its websocket and
  widgets, sign-in with the trainee's code, five answers. **login+page** = page + connect + sign-in.
- *hub*: a JupyterHub on deploy/jupyterhub_config.py (tests/hub_runner.py: a shared-password authenticator, the
  local process spawner), N hub users invited with ``--login``. Each client logs in (``POST /hub/login``: the hub
  starts the user's own server), asks for Module 1 through the hub's proxy; while the server starts, waits on the hub's
  progress event stream as the spawn-pending page's script does, and asks again when it says ready; then opens
  the page's websocket with the hub's cookies (``page_client.PageClient``, the standalone side's client, under the
  user's server path) and checks the page signed its hub user in.
  **login+page** = login + server start + page + connect. No code is typed: identity comes from the hub.

Memory: PSS (shared pages split between their sharers, so it adds up) summed over every process of the side, at the
end of the wave with every page still open: standalone, the server with its fork server, chart renderer and kernels;
hub, the hub, its proxy, the culler, the rater service and every user's server with its kernels. Also the machine's
memory a hub wave took (available memory before it less its lowest during it, and at its end): what sizes the next
wave. A hub wave runs only when the machine's available memory holds it (N times that per-user figure, or 420 MB before
the first hub wave, plus 3 GB to spare): otherwise it is reported with the estimate and the reason, not run. A wave that
runs is watched: if available memory falls under 1 GB its hub and every server are killed and the wave is reported
stopped, instead of the kernel's OOM killer choosing what to kill on a shared machine.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
import requests  # noqa: E402
from hub_runner import PASSWORD, PROXY, running_hub  # noqa: E402
from page_client import PageClient  # noqa: E402
from pg import PgServer  # noqa: E402
from servers import VoilaServer  # noqa: E402
from workshop import PAGE, Trainee, bench_trainees, pct, pss_bytes, shutdown_kernels, trainee_visit  # noqa: E402

MB = 2**20
PER_USER_GUESS = 420 * MB  # a user's server ~320 MB PSS + a Module 1 kernel ~65 MB (docs/operator/jupyterhub.md) + slack
SPARE = 3 * 2**30
FLOOR = 1 * 2**30  # a running hub wave is stopped (its hub and every server killed) if available memory falls under this
TIMEOUT = float(os.environ.get("HUB_BENCH_TIMEOUT", "900"))
PROGRESS = re.compile(r'new EventSource\("([^"]+)"\)')  # the spawn-pending page's progress stream
CONFIG_DATA = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)


def hub_visit(hub_url: str, login: str, name: str, t: Trainee, barrier: threading.Barrier) -> None:
    """One hub user, as a browser does it: log in; while the server starts, the hub's spawn-pending page listens to the
    hub's progress event stream (one request, not a page a second) and reloads once it says ready; then the page's
    websocket. Times to ``t``."""
    barrier.wait()
    t0 = time.perf_counter()
    client = None
    try:
        s = requests.Session()
        form = s.get(f"{hub_url}/hub/login", timeout=TIMEOUT)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
        s.post(f"{hub_url}/hub/login", data={"username": login, "password": PASSWORD, "_xsrf": xsrf}, timeout=TIMEOUT)
        t1 = time.perf_counter()  # logged in; the hub is starting the server
        page_url = f"{hub_url}/user/{login}/voila/render/{PAGE}"
        while True:
            r = s.get(page_url, timeout=TIMEOUT)
            m = CONFIG_DATA.search(r.text) if r.status_code == 200 else None
            if m is not None:
                break
            if time.perf_counter() - t0 > TIMEOUT:
                raise RuntimeError(f"no page within {TIMEOUT:.0f} s (last HTTP {r.status_code})")
            progress = PROGRESS.search(r.text)
            if progress is not None:  # the spawn-pending page: wait for its event stream to say ready, then reload
                if not wait_ready(s, hub_url + progress.group(1).replace("&amp;", "&")):
                    time.sleep(1.0)
            else:
                time.sleep(1.0)  # the route may reach the proxy a moment after "ready"; a stopped server stays stopped
        t2 = time.perf_counter()
        client = PageClient(f"{hub_url}/user/{login}/", timeout=TIMEOUT)  # the standalone side's client, from the page on
        client.kernel_id = json.loads(m.group(1))["kernelId"]
        client.cookies = {c.name: c.value for c in s.cookies}
        client.cookies.setdefault("_xsrf", secrets.token_hex(16))  # as the page's script sets it
        t.kernel_id = client.kernel_id
        client.connect()
        states = json.dumps(client.widget_states(), ensure_ascii=False)
        if f"Signed in as <b>{name}</b>" not in states:
            raise RuntimeError(f"the page did not sign in {name!r}")
        t3 = time.perf_counter()
        t.times = {"login": t1 - t0, "server+page": t2 - t1, "connect": t3 - t2, "login+page": t3 - t0}
    except Exception as exc:  # noqa: BLE001 - a benchmark counts errors, it does not stop at one
        t.error = f"{type(exc).__name__}: {exc}"
    finally:
        if client is not None:
            client.close()


def wait_ready(s: requests.Session, url: str) -> bool:
    """Read the hub's spawn progress events (``data: {...}`` lines) until one says ready; a failed spawn raises with
    the hub's message (a person would see it on the page, with a button to start the server again)."""
    with s.get(url, stream=True, timeout=TIMEOUT, headers={"Accept": "text/event-stream"}) as events:
        if events.status_code != 200:  # e.g. 400 "not starting": the server is up, or its start failed just now
            return False
        for line in events.iter_lines():
            if line.startswith(b"data:"):
                event = json.loads(line[5:])
                if event.get("failed"):
                    raise RuntimeError(f"the hub says: {event.get('message')}")
                if event.get("ready"):
                    return True
    return False


def tree_pss(root: psutil.Process) -> tuple[float, int]:
    """PSS of a process and all its descendants (bytes), and how many processes."""
    total, count = 0, 0
    for p in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_full_info().pss
            count += 1
    return total, count


def user_servers_pss(hub_pid: int) -> dict[str, float]:
    """PSS of each user's server with its fork server, chart renderer and kernels, by hub user."""
    out: dict[str, float] = {}
    for child in psutil.Process(hub_pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "workbook.serving.launch singleuser" in " ".join(child.cmdline()):
                out[child.environ().get("JUPYTERHUB_USER", str(child.pid))] = tree_pss(child)[0]
    return out


def standalone_wave(pg: PgServer, tmp: Path, n: int) -> dict:
    """N light clients at once on one standalone server (Module 1 pool of N)."""
    url = pg.create_database(f"standalone_{n}")
    env = {"WORKBOOK_DB_URL": url, "WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": f"{PAGE}={n}", "WORKBOOK_MAX_KERNELS": str(max(80, 2 * n + 30)),
           "WORKBOOK_MAX_KERNELS_PER_CLIENT": str(n + 10)}  # every light client comes from 127.0.0.1
    server = VoilaServer.start(tmp / f"standalone-{n}", env=env, timeout=TIMEOUT)
    try:
        server.wait_kernels(lambda k: k >= n, timeout=TIMEOUT)
        server.wait_quiet(timeout=TIMEOUT)
        idle = pss_bytes(server)
        trainees = bench_trainees(server, n)
        barrier = threading.Barrier(n)
        threads = [threading.Thread(target=trainee_visit, args=(server, t, barrier)) for t in trainees]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        ok = [t for t in trainees if not t.error]
        for t in ok:
            t.times["login+page"] = t.times["page"] + t.times["connect"] + t.times["signin"]
        pss = pss_bytes(server)
        procs = len(server.processes())
        shutdown_kernels(server, [t.kernel_id for t in trainees])
        return {"side": "standalone", "n": n, "ok": ok, "errors": [t.error for t in trainees if t.error], "pss": pss,
                "idle": idle, "processes": procs}
    finally:
        server.stop()


def hub_wave(pg: PgServer, tmp: Path, n: int) -> dict:
    """N hub users log in at once and open Module 1 through a fresh hub (each user's server started by the login)."""
    from workbook.auth.identity import Identity
    from workbook.settings import load_settings
    from workbook.store import Database, create_cohort, invite

    url = pg.create_database(f"hub_{n}")
    db = Database(url, load_settings({"WORKBOOK_DB_URL": url, "WORKBOOK_DATA_DIR": str(tmp)}))
    cid = create_cohort(db, Identity.admin(), f"Hub benchmark {n}")
    users = {f"bench{n}-{i + 1}": f"Hub trainee {i + 1}" for i in range(n)}
    trainees = {login: Trainee(invite(db, Identity.admin(), cid, name, "trainee", login=login)[0], "") for login, name in users.items()}
    db.dispose()
    folder = tmp / f"hub-{n}"
    folder.mkdir()
    # a login wave on 2 cores: servers start for minutes, not the example's 120 s
    extra = f"c.Spawner.start_timeout = {int(TIMEOUT)}\nc.Spawner.http_timeout = {int(TIMEOUT)}\n"
    with running_hub(folder, url, set(users), extra=extra) as hub:
        base_pss, base_procs = tree_pss(psutil.Process(hub["proc"].pid))
        before = psutil.virtual_memory().available
        watch = MemoryWatch(hub["proc"].pid)
        barrier = threading.Barrier(n)
        threads = [threading.Thread(target=hub_visit, args=(hub["url"], login, users[login], t, barrier)) for login, t in trainees.items()]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        used = before - psutil.virtual_memory().available  # every page still open
        watch.stop()
        pss, procs = tree_pss(psutil.Process(hub["proc"].pid)) if not watch.stopped_wave else (float("nan"), 0)
        per_user = user_servers_pss(hub["proc"].pid) if not watch.stopped_wave else {}
        with contextlib.suppress(psutil.Error):
            hub["seen"].update(psutil.Process(hub["proc"].pid).children(recursive=True))
    ok = [t for t in trainees.values() if not t.error]
    return {"side": "hub", "n": n, "ok": ok, "errors": [t.error for t in trainees.values() if t.error], "pss": pss, "idle": base_pss,
            "processes": procs, "per_user": per_user, "base_processes": base_procs, "used": used, "before": before,
            "lowest_available": watch.lowest, "stopped": watch.stopped_wave}


class MemoryWatch(threading.Thread):
    """Watches the machine's available memory during a hub wave (its lowest figure); kills the hub and every server it
    started if it falls under FLOOR, so a wave too large for the machine stops instead of waking the kernel's OOM killer."""

    def __init__(self, hub_pid: int) -> None:
        super().__init__(daemon=True)
        self.hub_pid, self.lowest, self.stopped_wave = hub_pid, psutil.virtual_memory().available, False
        self._done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self._done.wait(0.25):
            available = psutil.virtual_memory().available
            self.lowest = min(self.lowest, available)
            if available < FLOOR and not self.stopped_wave:
                self.stopped_wave = True
                print(f"   available memory {available / MB:.0f} MB < {FLOOR / MB:.0f} MB: stopping the wave", flush=True)
                with contextlib.suppress(psutil.Error):
                    hub = psutil.Process(self.hub_pid)
                    for p in [*hub.children(recursive=True), hub]:
                        with contextlib.suppress(psutil.Error):
                            p.kill()

    def stop(self) -> None:
        self._done.set()
        self.join()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", default="10,30,60", help="users per wave, comma-separated")
    args = ap.parse_args(argv)
    waves = [int(x) for x in args.users.split(",") if x.strip()]
    if not PROXY.exists():
        print(f"{PROXY} is missing: run `make hub-proxy` first", file=sys.stderr)
        return 1
    mem = psutil.virtual_memory()
    print(f"machine: {os.cpu_count()} cores, {mem.total / 2**30:.1f} GB, {mem.available / 2**30:.1f} GB available, "
          f"load average {os.getloadavg()[0]:.1f} (shared with other work)", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="wb-bench-hub-"))
    pg = PgServer(max_connections=40 + 6 * max(waves)).start()  # a few connections per page kernel and server
    results, skipped = [], []
    per_user = PER_USER_GUESS
    try:
        for n in waves:
            res = standalone_wave(pg, tmp, n)
            results.append(res)
            print(f"standalone N={n}: login+page p95 {pct([t.times['login+page'] for t in res['ok']], .95):.2f} s, "
                  f"errors {len(res['errors'])}, PSS {res['pss'] / MB:.0f} MB", flush=True)
            available = psutil.virtual_memory().available
            need = n * per_user + SPARE
            if need > available:
                skipped.append((n, n * per_user, available))
                print(f"hub N={n}: not run: {n} users x {per_user / MB:.0f} MB = {n * per_user / 2**30:.1f} GB "
                      f"(+ {SPARE / 2**30:.0f} GB to spare) > {available / 2**30:.1f} GB available", flush=True)
                continue
            res = hub_wave(pg, tmp, n)
            results.append(res)
            if not res["stopped"]:  # the machine's memory this wave took at its peak, per user, replaces the guess
                per_user = int((res["before"] - res["lowest_available"]) / n)
            print(f"hub N={n}: login+page p95 {pct([t.times['login+page'] for t in res['ok']], .95):.2f} s, "
                  f"errors {len(res['errors'])}, PSS {res['pss'] / MB:.0f} MB", flush=True)
            for e in res["errors"][:3]:
                print(f"   error: {e}")
    finally:
        pg.stop()
        pg.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nHub benchmark: N people open {PAGE} at once (load average {os.getloadavg()[0]:.1f} at the end; 2 shared cores)")
    print("login+page in seconds (p50 / p95 / max); memory PSS in MB at the wave's end, every page open")
    print(f"{'side':>10} {'N':>3} {'login+page p50/p95/max':>24} {'errors':>6} {'PSS total':>9} {'per person':>10}  parts (p95)")
    for r in results:
        lp = [t.times["login+page"] for t in r["ok"]]
        parts = ("login", "server+page", "connect") if r["side"] == "hub" else ("page", "connect", "signin")
        detail = ", ".join(f"{ph} {pct([t.times[ph] for t in r['ok']], .95):.2f}" for ph in parts)
        print(f"{r['side']:>10} {r['n']:>3} {pct(lp, .5):7.2f}/{pct(lp, .95):7.2f}/{max(lp, default=float('nan')):7.2f} "
              f"{len(r['errors']):>6} {r['pss'] / MB:9.0f} {r['pss'] / MB / r['n']:10.0f}  {detail}")
    for r in results:
        if r["side"] == "hub" and r["per_user"]:
            values = sorted(v / MB for v in r["per_user"].values())
            print(f"hub N={r['n']}: each user's server with its Module 1 page PSS {values[0]:.0f}-{values[-1]:.0f} MB "
                  f"(median {values[len(values) // 2]:.0f}); the hub, proxy, culler and rater service before the wave "
                  f"{r['idle'] / MB:.0f} MB ({r['base_processes']} processes)")
        if r["side"] == "hub":
            print(f"hub N={r['n']}: the machine's memory the wave took (available before it, less available at its lowest "
                  f"/ at its end): {(r['before'] - r['lowest_available']) / MB:.0f} / {r['used'] / MB:.0f} MB, "
                  f"{(r['before'] - r['lowest_available']) / MB / r['n']:.0f} / {r['used'] / MB / r['n']:.0f} MB per user"
                  + (" - STOPPED: available memory fell under the floor" if r["stopped"] else ""))
        elif r["side"] == "standalone":
            print(f"standalone N={r['n']}: the server idle with its pool of {r['n']} {r['idle'] / MB:.0f} MB; "
                  f"{r['processes']} processes at the wave's end")
    for n, need, available in skipped:
        print(f"hub N={n}: NOT RUN: {n} users x {need / n / MB:.0f} MB = {need / 2**30:.1f} GB, with "
              f"{SPARE / 2**30:.0f} GB to spare more than the {available / 2**30:.1f} GB available")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
