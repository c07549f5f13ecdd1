"""Keep notebook outputs out of git except the cells nbval checks.

A code cell is *checked* unless its source contains ``NBVAL_IGNORE_OUTPUT`` (widget pages are
ignored: their outputs hold random widget ids). ``refresh`` re-executes a notebook against a
fresh demo database and keeps outputs only for checked cells; ``problems`` lists what breaks the rule, and a served notebook that does not end with the cell where a preheated
kernel waits for its visitor (``visitor_arrives()``: the cells above it run before anyone comes).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat

IGNORE = "NBVAL_IGNORE_OUTPUT"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
ARRIVAL = "visitor_arrives()"


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and IGNORE not in cell.source


def _has_widget(cell) -> bool:
    return any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", []))


def problems(path: Path) -> list[str]:
    """What in this notebook file breaks the outputs rule (empty when it is clean)."""
    nb = nbformat.read(path, as_version=4)
    out = []
    checked_with_output = 0
    if "widgets" in nb.metadata:
        out.append(f"{path.name}: widget state stored in the notebook metadata (random ids; run `workbook notebooks refresh`)")
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if not is_checked(cell) and cell.get("outputs"):
            out.append(f"{path.name}: cell {n} is NBVAL_IGNORE_OUTPUT but has outputs in git")
        if _has_widget(cell):
            out.append(f"{path.name}: cell {n} has widget outputs in git")
        if is_checked(cell) and cell.get("outputs"):
            checked_with_output += 1
        if is_checked(cell) and not cell.get("outputs"):
            out.append(f"{path.name}: cell {n} is checked by nbval but has no stored output (run `workbook notebooks refresh`)")
    return out + _arrival_problems(path.name, nb)


def _arrival_problems(name: str, nb) -> list[str]:
    """A served notebook ends with ``visitor_arrives()`` and calls it nowhere else: a preheated page resumes its
    visitor's sign-in there, after running every other cell before the visitor came."""
    code = [(n, c) for n, c in enumerate(nb.cells) if c.cell_type == "code"]
    early = [n for n, c in code[:-1] if ARRIVAL in c.source]
    out = [f"{name}: cell {n} calls {ARRIVAL} before the last cell (the cells after it would wait for the visitor)"
           for n in early]
    if not code or ARRIVAL not in code[-1][1].source:
        out.append(f"{name}: the last cell does not call {ARRIVAL} (a preheated page would never resume its visitor's "
                   f"sign-in): end the notebook with `from workbook.ui.pages.shell import visitor_arrives; {ARRIVAL}`")
    return out


def refresh(path: Path, timeout: int = 300) -> None:
    """Execute the notebook against a fresh demo database; keep outputs of checked cells only."""
    from nbclient import NotebookClient

    from workbook.store import open_database, reset_default
    from workbook.store.demo import build_demo

    from .settings import reset_settings

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="wb-refresh-") as tmp:
        old = {k: os.environ.get(k) for k in ("WORKBOOK_DATA_DIR", "WORKBOOK_DB_URL")}
        os.environ["WORKBOOK_DATA_DIR"] = tmp
        os.environ.pop("WORKBOOK_DB_URL", None)
        reset_settings()
        reset_default()
        try:
            build_demo(open_database())
            NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            reset_default()
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            reset_settings()
    nb.metadata.pop("widgets", None)  # widget state: random ids that change on every run
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not is_checked(cell):
            cell.outputs = []
            cell.execution_count = None
        for out in cell.outputs:  # a worked example shown as a widget keeps its text (what nbval compares), not the widget's id
            out.get("data", {}).pop(WIDGET_MIME, None)
    nbformat.write(nb, path)


def notebooks(root: Path) -> list[Path]:
    """The notebooks Voila serves (the report notebooks live in workbook/report_notebooks/)."""
    return sorted(p for p in root.glob("*.ipynb"))
