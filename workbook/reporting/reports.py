"""Produce reports: run the report notebooks with papermill, export HTML (own template, no code,
no script, no CDN) and PDF (Debian's Chromium printing the HTML; no browser is downloaded).

Speed: a papermill run normally starts a kernel per report (2–4 s of imports each). Here each
worker thread starts ONE kernel and runs every report it gets in it (papermill's engine hook:
``workbook-reuse``), clearing the kernel's namespace before each run so no report sees the
previous one's variables; each worker also keeps one headless Chromium page for its PDFs.
A failing report is recorded with its reason and the batch goes on.
"""
from __future__ import annotations

import importlib.util
import os
import queue
import re
import subprocess
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbook.auth.identity import Identity
from workbook.errors import WorkbookError
from workbook.files import narrow, private_dir, private_file, write_private_text
from workbook.i18n import DEFAULT_LANGUAGE, _, check_language, using
from workbook.logs import logger
from workbook.settings import REPO_ROOT, Settings, get_settings

FORMATS = ("html", "pdf")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PACKAGE = Path(__file__).resolve().parent.parent  # templates, static and report_notebooks stay at the package root
TEMPLATES = PACKAGE / "templates"
# The report notebooks live in the package, outside the folder Voila serves: no visitor can open them.
REPORT_NOTEBOOKS = PACKAGE / "report_notebooks"
CSS = PACKAGE / "static" / "report.css"
# forget every name the previous report defined (cheaper than %reset, which also collects garbage)
RESET_CELL = "[get_ipython().user_ns.pop(_k) for _k in [_k for _k in get_ipython().user_ns if not _k.startswith('_') and _k not in get_ipython().user_ns_hidden]]"


@dataclass(frozen=True)
class ReportTask:
    """One report to produce: an individual (``target`` = person id) or a cohort (``target`` = name)."""

    kind: str  # "person" | "cohort"
    target: int | str
    stem: str  # file name without extension
    label: str  # how a failure is named ("Ann Smith (person 12)")
    language: str = ""  # the report's language: the person's own, the cohort's default ("" : English unless the run names one)
    name: str = ""  # the person's name in the report's title (a person's report)


def report_title(task: ReportTask) -> str:
    """The report's title (its HTML ``<title>``) in the language current: kind and whose report."""
    if task.kind == "person":
        return _("Individual report: {name}").format(name=task.name or task.target)
    if task.kind == "cohort":
        return _("Cohort report: {cohort}").format(cohort=task.target)
    if task.kind == "facilitator":
        return _("Facilitator guide: {cohort}").format(cohort=task.target) if task.target else _("Facilitator guide")
    from workbook.content.catalogue import catalogue

    return _("Handout, Module {number}").format(number=catalogue().module(str(task.target)).number)


@dataclass
class Outcome:
    task: ReportTask
    files: list[Path] = field(default_factory=list)
    error: str | None = None


def slug(text: str) -> str:
    """A file-name-safe ASCII form of a name."""
    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:60] or "x"


def parse_formats(raw: str | Iterable[str]) -> tuple[str, ...]:
    """``"html,pdf"`` -> ("html", "pdf"); a PDF is printed from the HTML, so html is always made."""
    items = [f.strip().lower() for f in (raw.split(",") if isinstance(raw, str) else raw) if f.strip()]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise WorkbookError(f"--format {','.join(items) or '(empty)'}: use html, pdf or html,pdf")
    return tuple(f for f in FORMATS if f in items)


def person_task(db, actor: Identity, person_id: int) -> ReportTask:
    """One person's report, in the person's language (their choice, else their cohort's default)."""
    from workbook.store import get_person, language_of

    p = get_person(db, actor, person_id)
    return ReportTask("person", p.id, f"person-{p.id}-{slug(p.name)}", f"{p.name} (person {p.id})", language_of(db, actor, p.id), name=p.name)


def cohort_tasks(db, actor: Identity, name: str, people: bool = True) -> list[ReportTask]:
    """The cohort report (in the cohort's default language) plus one report per trainee (each in their own)."""
    from workbook.store import cohort_by_name, cohort_language, list_people

    cid = cohort_by_name(db, name)
    tasks = [ReportTask("cohort", name, f"cohort-{slug(name)}", f"cohort {name}", cohort_language(db, actor, cid))]
    if people:
        tasks += [person_task(db, actor, p.id) for p in list_people(db, actor, cid, role="trainee")]
    return tasks


