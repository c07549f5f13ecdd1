"""`make check`'s fast lane (Makefile FAST_LANE): pyproject's pytest options without nbval's, and nothing that
costs every test process seconds before its first test."""
from __future__ import annotations

import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _fast_lane() -> list[str]:
    [line] = re.findall(r"^FAST_LANE := (.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M)
    return shlex.split(line)


def test_the_fast_lane_keeps_pyprojects_pytest_options_but_nbvals():
    lane = _fast_lane()
    assert "no:nbval" in lane and lane[lane.index("no:nbval") - 1] == "-p"
    [override] = [lane[n + 1] for n, a in enumerate(lane) if a == "-o"]
    configured = shlex.split(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"])
    assert override == "addopts=" + " ".join(a for a in configured if not a.startswith("--nbval"))
    assert lane[lane.index("-m") + 1] == "not slow and not browser"


def test_this_process_never_built_jsonschemas_rfc3987_grammar(request):
    """The workbook blocks it (workbook/__init__.py, imported first by tests/conftest.py); a test module importing
    Altair or jsonschema before it would build it in every worker (~2 s of CPU each). nbval, a plugin, imports
    jsonschema before any conftest: the slow lane (`make test`, one process) pays it once."""
    if request.config.pluginmanager.has_plugin("nbval"):
        pytest.skip("nbval is loaded (the slow lane): it imported jsonschema before the workbook")
    assert "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None


def test_a_fast_tests_database_is_its_own_copy_of_the_process_template(db, cohort, admin, _templates):
    """tests/conftest.py's ``db``: a copy of a template built once per process, so what one test writes no other sees."""
    from workbook.store import create_cohort, list_cohorts, open_database

    template_path, made = _templates["cohort"]
    assert db.sqlite_file() != template_path and made["people"] == cohort["people"]
    create_cohort(db, admin, "Only in this test")
    template = open_database(f"sqlite:///{template_path}")
    try:
        assert [c["name"] for c in list_cohorts(template, admin)] == ["Cohort A"]
    finally:
        template.dispose()
    assert sorted(c["name"] for c in list_cohorts(db, admin)) == ["Cohort A", "Only in this test"]
