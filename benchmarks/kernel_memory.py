"""What a page kernel costs in memory: today's design against the forked kernels, in one run.

    .venv/bin/python benchmarks/kernel_memory.py [--kernels 5] [--designs exec,fork] [--imports]

For each design a real Voila server is started: *exec*, the design before #17 (settings
``kernel_launch=exec``, ``chart_renderer=kernel``, one pool per page from the start: one fresh
Python per kernel drawing its own charts); *fork+allpools*, forked kernels and the shared chart
renderer with those same pools; *fork*, today's defaults (pools sized to demand):

1. with the default pools (what ``make serve`` starts): the idle total of the server's process
   tree — the sum of PSS (each shared page split between the processes sharing it: what the
   machine really spends), and, for comparison, of RSS (shared pages counted in every process);
2. with a Module 1 pool of ``--kernels``: that many light clients open Module 1, sign in with
   their own code and answer five items (their results chart is drawn), then each Module 1
   kernel's USS (memory no other process shares: freed when the kernel goes), PSS and RSS
   (``psutil.Process.memory_full_info``), median over the kernels.

Ratios fork / exec are printed; targets (#17): USS per Module 1 kernel <= 100 MB, idle <= 1 GB.
``--imports`` adds where a page kernel's import time and memory go (``python -X importtime`` and
``tracemalloc`` of ``workbook.ui.pages.module``, by top-level package).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
from servers import VoilaServer  # noqa: E402
from workshop import PAGE, bench_trainees, shutdown_kernels, trainee_visit  # noqa: E402

# exec: the design before #17 (its default pools too: one kernel for every page from the start);
# fork+allpools: forked kernels and the shared renderer with those same pools; fork: today's defaults
# (pools sized to demand).
DESIGNS = {
    "exec": {"WORKBOOK_KERNEL_LAUNCH": "exec", "WORKBOOK_CHART_RENDERER": "kernel", "WORKBOOK_POOL_SIZE": "1",
             "WORKBOOK_DEMAND_POOL_SIZE": "0"},
    "fork+allpools": {"WORKBOOK_KERNEL_LAUNCH": "fork", "WORKBOOK_CHART_RENDERER": "shared", "WORKBOOK_POOL_SIZE": "1",
                      "WORKBOOK_DEMAND_POOL_SIZE": "0"},
    "fork": {"WORKBOOK_KERNEL_LAUNCH": "fork", "WORKBOOK_CHART_RENDERER": "shared"},
}
MB = 2**20


def tree_memory(server: VoilaServer) -> dict[str, float]:
    """Sums over the server's process tree, in MB: pss, rss, uss; and the process count."""
    out = {"pss": 0.0, "rss": 0.0, "uss": 0.0, "processes": 0}
    for p in server.processes():
        with contextlib.suppress(psutil.Error):
            m = p.memory_full_info()
            out["pss"] += m.pss / MB
            out["rss"] += m.rss / MB
            out["uss"] += m.uss / MB
            out["processes"] += 1
    return out


def idle_total(design: str, timeout: float) -> dict[str, float]:
    """The default pools (``make serve``), quiet: memory of the whole tree."""
    tmp = Path(tempfile.mkdtemp(prefix=f"wb-bench-mem-idle-{design}-"))
    t0 = time.perf_counter()
    server = VoilaServer.start(tmp, env=dict(DESIGNS[design]), timeout=timeout)
    try:
        pooled = server.settings.pooled_kernels()
        server.wait_kernels(lambda k: k >= pooled, timeout=timeout)
        server.wait_quiet(timeout=timeout)
        up = time.perf_counter() - t0
        mem = tree_memory(server)
        mem.update(kernels=server.kernel_count(), startup=up, load=os.getloadavg()[0])
        return mem
    finally:
        server.stop()


