"""Run the ``workbook`` command in the test's own process against a given data directory."""
from __future__ import annotations

from pathlib import Path


def run_cli(monkeypatch, data_dir: Path, *argv: str) -> int:
    """``workbook ARGV`` against the data directory ``data_dir``; returns its exit code."""
    from workbook.cli import main
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(data_dir))
    reset_settings()
    reset_default()
    try:
        return main(list(argv))
    finally:
        reset_default()
        reset_settings()
