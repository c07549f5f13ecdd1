"""pyproject.toml (pip users) and environment.yml (conda users) list the same dependencies."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ALIASES = {"psycopg[binary]": "psycopg", "sqlalchemy": "sqlalchemy", "pyyaml": "pyyaml"}


def _norm(spec: str) -> tuple[str, str]:
    name, rest = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", spec).groups()
    name = ALIASES.get(name.lower(), name.lower()).replace("_", "-")
    return name, rest.replace(" ", "")


def test_pyproject_and_environment_agree():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = dict(_norm(s) for s in py["dependencies"] + py["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_side = dict(_norm(s) for s in env["dependencies"] if isinstance(s, str) and not s.startswith(("python", "pip")))
    assert pip_side == conda_side


def test_security_floors_are_declared():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "voila>=0.5.6,<0.6" in deps and "jupyter_server>=2.20" in deps
