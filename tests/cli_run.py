"""Run the ``workbook`` command in the test's own process against a given data directory; list its subcommands."""
from __future__ import annotations

import argparse
from pathlib import Path


def run_cli(monkeypatch, data_dir: Path, *argv: str, locale: str = "C.UTF-8") -> int:
    """``workbook ARGV`` against the data directory ``data_dir`` in the operator's ``locale`` (``LANG``; the command's
    messages follow it, English by default whatever the test machine's locale); returns its exit code."""
    from workbook.cli import main
    from workbook.settings import reset_settings
    from workbook.store import reset_default

    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(data_dir))
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
    reset_settings()
    reset_default()
    try:
        return main(list(argv))
    finally:
        reset_default()
        reset_settings()


def subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every (sub)command path with the help text its parent lists for it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield prefix + (name,), helps.get(name) or ""
                yield from subcommands(sub, prefix + (name,))
