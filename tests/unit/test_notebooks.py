"""Notebook hygiene: outputs in git only for the cells nbval checks, and every page has one."""
from pathlib import Path

import nbformat
import pytest

from workbook.nbtools import is_checked, notebooks, problems

NB_DIR = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("path", notebooks(NB_DIR), ids=lambda p: p.name)
def test_outputs_only_where_nbval_checks(path):
    assert problems(path) == []


@pytest.mark.parametrize("path", notebooks(NB_DIR), ids=lambda p: p.name)
def test_every_page_has_a_checked_result_cell(path):
    nb = nbformat.read(path, as_version=4)
    checked = [c for c in nb.cells if is_checked(c)]
    assert checked, f"{path.name}: no cell whose output nbval checks"
    assert all(c.outputs for c in checked)


def test_problems_are_found(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\nx", outputs=[nbformat.v4.new_output("stream", text="1")]),
                nbformat.v4.new_code_cell("print(1)")]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    found = problems(path)
    assert any("cell 0 is NBVAL_IGNORE_OUTPUT but has outputs" in m for m in found)
    assert any("cell 1 is checked by nbval but has no stored output" in m for m in found)
    assert any("the last cell does not call visitor_arrives()" in m for m in found)


def test_a_served_notebook_waits_for_its_visitor_in_its_last_cell_only(tmp_path):
    arrive = "# NBVAL_IGNORE_OUTPUT\nfrom workbook.ui.pages.shell import visitor_arrives\nvisitor_arrives()"
    page = "# NBVAL_IGNORE_OUTPUT\npage()"
    nb = nbformat.v4.new_notebook()
    path = tmp_path / "x.ipynb"
    nb.cells = [nbformat.v4.new_code_cell(page), nbformat.v4.new_code_cell(arrive), nbformat.v4.new_markdown_cell("end")]
    nbformat.write(nb, path)
    assert problems(path) == []
    nb.cells = [nbformat.v4.new_code_cell(arrive), nbformat.v4.new_code_cell(page), nbformat.v4.new_code_cell(arrive)]
    nbformat.write(nb, path)
    assert problems(path) == ["x.ipynb: cell 0 calls visitor_arrives() before the last cell (the cells after it would wait for "
                              "the visitor)"]
