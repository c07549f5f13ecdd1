"""The architecture is checked, not only described: the import contract (import-linter, configured in
pyproject.toml) is kept, the checker catches an upward import, and ruff finds nothing."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def lint_imports(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``lint-imports`` with the configuration in ``cwd/pyproject.toml`` (no cache: always the files as they are)."""
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_import_contract_is_kept():
    """Every layer imports only the layers below it, only the CLI imports workbook.ui, and ui's widgets never import its pages."""
    got = lint_imports(ROOT)
    assert got.returncode == 0, got.stdout[-4000:] + got.stderr[-2000:]
    assert "Layers: each imports only the layers below it KEPT" in got.stdout
    assert "Nothing imports workbook.ui except workbook.cli" in got.stdout
    assert "Inside ui: pages use widgets, widgets never import pages KEPT" in got.stdout
    assert "Contracts: 3 kept, 0 broken." in got.stdout


def test_checker_reports_an_import_of_ui_from_the_domain(tmp_path):
    """A copy of the package with one domain module importing a page: both contracts are reported broken,
    naming the offending import (so the test above fails when the checker stops catching violations)."""
    shutil.copytree(ROOT / "workbook", tmp_path / "workbook", ignore=shutil.ignore_patterns("__pycache__", "report_notebooks", "static", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "workbook" / "domain" / "upward.py").write_text('"""A domain module that reaches up into the UI."""\nfrom workbook.ui.pages import home  # noqa: F401\n')
    import os

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}  # the copy, found before the installed (editable) package
    got = lint_imports(tmp_path, env)
    assert got.returncode != 0
    assert "Contracts: 1 kept, 2 broken." in got.stdout, got.stdout[-4000:] + got.stderr[-2000:]
    assert "workbook.domain.upward -> workbook.ui.pages" in got.stdout
    assert "workbook.domain is not allowed to import workbook.ui" in got.stdout


def test_ruff_is_clean():
    """ruff (rules and exclusions in pyproject.toml) reports nothing in the package, the tests and the benchmarks."""
    got = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "workbook", "tests", "benchmarks"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert got.returncode == 0, got.stdout[-4000:] + got.stderr[-2000:]