def warm_kernels(design: str, count: int, timeout: float) -> dict[str, object]:
    """``count`` Module 1 kernels, each with a signed-in trainee who answered five items."""
    tmp = Path(tempfile.mkdtemp(prefix=f"wb-bench-mem-warm-{design}-"))
    env = {**DESIGNS[design], "WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": f"{PAGE}={count}",
           "WORKBOOK_POOL_REFILL_SECONDS": "3600"}
    server = VoilaServer.start(tmp, env=env, timeout=timeout)
    try:
        server.wait_kernels(lambda k: k >= count, timeout=timeout)
        server.wait_quiet(timeout=timeout)
        pooled = tree_memory(server)
        trainees = bench_trainees(server, count)
        for t in trainees:  # one after the other: memory, not speed, is measured here
            trainee_visit(server, t, threading.Barrier(1))
        errors = [t.error for t in trainees if t.error]
        time.sleep(2.0)  # the results redraw (0.4 s after the last answer) has run
        server.wait_quiet(timeout=timeout)
        pids = server.kernel_ids()
        per = []
        for t in trainees:
            with contextlib.suppress(psutil.Error, KeyError):
                m = psutil.Process(pids[t.kernel_id]).memory_full_info()
                per.append({"uss": m.uss / MB, "pss": m.pss / MB, "rss": m.rss / MB})
        total = tree_memory(server)
        helpers = {}
        for p in server.processes()[1:]:
            with contextlib.suppress(psutil.Error):
                cmd = " ".join(p.cmdline())
                for key in ("forkserver", "chart_server"):
                    if key in cmd:
                        m = p.memory_full_info()
                        helpers[key] = {"uss": m.uss / MB, "pss": m.pss / MB, "rss": m.rss / MB}
        shutdown_kernels(server, [t.kernel_id for t in trainees])
        return {"per": per, "errors": errors, "pooled_total": pooled, "total": total, "helpers": helpers,
                "load": os.getloadavg()[0]}
    finally:
        server.stop()


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows) if rows else float("nan")


