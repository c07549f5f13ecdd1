"""The architecture is checked, not only described: the import contract (import-linter, configured in
pyproject.toml) is kept, the checker catches an upward import, ruff finds nothing, and Python builds no HTML."""
from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def lint_imports(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``lint-imports`` with the configuration in ``cwd/pyproject.toml`` (no cache: always the files as they are)."""
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_import_contract_is_kept():
    """Every layer imports only the layers below it, only the CLI imports workbook.ui, and ui's widgets never import its pages."""
    got = lint_imports(ROOT)
    assert got.returncode == 0, got.stdout[-4000:] + got.stderr[-2000:]
    assert "Layers: each imports only the layers below it KEPT" in got.stdout
    assert "Nothing imports workbook.ui except workbook.cli" in got.stdout
    assert "Inside ui: pages use widgets, widgets never import pages KEPT" in got.stdout
    assert "Contracts: 3 kept, 0 broken." in got.stdout


def test_checker_reports_an_import_of_ui_from_the_domain(tmp_path):
    """A copy of the package with one domain module importing a page: both contracts are reported broken,
    naming the offending import (so the test above fails when the checker stops catching violations)."""
    shutil.copytree(ROOT / "workbook", tmp_path / "workbook", ignore=shutil.ignore_patterns("__pycache__", "report_notebooks", "static", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "workbook" / "domain" / "upward.py").write_text('"""A domain module that reaches up into the UI."""\nfrom workbook.ui.pages import home  # noqa: F401\n')
    import os

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}  # the copy, found before the installed (editable) package
    got = lint_imports(tmp_path, env)
    assert got.returncode != 0
    assert "Contracts: 1 kept, 2 broken." in got.stdout, got.stdout[-4000:] + got.stderr[-2000:]
    assert "workbook.domain.upward -> workbook.ui.pages" in got.stdout
    assert "workbook.domain is not allowed to import workbook.ui" in got.stdout


def test_ruff_is_clean():
    """ruff (rules and exclusions in pyproject.toml) reports nothing in the package, the tests and the benchmarks."""
    got = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "workbook", "tests", "benchmarks"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert got.returncode == 0, got.stdout[-4000:] + got.stderr[-2000:]


# Python builds no markup of its own (README "HTML: one layer"): a line of the package whose string literal holds an
# HTML element's tag is a line of HTML in Python. SVG drawn in Python (charts, handout canvases) is not HTML: its
# elements (svg, text, line, rect, circle, polygon, g, path …) are not in this list. Docstrings are prose, not counted.
HTML_ELEMENTS = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col colgroup data "
    "datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header "
    "hgroup hr html i iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol optgroup "
    "option output p picture pre progress q rp rt ruby s samp script search section select slot small source span strong style "
    "sub summary sup table tbody td template textarea tfoot th thead time title tr track u ul var video wbr"
).split()
# a tag: <p>, </p>, <br/>, or <td class=…> (a name=value after the element's name: "<data dir>" is a placeholder, not a tag)
HTML_TAG = re.compile(r"</?(?:" + "|".join(HTML_ELEMENTS) + r")(?:\s*/?>|\s+[\w:-]+\s*=)", re.IGNORECASE)
# (file, the literal's text): why that line stays. Keep it short; a new entry needs a reason a reviewer accepts.
HTML_ALLOWED = {
    ("workbook/store/transfer.py", '"<input>"'): "the name an import's error messages give text that came without a file name "
                                                 "(like Python's <stdin>), not markup",
}


def html_lines(path: Path, source: str) -> list[tuple[int, str]]:
    """The lines of ``source`` (docstrings left out) where a string literal holds an HTML element's tag."""
    tree = ast.parse(source)
    docs: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docs.update(range(first.lineno, first.end_lineno + 1))
    found: dict[int, str] = {}
    rel = path.relative_to(ROOT).as_posix()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING or (rel, tok.string) in HTML_ALLOWED:
            continue
        for offset, line in enumerate(tok.string.splitlines()):
            number = tok.start[0] + offset
            if number not in docs and HTML_TAG.search(line):
                found[number] = source.splitlines()[number - 1].strip()
    return sorted(found.items())


def test_python_builds_no_html():
    """Markup lives in the templates (workbook/templates/fragments/): no line of the package's Python holds an HTML tag in a string."""
    found = [f"{path.relative_to(ROOT)}:{n}: {line[:120]}" for path in sorted((ROOT / "workbook").rglob("*.py"))
             for n, line in html_lines(path, path.read_text(encoding="utf-8"))]
    assert not found, "HTML in Python (put it in a template under workbook/templates/fragments/):\n" + "\n".join(found)


def test_the_html_count_finds_markup_and_passes_over_docstrings_and_svg():
    """The counting above is not blind: it finds a tag in a plain string and in an f-string, and leaves docstrings and SVG alone."""
    source = ('"""A <b>docstring</b>."""\n'
              'x = "<p class=\'wb-muted\'>" + y + "</p>"\n'
              'z = f"<td>{v}</td>"\n'
              'svg = f\'<line x1="{a}"/><text x="0">{t}</text>\'\n'
              'a = "a < b and c > d, <data dir>/x"\n')
    assert [n for n, _line in html_lines(ROOT / "workbook" / "x.py", source)] == [2, 3]
    allowed = 'where = "<input>"\n'
    assert html_lines(ROOT / "workbook" / "store" / "transfer.py", allowed) == []
    assert html_lines(ROOT / "workbook" / "store" / "other.py", allowed) == [(1, 'where = "<input>"')]
