"""A workshop's worst minute: N trainees open Module 1 at the same moment, sign in, answer.

    .venv/bin/python benchmarks/workshop.py [--waves 1,10,20,30] [--browsers 3]

Light clients (no browser), each doing what the page's own JavaScript does: HTTP GET of the page,
the kernel websocket (``/api/kernels/<id>/channels``), the widget state request, sign-in with
the trainee's own access code (a ``value`` update of the password widget), then five answers
(``index`` updates of five Likert radio groups). All clients of a wave are released by one
barrier. Printed per wave: p50 / p95 / max of each phase, the ratio to the single-trainee wave,
errors, peak memory of the server and its kernels, and the answers found in the database
against those sent. Then memory after the last wave's pages are gone (idle kernels culled),
and 3 real Chromium pages opened at once against one alone.

Serving policy under test: ``workbook.serving.serve.voila_command`` with ``WORKBOOK_POOLS`` giving
Module 1 a preheated pool as large as the biggest wave (see docs/reference/serving.md, "Serving a workshop").
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from page_client import PageClient  # noqa: E402
from servers import MemoryWatch, VoilaServer  # noqa: E402

PAGE = "01_servuction.ipynb"
MODULE, INSTRUMENT = "m01", "coproduction"
PHASES = ("page", "connect", "signin", "answers", "total")
# Paced mode: seconds a person pauses before each step (the page itself is opened by everyone in
# the same second, as in burst mode). Response times are measured without these pauses.
THINK = {"signin": (4.0, 12.0), "answer": (1.5, 4.0)}
TIMEOUT = float(os.environ.get("WORKSHOP_TIMEOUT", "300"))


# ---------------------------------------------------------------- one light client
@dataclass
class Trainee:
    person_id: int
    code: str
    sent: dict[str, int] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    error: str = ""
    kernel_id: str = ""
    pace: str = "burst"
    cpu: float = 0.0  # CPU seconds of this trainee's client thread
    frames: int = 0  # websocket frames it received

    def think(self, step: str) -> None:
        """Paced mode: the pause a person takes before ``step`` (reading, typing a code, choosing
        an answer), drawn from the trainee's own seeded generator; burst mode: none."""
        if self.pace != "paced":
            return
        rng = self.__dict__.setdefault("_rng", random.Random(self.person_id))
        time.sleep(rng.uniform(*THINK[step]))


def trainee_visit(server: VoilaServer, t: Trainee, barrier: threading.Barrier) -> None:
    """One trainee, what the page's JavaScript sends and waits for (``page_client``): the page; the kernel's model,
    the websocket (kernel info) and the widget states; the code typed and "Sign in" clicked, the kernel done with
    both; the sign-in ticket exchanged for the session cookie; five answers, each saved before the next. The page's
    "is my kernel still there" check every 5 s. Times go to ``t.times``, this thread's CPU seconds to ``t.cpu``."""
    barrier.wait()
    cpu0, t0 = time.thread_time(), time.perf_counter()
    client = PageClient(server.base_url, timeout=TIMEOUT)
    try:
        t.kernel_id = client.open_page(f"/voila/render/{PAGE}")
        t1 = time.perf_counter()
        client.connect()
        states = client.widget_states()
        connected = time.perf_counter()
        password = next(mid for mid, s in states.items() if s["model_name"] == "PasswordModel")
        button = next(mid for mid, s in states.items() if s["model_name"] == "ButtonModel" and s["state"].get("description") == "Sign in")
        t.think("signin")
        t2 = time.perf_counter()
        client.update(password, {"value": t.code})  # the field's change (on leaving it), then the button's click
        client.until_idle(client.click(button))
        if not client.tickets:
            raise RuntimeError("signed-in page shows no sign-in ticket (sign-in failed?)")
        status = client.post_form("/workbook/session", {"ticket": client.tickets[-1]})
        if status != 204:
            raise RuntimeError(f"sign-in ticket refused: HTTP {status}")
        # the page's radio groups: built before sign-in (in the state request) or at sign-in (opened since)
        known = [{"id": mid, **st["state"]} for mid, st in states.items()] + client.opened
        radios = [w for w in known if w.get("_model_name") == "RadioButtonsModel" and "wb-likert" in w.get("_dom_classes", [])]
        if len(radios) < 5:
            raise RuntimeError(f"signed-in page shows {len(radios)} Likert items (sign-in failed?)")
        t3 = time.perf_counter()
        client.state_check_due()
        answering = 0.0
        for j, radio in enumerate(radios[:5]):
            index = (t.person_id + j) % 5
            t.sent[f"item{j}"] = int(radio["_options_labels"][index].split()[0])
            t.think("answer")
            a0 = time.perf_counter()
            client.until_idle(client.update(radio["id"], {"index": index}))
            answering += time.perf_counter() - a0
            client.state_check_due()
        t.times = {"page": t1 - t0, "connect": connected - t1, "signin": t3 - t2, "answers": answering}
        t.times["total"] = sum(t.times.values())
        t.frames = client.frames
    except Exception as exc:  # noqa: BLE001 - a benchmark counts errors, it does not stop at one
        t.error = f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
        t.cpu = time.thread_time() - cpu0


