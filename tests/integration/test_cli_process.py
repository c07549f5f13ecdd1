"""The ``workbook`` console command as a process: its --help lists every command, --version, exit statuses
(the same command in the test's own process: tests/unit/test_cli.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import subcommands

from workbook.cli import build_parser

pytestmark = pytest.mark.slow  # each test starts `python -m workbook`

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = list(subcommands(build_parser()))


def test_console_entry_point_lists_every_command():
    proc = subprocess.run([sys.executable, "-m", "workbook", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    flat = " ".join(proc.stdout.split())
    for path, help_text in COMMANDS:
        if len(path) == 1:
            assert path[0] in flat and " ".join(help_text.split()) in flat


def test_version_is_the_packages_one_version():
    """``workbook --version`` prints the version pyproject.toml declares (read here independently), exit 0."""
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    got = subprocess.run([sys.executable, "-m", "workbook", "--version"], capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    assert got.stdout.strip() == f"workbook {declared}"
    import workbook

    assert workbook.__version__ == declared


def test_console_script_exit_statuses_0_runtime_1_usage_2(tmp_path):
    env = {**os.environ, "WORKBOOK_DATA_DIR": str(tmp_path)}
    for argv, status in ((("cohort", "list", "--json"), 0), (("export", "Nobody"), 1), (("cohort", "lst"), 2)):
        got = subprocess.run([sys.executable, "-m", "workbook", *argv], capture_output=True, text=True, env=env, timeout=120)
        assert got.returncode == status, (argv, got.stderr)
