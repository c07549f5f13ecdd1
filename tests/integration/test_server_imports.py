"""A hub user's server starts through ``workbook.serving.launch`` (#17): it imports the workbook before jupyter_server,
so jsonschema never builds rfc3987_syntax's grammar in it (~1.5 s of CPU and ~15 MB a server); and the servers import
no pandas (the store, which they import, does without it)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from workbook.serving.launch import LAUNCH

pytestmark = pytest.mark.slow

GRAMMAR = "rfc3987_syntax.syntax_helpers"  # the module that builds the grammar as it loads


def _imports(argv: list[str], **env: str) -> tuple[str, str]:
    """What ``python -X importtime ARGV`` imported (its stderr) and printed."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stderr, proc.stdout


def test_a_launched_hub_users_server_never_builds_the_grammar():
    imported, printed = _imports(["-m", "workbook.serving.launch", "singleuser", "--version"], JUPYTERHUB_SINGLEUSER_EXTENSION="1")
    assert "jupyter_server.serverapp\n" in imported and printed.strip()  # the application ran, its server imported
    assert GRAMMAR not in imported and "lark" not in imported
    control, _ = _imports(["-m", "voila", "--version"])  # Voila's own entry point, for the premise
    assert GRAMMAR in control


def test_an_unknown_application_is_refused_in_one_line():
    proc = subprocess.run([*LAUNCH, "jupyterlab"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "python -m workbook.serving.launch: the application 'jupyterlab' is not singleuser"


def test_the_store_imports_no_pandas():
    """Every server imports the store (sessions, sign-in); pandas is imported only where a frame is built."""
    imported, _ = _imports(["-c", "import workbook.store"])
    assert re.search(r"\|\s*workbook\.store$", imported, re.M)
    assert not re.search(r"\|\s*(pandas|numpy)$", imported, re.M)  # at any depth of the import tree
    charts, _ = _imports(["-c", "import workbook.render.charts"])  # the control: a module that does import pandas
    assert re.search(r"\|\s*pandas$", charts, re.M)
