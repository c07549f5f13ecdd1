"""Reports for a 30-person cohort: the plain loop a user would write against `workbook report cohort`.

(a) per person (and once for the cohort): `papermill` CLI, then `jupyter nbconvert --to html`
    CLI (and, for PDF, Debian's `chromium --headless --print-to-pdf` on that HTML);
(b) `workbook report cohort NAME --format html` (and `html,pdf`): one kernel per worker reused
    for every report, parallel workers, own HTML template, one Chromium page per worker.
Both in the same run on the same database; prints both times and the ratio (b)/(a) (target <= 0.25).

    .venv/bin/python benchmarks/reports.py [--people 30] [--workers 2]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COHORT = "Bench cohort"


def build(people: int) -> dict[str, int]:
    """A cohort of ``people`` trainees whose answers repeat the demo cohort's; returns name -> id."""
    from workbook.auth.identity import Identity
    from workbook.store import create_cohort, invite, open_database, save_answer
    from workbook.store.demo import read_demo

    db, admin = open_database(), Identity.admin()
    cid = create_cohort(db, admin, COHORT)
    invite(db, admin, cid, "Coach", "coach")
    demo, answers = read_demo()
    ids = {}
    for n in range(people):
        name = f"Trainee {n + 1:02d}"
        pid, _ = invite(db, admin, cid, name, "trainee")
        ids[name] = pid
        k = n % len(demo.trainees) + 1
        for a in answers:
            if a["trainee"] == k:
                save_answer(db, admin, pid, a["module"], a["exercise"], a["item"], a["value"])
    return ids


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def plain_loop(ids: dict[str, int], out: Path, pdf: bool, env: dict) -> float:
    """(a) what a user would script: papermill CLI then nbconvert CLI (then chromium) per report."""
    out.mkdir(parents=True)
    admin = ["-p", "reader_role", "admin"]  # the report notebooks have no default reader
    jobs = [("individual.ipynb", f"person-{pid}", ["-p", "person_id", str(pid), *admin]) for pid in ids.values()]
    jobs.append(("cohort.ipynb", "cohort", ["-p", "cohort", COHORT, *admin]))
    start = time.perf_counter()
    for nb, stem, params in jobs:
        executed = out / f"{stem}.ipynb"
        run([str(BIN / "papermill"), str(ROOT / "workbook" / "report_notebooks" / nb), str(executed), *params, "--no-progress-bar"], env)
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
        if pdf:
            run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--print-to-pdf={out / (stem + '.pdf')}", "--no-pdf-header-footer",
                 (out / f"{stem}.html").as_uri()], env)
    return time.perf_counter() - start


def workbook_report(out: Path, fmt: str, workers: int, env: dict) -> float:
    """(b) the workbook's batch command."""
    start = time.perf_counter()
    run([str(BIN / "workbook"), "report", "cohort", COHORT, "--format", fmt, "--output", str(out), "--workers", str(workers)], env)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="wb-bench-reports-") as tmp:
        tmp = Path(tmp)
        os.environ["WORKBOOK_DATA_DIR"] = str(tmp / "data")
        os.environ.pop("WORKBOOK_DB_URL", None)
        ids = build(args.people)
        env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
        print(f"{args.people} trainees + the cohort report = {args.people + 1} reports; {args.workers} workers; {os.cpu_count()} cores", flush=True)
        rows = []
        for label, fmt, pdf in (("HTML", "html", False), ("HTML+PDF", "html,pdf", True)):
            a = plain_loop(ids, tmp / f"plain-{fmt}", pdf, env)
            b = workbook_report(tmp / f"wb-{fmt}", fmt, args.workers, env)
            made = len(list((tmp / f"wb-{fmt}").iterdir()))
            rows.append((label, a, b))
            print(f"{label:9} (a) plain loop {a:7.1f} s   (b) workbook report {b:6.1f} s ({made} files)   ratio (b)/(a) {b / a:.3f}", flush=True)
        worst = max(b / a for _l, a, b in rows)
        print(f"target ratio <= 0.25: {'met' if worst <= 0.25 else 'NOT met'} (worst {worst:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
