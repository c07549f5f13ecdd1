"""Packaging: pyproject.toml (pip users) and environment.yml (conda users) list the same dependencies,
every third-party module the package imports is declared, and the extras are what they say."""
import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ALIASES = {"psycopg[binary]": "psycopg", "sqlalchemy": "sqlalchemy", "pyyaml": "pyyaml"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
SELF = PROJECT["name"]


def _norm(spec: str) -> tuple[str, str]:
    name, rest = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", spec).groups()
    name = ALIASES.get(name.lower(), name.lower()).replace("_", "-")
    return name, rest.replace(" ", "")


def _external(specs: list[str]) -> list[str]:
    """The specs that name another distribution (an extra may include the project's own extras)."""
    return [s for s in specs if not s.startswith(SELF)]


def test_pyproject_and_environment_agree():
    extras = PROJECT["optional-dependencies"]
    pip_side = dict(_norm(s) for s in PROJECT["dependencies"] + _external(extras["postgres"] + extras["pdf"] + extras["docs"] + extras["hub"] + extras["test"]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = dict(_norm(s) for s in env["dependencies"] if isinstance(s, str) and not s.startswith(("python", "pip")))
    assert pip_side == conda_side


def test_security_floors_are_declared():
    deps = PROJECT["dependencies"]
    assert "voila>=0.5.6,<0.6" in deps and "jupyter_server>=2.20" in deps


def _imported_top_modules(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"workbook", "__future__"}


def _dist_name(spec: str) -> str:
    return re.match(r"[A-Za-z0-9_.\-]+", spec).group(0).lower().replace("_", "-")


def test_every_third_party_import_of_the_package_is_declared():
    """A module the package imports comes from a runtime dependency, or from the extra that says so
    (psycopg through SQLAlchemy's URL, playwright for PDFs, jupyterhub for a hub user's server); jupyterlab is not a
    runtime dependency."""
    runtime = {_dist_name(s) for s in PROJECT["dependencies"]}
    extras = {name: {_dist_name(s) for s in _external(specs)} for name, specs in PROJECT["optional-dependencies"].items()}
    dists = packages_distributions()
    undeclared = {}
    for module in sorted(_imported_top_modules(ROOT / "workbook")):
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        if not names & (runtime | extras["pdf"] | extras["postgres"] | extras["hub"]):
            undeclared[module] = names
    assert not undeclared, f"imported by workbook/ but not declared in pyproject.toml: {undeclared}"
    assert {"mistune", "nbformat", "jupyter-client", "traitlets"} <= runtime
    assert "jupyterlab" not in runtime
    assert extras["postgres"] == {"psycopg"} and extras["pdf"] == {"playwright"} and extras["hub"] == {"jupyterhub"}
    assert not {"psycopg", "playwright"} & runtime


def test_the_extras_build_on_each_other():
    """`.[test]` brings the optional features (the tests exercise them) and the docs' builder (a test builds the
    site); `.[dev]` the tests and the lock tool."""
    extras = PROJECT["optional-dependencies"]
    assert f"{SELF}[postgres,pdf,docs,hub]" in extras["test"] and f"{SELF}[test]" in extras["dev"]


def test_license_is_mit_with_the_authors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 Servuction Workbook authors" in text


def test_changelog_latest_release_is_the_package_version():
    """One version: the CHANGELOG's latest released heading (the first ``## X.Y.Z``, "Unreleased" aside) names
    the version in the package metadata (pyproject.toml as installed), which ``workbook --version`` prints."""
    from importlib.metadata import version

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## (\d+\.\d+\.\d+)\b", text, flags=re.M)
    assert released, "CHANGELOG.md: no released heading (## X.Y.Z — date)"
    assert released[0] == version(SELF), f"CHANGELOG.md's latest release is {released[0]}, the package metadata says {version(SELF)}"
    assert text.index("## Unreleased") < text.index(f"## {released[0]}"), "CHANGELOG.md: 'Unreleased' goes above the latest release"


def test_the_lock_pins_every_declared_package_with_its_hashes():
    """requirements.lock, which `make setup` installs with pip's --require-hashes: every package pinned with == and
    at least one sha256 hash (a relock without --generate-hashes fails here), and every package pyproject.toml
    declares for the tests (runtime, postgres, pdf, test) is in it (a dependency added without `make relock` too)."""
    entries = re.split(r"\n(?=[a-z0-9])", (ROOT / "requirements.lock").read_text(encoding="utf-8").split("\n", 2)[2].strip(), flags=re.I)
    pinned = {}
    for entry in entries:
        name = re.match(r"([A-Za-z0-9_.\-]+)==\S+", entry)
        assert name, f"requirements.lock: not pinned with ==: {entry.splitlines()[0]}"
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"requirements.lock: {name.group(0)} has no hash (make relock)"
        pinned[name.group(1).lower().replace("_", "-")] = entry
    extras = PROJECT["optional-dependencies"]
    declared = {_dist_name(s) for s in PROJECT["dependencies"] + _external(extras["postgres"] + extras["pdf"] + extras["hub"] + extras["test"])}
    assert declared - set(pinned) == set(), "declared in pyproject.toml but missing from requirements.lock: run make relock"
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in make and "--generate-hashes" in make
