"""The hub's rater service (#17, ``workbook raters serve``): its lock's rule lets through the rater page and what it
loads, and nothing else; it serves a folder holding the rater page alone, with access codes on whatever the hub's
environment says. The service itself behind a real hub: tests/browser/test_hub.py."""
from __future__ import annotations

from workbook.serving.hub import permitted
from workbook.serving.rater_service import RATER_PAGE, RATER_ROUTES, service_command, service_env, service_settings
from workbook.settings import load_settings

BASE = "/services/workbook-raters/"
KERNEL = "0c6f3c47-0b67-4c1a-9b0b-1d2a5d0c7e11"


def test_the_lock_lets_through_the_rater_page_only():
    allowed = [("GET", "voila/render/rater.ipynb"), ("GET", "voila/static/voila.js"), ("GET", f"api/kernels/{KERNEL}/channels"),
               ("GET", f"workbook/page-state/{KERNEL}"), ("POST", "workbook/session"), ("POST", f"voila/api/shutdown/{KERNEL}")]
    for method, path in allowed:
        assert permitted(method, BASE + path, BASE, RATER_ROUTES), path
    refused = [("GET", "voila/render/00_home.ipynb"), ("GET", "voila/render/coach.ipynb"), ("GET", "voila/render/rater.ipynbx"),
               ("GET", "voila/render/../rater.ipynb"), ("GET", "voila/tree"), ("GET", "voila/api/contents"), ("GET", "api/kernels"),
               ("POST", "api/kernels"), ("GET", "api/contents"), ("GET", "api/sessions"), ("GET", "api/terminals"), ("GET", "lab"),
               ("POST", "voila/render/rater.ipynb"), ("GET", "voila/files/rater.ipynb"), ("GET", "/user/ann/voila/render/rater.ipynb")]
    for method, path in refused:
        assert not permitted(method, path if path.startswith("/") else BASE + path, BASE, RATER_ROUTES), path


def test_it_serves_the_rater_page_alone_with_codes_on(tmp_path):
    settings = load_settings({"WORKBOOK_DATA_DIR": str(tmp_path), "WORKBOOK_AUTH_MODE": "jupyterhub"})
    s = service_settings(settings)
    assert [p.name for p in s.notebooks_dir.iterdir()] == [RATER_PAGE] and s.auth_mode == "codes"
    assert s.pooled_kernels() == 2  # the rater page's pool, nothing else
    command = service_command(s, 8870, BASE)
    assert command[1:4] == ["-m", "workbook.serving.rater_service", str(s.notebooks_dir)]
    assert "--Voila.port=8870" in command and f"--Voila.base_url={BASE}" in command
    env = service_env(s)
    assert env["WORKBOOK_AUTH_MODE"] == "codes" and env["WORKBOOK_POOLS"] == f"{RATER_PAGE}=2"
    assert env["WORKBOOK_CHART_RENDERER"] == "kernel"  # the rater page draws no chart: no renderer process


def test_a_voila_command_it_cannot_wrap_is_refused_in_one_line(tmp_path, monkeypatch):
    """The service runs this module in Voila's place (so the lock is in before any route); a Voila command of
    another shape is refused with the fix, also under ``python -O`` (it was an ``assert``)."""
    import pytest

    from workbook.errors import WorkbookError
    from workbook.serving import rater_service

    s = service_settings(load_settings({"WORKBOOK_DATA_DIR": str(tmp_path)}))
    monkeypatch.setattr(rater_service, "voila_command", lambda *a, **k: ["/usr/bin/voila", "--port=1"])
    with pytest.raises(WorkbookError, match=r"^the rater service cannot start: .*update service_command\)$"):
        service_command(s, 8870, BASE)
