"""The workbook's log file: a page's failure in a real kernel is logged there with the reference
the page shows, and nothing of it reaches the page's own output channel."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAILING_CALLBACK = """
from workbook.ui.widgets.common import StatusLine, safe
status = StatusLine()

@safe(status)
def on_click():
    raise RuntimeError("detail only for the log: person 7's row")

on_click()
print(status.value)
"""


@pytest.mark.slow
def test_a_failing_page_callback_is_logged_to_the_file_with_the_reference_the_page_shows(tmp_path):
    from jupyter_client.manager import start_new_kernel

    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    env.update({"WORKBOOK_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(tmp_path))
    out: dict[str, str] = {"stdout": "", "stderr": ""}
    try:
        reply = kc.execute_interactive(FAILING_CALLBACK, timeout=120,
                                       output_hook=lambda m: m["msg_type"] == "stream" and out.__setitem__(m["content"]["name"], out[m["content"]["name"]] + m["content"]["text"]))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    ref = re.search(r"reference ([0-9a-f]{8})", out["stdout"]).group(1)  # what the page's status line shows
    assert "detail only for the log" not in out["stdout"] + out["stderr"] and "Traceback" not in out["stderr"], out
    log = (tmp_path / "logs" / "workbook.log").read_text(encoding="utf-8")
    entry = log[log.index(f"ref {ref}"):]
    assert "workbook.ui.pages" in log and "Traceback (most recent call last)" in entry
    assert "RuntimeError: detail only for the log: person 7's row" in entry
    assert (tmp_path / "logs" / "workbook.log").stat().st_mode & 0o077 == 0  # owner-only, like the database
