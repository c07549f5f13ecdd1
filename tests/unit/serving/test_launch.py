"""The servers start through ``workbook.serving.launch`` (#17), which imports the workbook before jupyter_server (what
that saves: tests/integration/test_server_imports.py)."""
from __future__ import annotations

from workbook.serving.hub import singleuser_command
from workbook.serving.launch import LAUNCH
from workbook.serving.serve import voila_command
from workbook.settings import load_settings


def test_the_workbooks_server_commands_go_through_the_launcher(tmp_path):
    settings = load_settings({"WORKBOOK_DATA_DIR": str(tmp_path)})
    assert voila_command(settings, 9999)[:5] == [*LAUNCH, "voila", str(settings.notebooks_dir)]
    assert singleuser_command(settings, ["--port=1"])[:4] == [*LAUNCH, "singleuser"]
    assert singleuser_command(settings, ["--port=1"])[-1] == "--port=1"