# ---- papermill engine that reuses one kernel ----------------------------------------------------

def _register_engine() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class ReuseEngine(NBClientEngine):
        """Runs the notebook in the worker's running kernel (``km``/``kc``) instead of a new one."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=60, execution_timeout=None, km=None, kc_holder=None, **kwargs):
            first = next(c for c in nb_man.nb.cells if c.cell_type == "code")
            first.source = RESET_CELL + "  # the kernel is reused: forget the previous report\n" + first.source
            client = PapermillNotebookClient(nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                                             kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = kc_holder.get("kc")
            try:
                return client.execute()
            finally:
                kc_holder["kc"] = client.kc

    papermill_engines.register("workbook-reuse", ReuseEngine)


_engine_lock = threading.Lock()
_engine_ready = False


def _ensure_engine() -> None:
    global _engine_ready
    with _engine_lock:
        if not _engine_ready:
            _register_engine()
            _engine_ready = True


def kernel_env(settings: Settings) -> dict[str, str]:
    """The report kernel's environment: the same database and data directory as this process."""
    env = dict(os.environ)
    env["WORKBOOK_DB_URL"] = settings.database_url
    env["WORKBOOK_DATA_DIR"] = str(settings.data_dir)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


class Worker:
    """One thread's kernel (reused for every report it runs) and Chromium page (for PDFs)."""

    def __init__(self, settings: Settings, timeout: int = 300):
        self.settings, self.timeout = settings, timeout
        self.km = None
        self.kc_holder: dict = {}
        self._pw = self._browser = self._page = None
        self._exporter = None

    def _kernel(self):
        if self.km is None or not self.km.is_alive():
            from jupyter_client.manager import KernelManager

            self.close_kernel()
            self.km = KernelManager(kernel_name="python3")
            self.km.start_kernel(env=kernel_env(self.settings), cwd=str(REPORT_NOTEBOOKS))
            self.kc_holder = {}
        return self.km

    def execute(self, notebook: Path, parameters: dict):
        """Run a report notebook with papermill in this worker's kernel; return the executed notebook."""
        import papermill as pm

        _ensure_engine()
        km = self._kernel()
        try:
            return pm.execute_notebook(str(notebook), None, parameters=parameters, engine_name="workbook-reuse", km=km,
                                       kc_holder=self.kc_holder, progress_bar=False, log_output=False,
                                       execution_timeout=self.timeout, kernel_name="python3")
        except pm.PapermillExecutionError as exc:
            raise WorkbookError(f"{exc.ename}: {str(exc.evalue).splitlines()[0] if exc.evalue else ''}".rstrip(": ")) from None
        except Exception:
            self.close_kernel()  # a dead or stuck kernel: start a fresh one for the next report
            raise

    def html(self, nb, title: str, language: str = "en") -> str:
        """The executed notebook as one self-contained HTML page (outputs only)."""
        if self._exporter is None:
            from nbconvert import HTMLExporter

            self._exporter = HTMLExporter(template_name="report", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True)
        body, _resources = self._exporter.from_notebook_node(nb, resources={"wb_css": CSS.read_text(encoding="utf-8"), "wb_title": title, "wb_language": language})
        return body

    def pdf(self, html_path: Path, pdf_path: Path) -> None:
        """Print the HTML to PDF with Debian's Chromium (Playwright; every network request refused)."""
        if not Path(CHROMIUM).exists():
            raise WorkbookError(f"PDF needs Debian's Chromium at {CHROMIUM}: `sudo apt-get install chromium` (or make browser)")
        if importlib.util.find_spec("playwright") is None:  # installed without the pdf extra: one Chromium per PDF
            _chromium_print(html_path, pdf_path)
            return
        if self._page is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            self._page = self._browser.new_page()
            self._page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
        self._page.goto(html_path.resolve().as_uri(), wait_until="load")
        self._page.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)

    def close_kernel(self) -> None:
        kc = self.kc_holder.get("kc")
        if kc is not None:
            _closing("the report kernel's channels", kc.stop_channels)
        if self.km is not None:
            _closing("the report kernel", lambda: self.km.shutdown_kernel(now=True))
        self.km, self.kc_holder = None, {}

    def close(self) -> None:
        self.close_kernel()
        for obj, method in ((self._browser, "close"), (self._pw, "stop")):
            if obj is not None:
                _closing(f"the PDF browser ({method})", getattr(obj, method))
        self._pw = self._browser = self._page = None


