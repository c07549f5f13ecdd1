"""The workbook's Voila template is Jupyter shared data (issue #14): a plain Jupyter server, with Voila as its
server extension (enabled by Voila's own config in the environment), finds ``--VoilaConfiguration.template=workbook``
in the environment's ``share/jupyter`` and renders a workbook page with it.

tests/integration/test_wheel.py checks the file lands in a wheel-installed venv and that ``voila.paths`` lists it;
this test serves a page through ``jupyter server`` (not ``workbook serve``, which puts the package's copy on
JUPYTER_PATH itself): no JUPYTER_PATH, and the user's Jupyter directories are empty ones.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from jupyter_servers import serve_jupyter, stop_process
from servers import ROOT

pytestmark = pytest.mark.slow
MARKER = "data-wb-ticket"  # only the workbook template's page script (workbook-session.js) holds it


def _serve(tmp_path: Path, template: str) -> tuple[subprocess.Popen, str, str]:
    """A plain ``jupyter server`` on the repository's notebooks; returns the process, its URL and token."""
    return serve_jupyter(tmp_path, [f"--ServerApp.root_dir={ROOT / 'notebooks'}", f"--VoilaConfiguration.template={template}"])


_stop = stop_process


def _page(url: str, token: str, seconds: float = 240) -> tuple[int, str]:
    """The glossary page as Voila streams it, read for at most ``seconds`` (a page that never completes, as without
    its template, fails the test instead of hanging it)."""
    ends, chunks = time.monotonic() + seconds, []
    with requests.get(f"{url}/voila/render/glossary.ipynb", params={"token": token}, stream=True, timeout=60) as r:
        for chunk in r.iter_content(65536):
            chunks.append(chunk)
            if time.monotonic() > ends:
                break
        return r.status_code, b"".join(chunks).decode(errors="replace")


def test_a_plain_jupyter_server_renders_a_page_with_the_installed_workbook_template(tmp_path):
    shared = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "workbook"
    assert (shared / "index.html.j2").is_file(), f"the workbook template is not installed as shared data in {shared}"
    proc, url, token = _serve(tmp_path, "workbook")
    try:
        status, page = _page(url, token)
    finally:
        log = _stop(proc)
    assert status == 200, log[-2000:]
    assert MARKER in page, log[-2000:]
    assert "jupyter-config-data" in page and "</html>" in page  # the whole page, Voila's lab base template under it


def test_the_marker_is_the_workbook_templates_own(tmp_path):
    """The same page with Voila's lab template lacks the marker: the first test's page came from the workbook's."""
    proc, url, token = _serve(tmp_path, "lab")
    try:
        status, page = _page(url, token)
    finally:
        log = _stop(proc)
    assert status == 200 and "</html>" in page, log[-2000:]
    assert MARKER not in page