def import_costs() -> None:
    """Import time (``-X importtime``) and memory (tracemalloc) of a page kernel's imports, by package."""
    code = "import ipykernel.ipkernel, ipywidgets\nfrom workbook.ui.pages.module import module_page"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=ROOT)
    by_pkg: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        top = name.split(".")[0]
        by_pkg[top] = by_pkg.get(top, 0.0) + int(self_us) / 1e6
    total = sum(by_pkg.values())
    print(f"\nimport time of a page kernel's imports (ipykernel, ipywidgets, the module page): {total:.2f} s in all (self time by package)")
    for pkg, s in sorted(by_pkg.items(), key=lambda kv: -kv[1])[:14]:
        print(f"  {pkg:<22} {s:6.2f} s  {s / total:5.1%}")
    snippet = (
        "import tracemalloc, collections, sys\ntracemalloc.start(40)\n" + code + "\n"
        "snap = tracemalloc.take_snapshot()\nby = collections.Counter()\n"
        "def owner(tb):\n"
        "    for fr in reversed(tb):  # the innermost frame of a package (importlib's own frames skipped)\n"
        "        f = fr.filename\n"
        "        if 'site-packages/' in f: return f.split('site-packages/')[1].split('/')[0].removesuffix('.py')\n"
        "        if '/workbook/' in f: return 'workbook'\n"
        "    return 'stdlib/other'\n"
        "for st in snap.statistics('traceback'):\n"
        "    by[owner(st.traceback)] += st.size\n"
        "total = sum(by.values())\nprint(f'{total / 2**20:.1f}')\n"
        "for k, v in by.most_common(12): print(f'{k}\\t{v / 2**20:.1f}')\n"
        "heavy = ['pandas', 'numpy', 'altair', 'vl_convert', 'sqlalchemy', 'pydantic', 'jsonschema', 'yaml', 'jinja2', 'narwhals']\n"
        "print('loaded: ' + ', '.join(m for m in heavy if sys.modules.get(m) is not None))\n"
    )
    out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    if out:
        print(f"Python objects allocated by those imports (tracemalloc): {out[0]} MB, by package:")
        for line in out[1:-1]:
            pkg, mb = line.split("\t")
            print(f"  {pkg:<22} {float(mb):6.1f} MB")
        print(f"  {out[-1]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernels", type=int, default=5, help="warm Module 1 kernels measured per design")
    ap.add_argument("--designs", default="exec,fork", help=f"the first is the baseline; of {', '.join(DESIGNS)}")
    ap.add_argument("--idle-designs", default="exec,fork+allpools,fork", help="designs whose idle total is measured")
    ap.add_argument("--skip-idle", action="store_true", help="skip the default-pools idle total")
    ap.add_argument("--imports", action="store_true", help="also show where a page kernel's import time and memory go")
    ap.add_argument("--timeout", type=float, default=1200)
    args = ap.parse_args(argv)
    designs = [d.strip() for d in args.designs.split(",") if d.strip()]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    warm, idle = {}, {}
    for d in designs:
        warm[d] = warm_kernels(d, args.kernels, args.timeout)
        w = warm[d]
        print(f"{d}: {len(w['per'])} warm Module 1 kernels, USS median {median(w['per'], 'uss'):.0f} MB, PSS {median(w['per'], 'pss'):.0f}, "
              f"RSS {median(w['per'], 'rss'):.0f}; errors {len(w['errors'])} (load {w['load']:.1f})", flush=True)
    idle_designs = [] if args.skip_idle else [d.strip() for d in args.idle_designs.split(",") if d.strip()]
    for d in idle_designs:
        idle[d] = idle_total(d, args.timeout)
        i = idle[d]
        print(f"{d}: idle with its default pools, {i['kernels']} kernels: PSS {i['pss']:.0f} MB, RSS {i['rss']:.0f} MB, "
              f"up in {i['startup']:.0f} s (load {i['load']:.1f})", flush=True)
    base = designs[0]
    print(f"\nMemory per Module 1 kernel, warm (page drawn, signed in, five answers, results chart drawn); median of {args.kernels}:")
    print(f"{'design':<14} {'USS MB':>8} {'PSS MB':>8} {'RSS MB':>8} {'USS ÷ ' + base:>12} {'load':>6}")
    for d in designs:
        per = warm[d]["per"]
        print(f"{d:<14} {median(per, 'uss'):8.0f} {median(per, 'pss'):8.0f} {median(per, 'rss'):8.0f} "
              f"{median(per, 'uss') / median(warm[base]['per'], 'uss'):12.2f} {warm[d]['load']:6.1f}")
    for d in designs:
        for name, m in warm[d]["helpers"].items():
            print(f"  {d}: shared {name} process USS {m['uss']:.0f} MB, PSS {m['pss']:.0f} MB, RSS {m['rss']:.0f} MB (once per server)")
        t = warm[d]["total"]
        print(f"  {d}: server tree with {args.kernels} warm Module 1 kernels: PSS {t['pss']:.0f} MB, RSS {t['rss']:.0f} MB")
    if idle:
        print("\nIdle server, default pools (what `make serve` starts):")
        first = idle_designs[0]
        print(f"{'design':<14} {'kernels':>8} {'PSS MB':>8} {'RSS MB':>8} {'PSS ÷ ' + first:>12} {'start s':>8} {'load':>6}")
        for d in idle_designs:
            i = idle[d]
            print(f"{d:<14} {i['kernels']:8d} {i['pss']:8.0f} {i['rss']:8.0f} {i['pss'] / idle[first]['pss']:12.2f} {i['startup']:8.0f} {i['load']:6.1f}")
    last = designs[-1]
    uss = median(warm[last]["per"], "uss")
    print(f"\ntarget USS per Module 1 kernel <= 100 MB ({last}): {uss:.0f} MB -> {'met' if uss <= 100 else 'NOT met'}")
    if idle:
        final = idle_designs[-1]
        print(f"target idle `make serve` <= 1 GB ({final}, PSS): {idle[final]['pss']:.0f} MB -> {'met' if idle[final]['pss'] <= 1024 else 'NOT met'}")
    if args.imports:
        import_costs()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