# ---------------------------------------------------------------- the server side
def bench_trainees(server: VoilaServer, count: int, pace: str = "burst") -> list[Trainee]:
    """A workshop cohort of ``count`` fresh trainees in the benchmark's own database."""
    from workbook.auth.identity import Identity
    from workbook.store import Database, create_cohort, invite

    db = Database(server.settings.database_url, server.settings)
    admin = Identity.admin()
    cid = create_cohort(db, admin, f"Workshop benchmark {uuid.uuid4().hex[:6]}")
    out = []
    for i in range(count):
        pid, code = invite(db, admin, cid, f"Bench trainee {i + 1}", "trainee")
        out.append(Trainee(pid, code, pace=pace))
    db.dispose()
    return out


def answers_found(server: VoilaServer, trainees: list[Trainee]) -> tuple[int, int]:
    """(answers in the database equal to what was sent, answers sent)."""
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import Database, current_answers

    items = [it.id for it in catalogue().instrument(INSTRUMENT).items][:5]
    db = Database(server.settings.database_url, server.settings)
    found = sent = 0
    for t in trainees:
        saved = current_answers(db, Identity.admin(), t.person_id, INSTRUMENT)
        for j, item in enumerate(items):
            if f"item{j}" in t.sent:
                sent += 1
                found += saved.get(item) == t.sent[f"item{j}"]
    db.dispose()
    return found, sent


def shutdown_kernels(server: VoilaServer, kernel_ids: list[str]) -> None:
    """What a page does when it is left: POST voila/api/shutdown/<kernel> (with an _xsrf pair)."""
    for kid in filter(None, kernel_ids):
        req = urllib.request.Request(server.url(f"/voila/api/shutdown/{kid}"), data=b"_xsrf=00ff", method="POST",
                                     headers={"Cookie": "_xsrf=00ff", "Content-Type": "application/x-www-form-urlencoded"})
        try:
            urllib.request.urlopen(req, timeout=30).close()
        except Exception:  # noqa: BLE001 - already gone is fine
            pass


def pss_bytes(server: VoilaServer) -> int:
    """Proportional memory of the server and its kernels (a shared page split between its sharers)."""
    import psutil

    total = 0
    for p in server.processes():
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            continue
    return total


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def cpu_seconds(server: VoilaServer) -> dict[int, float]:
    """CPU seconds (user + system) so far of the server (key 0) and of each kernel (by pid)."""
    import psutil

    out: dict[int, float] = {}
    for i, p in enumerate(server.processes()):
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        out[0 if i == 0 else p.pid] = t.user + t.system
    return out


def cpu_split(before: dict[int, float], after: dict[int, float]) -> tuple[float, float]:
    """(server, kernels) CPU seconds spent between two ``cpu_seconds`` snapshots."""
    server = after.get(0, 0.0) - before.get(0, 0.0)
    kernels = sum(v - before.get(pid, 0.0) for pid, v in after.items() if pid != 0)
    return server, kernels


def run_wave(server: VoilaServer, trainees: list[Trainee]) -> dict:
    barrier = threading.Barrier(len(trainees))
    threads = [threading.Thread(target=trainee_visit, args=(server, t, barrier)) for t in trainees]
    cpu0, mine0, wall0 = cpu_seconds(server), time.process_time(), time.perf_counter()
    with MemoryWatch(server) as mem:
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    server_cpu, kernel_cpu = cpu_split(cpu0, cpu_seconds(server))
    clients = sum(t.cpu for t in trainees)  # the light clients' own threads; the rest of this process is the watch
    cpu = {"server": server_cpu, "kernels": kernel_cpu, "clients": clients, "watch": time.process_time() - mine0 - clients,
           "wall": time.perf_counter() - wall0}
    ok = [t for t in trainees if not t.error]
    found, sent = answers_found(server, trainees)
    stats = {ph: (pct([t.times[ph] for t in ok], .5), pct([t.times[ph] for t in ok], .95), max((t.times[ph] for t in ok), default=float("nan"))) for ph in PHASES}
    return {"n": len(trainees), "errors": [t.error for t in trainees if t.error], "stats": stats, "peak": mem.peak, "cpu": cpu,
            "found": found, "sent": sent, "expected": 5 * len(trainees), "frames": sum(t.frames for t in ok) / max(1, len(ok))}


