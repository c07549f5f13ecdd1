"""A hub user's server starts through ``workbook.serving.launch`` (#17), which imports the workbook before jupyter_server
(what that saves: tests/integration/test_server_imports.py)."""
from __future__ import annotations

from workbook.serving.hub import singleuser_command
from workbook.serving.launch import LAUNCH
from workbook.serving.serve import voila_command
from workbook.settings import load_settings


def test_the_workbooks_server_commands_go_through_the_launcher(tmp_path):
    settings = load_settings({"WORKBOOK_DATA_DIR": str(tmp_path)})
    assert voila_command(settings, 9999)[1:3] == ["-m", "voila"]  # standalone Voila starts itself (launch.py says why)
    assert singleuser_command(settings, ["--port=1"])[:4] == [*LAUNCH, "singleuser"]
    assert singleuser_command(settings, ["--port=1"])[-1] == "--port=1"


def test_a_hub_users_fork_server_preloads_the_trainees_pages_without_the_chart_libraries(tmp_path, monkeypatch):
    """Every hub user has a fork server of their own: it preloads what trainees' pages import, not Altair and pandas
    (chart pages import them when they draw; tests/browser/test_hub.py checks no user's process loaded pandas), unless
    the operator set the preload."""
    import shutil

    from workbook.serving.hub import HUB_PRELOAD, singleuser_env

    settings = load_settings({"WORKBOOK_DATA_DIR": str(tmp_path)})
    monkeypatch.delenv("WORKBOOK_KERNEL_PRELOAD", raising=False)
    env = singleuser_env(settings)
    shutil.rmtree(env["JUPYTER_RUNTIME_DIR"])
    assert env["WORKBOOK_KERNEL_PRELOAD"] == HUB_PRELOAD != settings.kernel_preload
    assert {"workbook.ui.pages.module", "workbook.ui.pages.home", "sqlalchemy.dialects.postgresql.psycopg"} <= set(HUB_PRELOAD.split(","))
    assert "workbook.ui.pages.coach" in settings.kernel_preload and "workbook.ui.pages.coach" not in HUB_PRELOAD
    monkeypatch.setenv("WORKBOOK_KERNEL_PRELOAD", "ipykernel.kernelapp,ipywidgets")
    env = singleuser_env(settings)
    shutil.rmtree(env["JUPYTER_RUNTIME_DIR"])
    assert env["WORKBOOK_KERNEL_PRELOAD"] == "ipykernel.kernelapp,ipywidgets"