def _closing(what: str, stop: Callable[[], object]) -> None:
    """Stop one resource while closing down: a failure is logged (debug) and the rest still closes."""
    try:
        stop()
    except Exception as exc:  # noqa: BLE001 - a kernel or browser already gone may fail in any way; the reports are written
        logger("reports").debug("closing %s failed: %s", what, exc)


def _chromium_print(html_path: Path, pdf_path: Path, timeout: int = 120) -> None:
    """Chromium's own print-to-PDF on one HTML file (slower: a browser start per file)."""
    cmd = [CHROMIUM, "--headless", *CHROMIUM_ARGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not pdf_path.exists():
        raise WorkbookError(f"Chromium could not print {html_path.name} to PDF (exit {done.returncode})")


# the report notebook of each kind of task, and the parameter its target goes into
NOTEBOOKS = {"person": ("individual.ipynb", "person_id"), "cohort": ("cohort.ipynb", "cohort"),
             "facilitator": ("facilitator.ipynb", "cohort"), "handout": ("handout.ipynb", "module")}


def _parameters(task: ReportTask, actor: Identity, as_of: str, language: str, options: dict) -> dict:
    base = {"as_of": as_of or "", "language": language, "reader_role": actor.role, "reader_id": actor.person_id,
            "reader_cohort": actor.cohort_id, "options": options or {}}
    name = NOTEBOOKS[task.kind][1]
    return {**base, name: int(task.target) if name == "person_id" else str(task.target)}


def produce(worker: Worker, task: ReportTask, actor: Identity, output: Path, formats: tuple[str, ...],
            as_of: str = "", language: str = "", options: dict | None = None) -> Outcome:
    """One report: papermill run, HTML, and PDF if asked; failures become the outcome's reason.
    ``language`` (one of workbook.i18n.LANGUAGES) overrides the task's own; neither: English."""
    notebook = REPORT_NOTEBOOKS / NOTEBOOKS[task.kind][0]
    outcome = Outcome(task)
    try:
        language = check_language(language or task.language or DEFAULT_LANGUAGE, "report language")
        nb = worker.execute(notebook, _parameters(task, actor, as_of, language, options or {}))
        html_path = output / f"{task.stem}.html"
        with using(language):
            title = report_title(task)
        write_private_text(html_path, worker.html(nb, title=title, language=language))  # 0600: personal data
        outcome.files.append(html_path)
        if "pdf" in formats:
            pdf_path = private_file(output / f"{task.stem}.pdf")
            worker.pdf(html_path, pdf_path)
            narrow(pdf_path)
            outcome.files.append(pdf_path)
        if "html" not in formats:
            html_path.unlink()
            outcome.files.remove(html_path)
    except WorkbookError as exc:
        outcome.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the batch
        outcome.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else 'failed'}"
    return outcome


def run_reports(tasks: list[ReportTask], actor: Identity, output: Path | str, formats: tuple[str, ...] = ("html",),
                workers: int = 2, as_of: str = "", language: str = "", options: dict | None = None,
                settings: Settings | None = None, on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Produce every report with ``workers`` threads (each with its own kernel and browser page);
    returns one outcome per task, in task order. ``on_done`` is called as each finishes (progress).
    ``language``: every report in that language; empty: each task's own (the person's, the cohort's)."""
    settings = settings or get_settings()
    if language:
        check_language(language, "report language")
    output = Path(output)
    if not output.exists():
        private_dir(output)
    todo: queue.Queue = queue.Queue()
    for n, task in enumerate(tasks):
        todo.put((n, task))
    results: dict[int, Outcome] = {}
    lock = threading.Lock()

    def work() -> None:
        worker = Worker(settings)
        try:
            while True:
                try:
                    n, task = todo.get_nowait()
                except queue.Empty:
                    return
                outcome = produce(worker, task, actor, output, formats, as_of, language, options)
                with lock:
                    results[n] = outcome
                    if on_done:
                        on_done(outcome)
        finally:
            worker.close()

    threads = [threading.Thread(target=work, name=f"workbook-report-{i}", daemon=True) for i in range(max(1, min(workers, len(tasks))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [results[n] for n in range(len(tasks))]