# ---------------------------------------------------------------- real browsers
async def browser_pages(server: VoilaServer, codes: list[str]) -> list[float]:
    """Open len(codes) Chromium pages at once; seconds from navigation to the first answer saved."""
    from playwright.async_api import async_playwright

    async def one(browser, code: str) -> float:
        context = await browser.new_context(viewport={"width": 1200, "height": 900})
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT * 1000)
        t0 = time.perf_counter()
        await page.goto(server.page_url(PAGE), wait_until="commit")
        await page.fill("input[type=password]", code)
        await page.click("button:has-text('Sign in')")
        await page.locator(".wb-likert").nth(0).locator("label").nth(2).click()
        await page.wait_for_selector(".wb-ok:has-text('All answers saved')")
        took = time.perf_counter() - t0
        await page.close(run_before_unload=True)
        await context.close()
        return took

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                          args=launch_args())
        await one(browser, codes[-1])  # warm the browser (not counted)
        result = await asyncio.gather(*(one(browser, c) for c in codes[:-1]))
        await browser.close()
    return list(result)


def launch_args() -> list[str]:
    from servers import CHROMIUM_ARGS

    return CHROMIUM_ARGS


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--waves", default="1,10,20,30", help="trainees per wave, comma-separated")
    ap.add_argument("--modes", default="burst,paced",
                    help="burst: no pause between steps; paced: a person's pauses (THINK) between steps")
    ap.add_argument("--browsers", type=int, default=3, help="real Chromium pages opened at once")
    ap.add_argument("--pool", type=int, default=0, help="Module 1's preheated pool (default: the biggest wave)")
    ap.add_argument("--cull", type=int, default=30, help="idle seconds before a kernel is culled (benchmark only)")
    ap.add_argument("--refill", type=float, default=None, help="pool refill delay in seconds (default: the workbook's setting)")
    ap.add_argument("--design", choices=("fork", "exec"), default=None,
                    help="fork: kernels forked from one preloaded process, charts by one shared renderer (the default "
                         "settings); exec: one fresh Python per kernel drawing its own charts (the design before #17)")
    args = ap.parse_args(argv)
    waves = [int(x) for x in args.waves.split(",") if x.strip()]
    pool = args.pool or max(waves)
    env = {"WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": f"{PAGE}={pool}",
           "WORKBOOK_CULL_IDLE_SECONDS": str(args.cull), "WORKBOOK_CULL_INTERVAL_SECONDS": "5"}
    if args.refill is not None:
        env["WORKBOOK_POOL_REFILL_SECONDS"] = str(args.refill)
    if args.design is not None:
        env["WORKBOOK_KERNEL_LAUNCH"] = args.design
        env["WORKBOOK_CHART_RENDERER"] = "shared" if args.design == "fork" else "kernel"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; settings {env}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="wb-bench-workshop-"))
    t0 = time.perf_counter()
    server = VoilaServer.start(tmp, env=env, timeout=900)
    print(f"server up with {server.kernel_count()} preheated kernels in {time.perf_counter() - t0:.0f} s", flush=True)
    results = []
    try:
        idle = server.rss_bytes()
        print(f"idle memory (server + preheated kernels): RSS {idle / 2**20:.0f} MB, PSS {pss_bytes(server) / 2**20:.0f} MB "
              "(RSS counts pages shared by forked kernels once per kernel; PSS splits them)", flush=True)
        modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        plan = [(mode, n) for mode in modes for n in waves]
        for i, (mode, n) in enumerate(plan):
            server.wait_kernels(lambda k: k >= pool, timeout=900)  # the pool refilled after the last wave
            server.wait_quiet(timeout=900)
            trainees = bench_trainees(server, n, mode)
            res = run_wave(server, trainees)
            res["mode"] = mode
            results.append(res)
            p95 = ", ".join(f"{ph} {res['stats'][ph][1]:.2f}" for ph in PHASES)
            print(f"{mode} wave {n:>2}: p95 {p95} s; errors {len(res['errors'])}; "
                  f"answers {res['found']}/{res['expected']}; peak {res['peak'] / 2**20:.0f} MB", flush=True)
            for e in res["errors"][:3]:
                print(f"   error: {e}")
            if i < len(plan) - 1:
                shutdown_kernels(server, [t.kernel_id for t in trainees])
        # The last wave's pages vanish without a goodbye: culling must end their kernels, the
        # pool is refilled, and memory comes back to where it was before the first wave.
        t_left = time.perf_counter()
        last_ids = {t.kernel_id for t in trainees if t.kernel_id}
        back = None
        deadline = time.perf_counter() + args.cull + 300
        while time.perf_counter() < deadline:
            alive = set(server.kernel_ids())
            if not (alive & last_ids) and len(alive) == pool and server.rss_bytes() <= idle * 1.10:
                back = time.perf_counter() - t_left
                break
            time.sleep(2)
        after = server.rss_bytes()
        print(f"memory after the last wave left: {after / 2**20:.0f} MB (idle {idle / 2**20:.0f} MB)"
              + (f", its kernels culled, the pool refilled and memory within 10% of idle after {back:.0f} s"
                 if back is not None else ", NOT back to idle"), flush=True)
        browsers = []
        if args.browsers:
            server.wait_quiet(timeout=900)
            codes = [t.code for t in bench_trainees(server, args.browsers + 3)]
            try:
                alone = asyncio.run(browser_pages(server, codes[:2]))
                server.wait_quiet(timeout=900)
                together = asyncio.run(browser_pages(server, codes[2:]))
                browsers = [alone, together]
            except Exception as exc:  # noqa: BLE001 - report it with the server's log, keep the figures
                print(f"real Chromium pages failed: {type(exc).__name__}: {str(exc)[:300]}\n{server.log_tail()}", flush=True)
    finally:
        server.stop()

    print(f"\nWorkshop benchmark: {PAGE}, Module 1 pool {pool}, cull after {args.cull} s idle "
          f"(load average {os.getloadavg()[0]:.1f} at the end; the machine is shared)")
    print("response times in seconds (pauses excluded): p50 / p95 / max, and p95 / p95 of the single trainee of the same mode")
    for mode in dict.fromkeys(r["mode"] for r in results):
        rows = [r for r in results if r["mode"] == mode]
        base = rows[0]["stats"] if rows[0]["n"] == 1 else None
        print(f"{mode}:" + (f" pauses {THINK}" if mode == "paced" else " every step right after the previous one"))
        print(f"{'N':>3} " + " ".join(f"{ph:>24}" for ph in PHASES) + "  errors  answers in DB  peak MB")
        for res in rows:
            cells = []
            for ph in PHASES:
                p50, p95, mx = res["stats"][ph]
                ratio = p95 / base[ph][1] if base and base[ph][1] else float("nan")
                cells.append(f"{p50:5.2f}/{p95:5.2f}/{mx:5.2f} {ratio:4.1f}x")
            print(f"{res['n']:>3} " + " ".join(f"{c:>24}" for c in cells)
                  + f"  {len(res['errors']):>6}  {res['found']:>5}/{res['expected']:<5}  {res['peak'] / 2**20:7.0f}")
    print("CPU seconds of each wave (all processes on this machine share its cores):")
    for res in results:
        c, n = res["cpu"], res["n"]
        print(f"  {res['mode']:>6} N={n:>2}: wall {c['wall']:.2f} s; Voila server {c['server']:.2f}, kernels {c['kernels']:.2f}, light clients {c['clients']:.2f}"
              f" -> {(c['server'] + c['kernels'] + c['clients']) / n:.3f} CPU s per trainee (server {c['server'] / n:.3f}, kernels"
              f" {c['kernels'] / n:.3f}, clients {c['clients'] / n:.3f}); the benchmark's memory watch {c['watch']:.2f};"
              f" {res['frames']:.0f} websocket messages to each page")
    print(f"memory: idle {idle / 2**20:.0f} MB; after the last wave left "
          + (f"kernels culled, pool refilled, within 10% of idle after {back:.0f} s" if back is not None else "NOT back to idle")
          + f" (now {after / 2**20:.0f} MB)")
    if browsers:
        alone, together = browsers
        print(f"real Chromium, navigation -> signed in -> first answer saved: alone {statistics.median(alone):.2f} s; "
              f"{len(together)} at once: {', '.join(f'{x:.2f}' for x in together)} s "
              f"(median {statistics.median(together) / statistics.median(alone):.1f}x alone)")
    for mode in dict.fromkeys(r["mode"] for r in results):
        rows = [r for r in results if r["mode"] == mode]
        if rows[0]["n"] != 1 or len(rows) < 2:
            continue
        last = rows[-1]
        ratio = last["stats"]["total"][1] / rows[0]["stats"]["total"][1]
        ok = ratio <= 2 and not any(r["errors"] for r in rows) and all(r["found"] == r["expected"] for r in rows) and back is not None
        print(f"target, {mode} (N={last['n']}: p95 <= 2x single, 0 errors, every answer saved, memory back): "
              f"ratio {ratio:.2f} -> {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
