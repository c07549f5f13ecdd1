"""The built wheel works outside the checkout (issue #14): `pip install` into a fresh venv, then, from an
empty working directory, `workbook content check`, `workbook demo` and `workbook serve`, and the home page
in Chromium; nothing is written inside site-packages or the checkout.

The venv gets the wheel only (`--no-deps`); its dependencies come from this test run's own environment
through a `.pth` line (installing them from PyPI takes ~5 minutes and a network; see docs/operator/install-details.md,
"Installing as a package"). The dependencies' Jupyter data (Voila's base templates, the widgets' JavaScript) is offered
through JUPYTER_PATH, without the workbook's own template, so the template must come from the wheel.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from servers import ROOT, free_port, sign_in_or_resume

pytestmark = [pytest.mark.slow, pytest.mark.browser]
DEMO_LINE = re.compile(r"^\s+(coach|hr|trainee)\s+([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\s+(.+?)\s*$", re.M)
SLOW = 120_000  # ms: pages on a shared 2-core machine


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


def _checkout_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def _deps_jupyter_share(target: Path) -> Path:
    """A copy of this environment's share/jupyter minus any workbook template (an editable install copies
    one there): the dependencies' data, never the workbook's. Copied, not linked: Tornado refuses a
    static file whose real path leaves its root."""
    shutil.copytree(Path(sys.prefix) / "share" / "jupyter", target, ignore=lambda _d, names: [n for n in names if n == "workbook"])
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv outside the checkout with the built wheel installed; returns (venv, env, figures)."""
    base = tmp_path_factory.mktemp("wheel")
    assert ROOT not in base.parents
    figures = {}
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(base / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((base / "dist").glob("servuction_workbook-*.whl"))
    figures["build s"] = time.monotonic() - t0
    t0 = time.monotonic()
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, capture_output=True)
    figures["install s"] = time.monotonic() - t0
    figures["wheel files"] = len(zipfile.ZipFile(wheel).namelist())
    # the interface's translations: compiled into the wheel by its build hook (the .mo files are not in git), and read installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"workbook/locale/{c}/LC_MESSAGES/workbook.mo" for c in ("fr", "zh")} <= names
    said = subprocess.run([venv / "bin" / "python", "-c", "from workbook.i18n import _, using, LOCALE_DIR\n"
                           "with using('fr'): print(_('Sign in'), (LOCALE_DIR / 'fr/LC_MESSAGES/workbook.mo').is_file())"],
                          capture_output=True, text=True, check=True, cwd=base).stdout.split()
    assert said == ["Se", "connecter", "True"]
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBOOK_", "JUPYTER", "XDG_", "PYTHON"))}
    env.update({"HOME": str(home), "JUPYTER_PATH": str(_deps_jupyter_share(base / "deps-share")),
                "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
                # a small server: the home page and Module 1 preheated, nothing else
                "WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": "00_home.ipynb=1"})
    yield venv, purelib, env, home, figures
    print("\nwheel test figures:", {k: round(v, 1) if isinstance(v, float) else v for k, v in figures.items()})


def _workbook(venv: Path, env: dict, cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "workbook"), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_the_wheel_carries_content_template_and_licence(installed):
    venv, purelib, env, _home, figures = installed
    pkg = purelib / "workbook"
    for rel in ("_content/notebooks/00_home.ipynb", "_content/exercises/m01_servuction.yaml", "_content/datasets/demo_cohort.yaml",
                "templates/voila/templates/workbook/index.html.j2", "report_notebooks", "static/workbook.css"):
        assert (pkg / rel).exists(), rel
    # every notebook, exercise and dataset of the checkout, and every file under workbook/templates/
    for folder in ("notebooks", "exercises", "datasets"):
        assert _files(ROOT / folder) - {p for p in _files(ROOT / folder) if ".ipynb_checkpoints" in p} <= _files(pkg / "_content" / folder), folder
    assert {p for p in _files(ROOT / "workbook" / "templates") if "__pycache__" not in p} <= _files(pkg / "templates")
    # the Voila template is Jupyter shared data: plain `voila --template=workbook` finds it in the venv
    shared = venv / "share" / "jupyter" / "voila" / "templates" / "workbook"
    assert (shared / "index.html.j2").is_file()
    found = subprocess.run([venv / "bin" / "python", "-c", "from voila.paths import collect_template_paths as c; "
                            "import os; print([p for p in c(['voila', 'nbconvert'], 'workbook') if os.path.isfile(os.path.join(p, 'index.html.j2'))])"],
                           env=env, capture_output=True, text=True, check=True)
    paths = eval(found.stdout)  # a printed list of str
    assert paths[0] == str(shared) and [p for p in paths if p.endswith("/workbook")] == [str(shared)], paths  # then its base, lab
    assert "Servuction Workbook authors" in next(purelib.glob("servuction_workbook-*.dist-info/licenses/LICENSE")).read_text()
    figures["installed files"] = len(_files(purelib / "workbook"))


def test_installed_workbook_demo_and_serve_from_an_empty_directory(installed, browser):
    venv, purelib, env, home, figures = installed
    work = home.parent / "empty-cwd"
    work.mkdir()
    site_before, checkout_before = _files(purelib), _checkout_state()

    check = _workbook(venv, env, work, "content", "check")
    assert check.returncode == 0 and check.stdout.startswith(str(purelib / "workbook" / "_content" / "exercises")), check
    t0 = time.monotonic()
    demo = _workbook(venv, env, work, "demo")
    figures["demo s"] = time.monotonic() - t0
    assert demo.returncode == 0, demo.stderr[-2000:]
    codes = {role: (code, name) for role, code, name in DEMO_LINE.findall(demo.stdout)}
    assert set(codes) == {"coach", "hr", "trainee"}, demo.stdout
    # the data went to the platform's per-user data directory, nothing into the working directory
    data = home / ".local" / "share" / "servuction-workbook"
    assert (data / "workbook.db").is_file()
    assert list(work.iterdir()) == []

    # the operator serves behind a proxy path: a voila.json in the data directory extends the workbook's settings
    (data / "voila.json").write_text('{"Voila": {"base_url": "/wb/"}}', encoding="utf-8")
    port = free_port()
    log = (home.parent / "serve.log").open("wb")
    t0 = time.monotonic()
    # and changes an option the workbook sets too (Voila refused it given twice and the server did not start)
    proc = subprocess.Popen([str(venv / "bin" / "workbook"), "serve", "--port", str(port), "--",
                             "--VoilaExecutor.iopub_timeout=90"], env=env, cwd=work,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    url = f"http://127.0.0.1:{port}/wb/voila/render/00_home.ipynb"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (home.parent / "serve.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/wb/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, (home.parent / "serve.log").read_text()[-3000:]
            time.sleep(0.5)
        figures["serve ready s"] = time.monotonic() - t0
        t0 = time.monotonic()
        page = browser.new_context().new_page()
        page.set_default_timeout(SLOW)
        code, name = codes["trainee"]
        sign_in_or_resume(page, url, code, name, timeout=SLOW)
        page.wait_for_selector(".wb-modules")
        assert page.locator(".wb-modules a").count() >= 9
        assert "Servuction" in page.locator(".wb-modules").inner_text()
        figures["home page signed in s"] = time.monotonic() - t0
        page.context.close()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(timeout=10)
    served = (home.parent / "serve.log").read_text()
    assert f"open http://localhost:{port}/voila/render/00_home.ipynb" in served
    # the database is in the data directory (above); site-packages, the checkout and the working directory are untouched
    new_in_site = {p for p in _files(purelib) - site_before if "__pycache__" not in p}
    assert not new_in_site, sorted(new_in_site)[:10]
    assert _checkout_state() == checkout_before
    assert list(work.iterdir()) == []


def test_serve_passes_extra_voila_arguments_last(installed):
    """`workbook serve -- ARGS` hands ARGS to Voila after the workbook's own (they win): `--help-all`
    makes Voila print its options and exit, and the operator's data directory is on its config path."""
    venv, _purelib, env, home, _figures = installed
    out = _workbook(venv, env, home, "serve", "--port", str(free_port()), "--", "--help-all", timeout=120)
    assert out.returncode == 0 and "--Voila.base_url" in out.stdout, out.stderr[-2000:]
