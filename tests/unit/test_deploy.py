"""The deployment kit (deploy/, #17) checked without Docker or Kubernetes: the Helm values parse and use only keys of
the zero-to-jupyterhub chart (deploy/z2jh-keys.yaml, the part of its schema relied on) with the right types; the
example JupyterHub config runs the workbook's single-user server with the culler; the Dockerfile is linted (no Docker
daemon here: pinned base image, non-root user, a health check or its justification, hash-checked installs). The
example config itself runs a real hub in tests/browser/test_hub.py."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
TYPES = {"object": dict, "string": str, "list": list, "integer": int, "boolean": bool, "number": (int, float)}


def _leaves(doc: dict, schema: dict, prefix: str = ""):
    """(key path, value) of every key of ``doc``, not descending into free-form mappings (``{object: any}``)."""
    for key, value in doc.items():
        path = f"{prefix}{key}"
        yield path, value
        if isinstance(value, dict) and schema.get(path) != {"object": "any"}:
            yield from _leaves(value, schema, path + ".")


def check_values(values: dict, schema: dict) -> list[str]:
    """Problems of a values document against the key subset, one line each (empty: none)."""
    problems = []
    for path, value in _leaves(values, schema):
        kind = schema.get(path)
        if kind is None:
            problems.append(f"{path}: not a key of the chart's values (deploy/z2jh-keys.yaml)")
        elif isinstance(kind, dict) and "enum" in kind:
            if value not in kind["enum"]:
                problems.append(f"{path}: {value!r} is not one of {kind['enum']}")
        elif isinstance(kind, dict):
            if not isinstance(value, dict):
                problems.append(f"{path}: a mapping expected")
        elif not isinstance(value, TYPES[kind]) or (kind in ("integer", "number") and isinstance(value, bool)):
            problems.append(f"{path}: {kind} expected, got {type(value).__name__}")
    return problems


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh-keys.yaml").read_text(encoding="utf-8"))["keys"]


def test_the_helm_values_use_only_the_charts_keys_with_their_types(values, schema):
    assert check_values(values, schema) == []


def test_a_misspelt_or_mistyped_key_is_caught(values, schema):
    broken = yaml.safe_load(yaml.safe_dump(values))
    broken["singleuser"]["memory"]["limt"] = "1G"
    broken["cull"]["timeout"] = "an hour"
    broken["singleuser"]["storage"]["type"] = "sqlite-pvc"
    assert sorted(check_values(broken, schema)) == ["cull.timeout: integer expected, got str",
                                                    "singleuser.memory.limt: not a key of the chart's values (deploy/z2jh-keys.yaml)",
                                                    "singleuser.storage.type: 'sqlite-pvc' is not one of ['dynamic', 'static', 'none']"]


def test_the_values_run_the_workbooks_server_from_a_pinned_image_with_the_database_from_a_secret(values):
    single = values["singleuser"]
    assert single["image"]["tag"] == VERSION and single["image"]["tag"] != "latest"
    assert single["cmd"] == ["workbook", "singleuser"]
    assert single["extraEnv"]["WORKBOOK_AUTH_MODE"] == "jupyterhub"
    assert single["extraEnv"]["WORKBOOK_DB_URL"]["valueFrom"]["secretKeyRef"]["name"]  # no password in the file
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert "oauth" in values["hub"]["config"]["JupyterHub"]["authenticator_class"]


def test_the_example_hub_config_spawns_the_locked_server_and_culls(monkeypatch):
    from workbook.cli import build_parser

    monkeypatch.setenv("WORKBOOK_DB_URL", "postgresql+psycopg://workbook@db/workbook")
    monkeypatch.setenv("WORKBOOK_HUB_CULL_SECONDS", "1200")
    c = Config()
    exec(compile((DEPLOY / "jupyterhub_config.py").read_text(encoding="utf-8"), "jupyterhub_config.py", "exec"), {"get_config": lambda: c})
    assert c.Spawner.cmd == ["workbook", "singleuser"]
    assert build_parser().parse_args(["singleuser"]).func.__name__ == "cmd_singleuser"  # the command exists
    assert c.Spawner.environment["WORKBOOK_AUTH_MODE"] == "jupyterhub"
    assert c.Spawner.environment["WORKBOOK_DB_URL"] == "postgresql+psycopg://workbook@db/workbook"
    assert c.Spawner.disable_user_config is True
    culler, raters = c.JupyterHub.services
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"] and "--timeout=1200" in culler["command"]
    (role,) = c.JupyterHub.load_roles
    assert role["services"] == [culler["name"]] and {"read:users:activity", "delete:servers"} <= set(role["scopes"])
    # the rater service: `workbook raters serve` on its own port, under the service's prefix, on the same database
    args = build_parser().parse_args(raters["command"][1:])
    assert raters["command"][0] == "workbook" and args.func.__name__ == "cmd_raters_serve"
    assert raters["url"] == f"http://127.0.0.1:{args.port}" and args.base_url == f"/services/{raters['name']}/"
    assert raters["environment"]["WORKBOOK_DB_URL"] == "postgresql+psycopg://workbook@db/workbook"
    assert "WORKBOOK_AUTH_MODE" not in raters["environment"]  # the service turns access codes on itself (rater codes)


def test_the_rater_service_on_kubernetes_matches_the_hub_config_and_the_values(values):
    """deploy/rater-service.yaml (Deployment + Service) runs the same command as the hub config's rater service, at the
    URL the Helm values register it under, from the single-user image, the database from the same secret."""
    from workbook.cli import build_parser

    deployment, service = yaml.safe_load_all((DEPLOY / "rater-service.yaml").read_text(encoding="utf-8"))
    assert (deployment["kind"], service["kind"]) == ("Deployment", "Service")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    args = build_parser().parse_args(container["command"][1:])
    assert container["command"][0] == "workbook" and args.func.__name__ == "cmd_raters_serve"
    single = values["singleuser"]["image"]
    assert container["image"] == f"{single['name']}:{single['tag']}"
    env = {e["name"]: e for e in container["env"]}
    assert env["WORKBOOK_DB_URL"]["valueFrom"] == values["singleuser"]["extraEnv"]["WORKBOOK_DB_URL"]["valueFrom"]
    assert env["WORKBOOK_HOST"]["value"] == "0.0.0.0"
    name = deployment["metadata"]["name"]
    registered = values["hub"]["services"][name]
    (port,) = service["spec"]["ports"]
    assert registered["url"] == f"http://{service['metadata']['name']}:{port['port']}" and port["targetPort"] == args.port
    assert args.base_url == f"/services/{name}/"
    assert service["spec"]["selector"] == deployment["spec"]["template"]["metadata"]["labels"]


def _instructions(text: str) -> list[tuple[str, str, list[str]]]:
    """(instruction, arguments, the comment lines just above it) of a Dockerfile, continuation lines joined."""
    out, comments, buffer = [], [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not buffer and stripped.startswith("#"):
            comments.append(stripped)
            continue
        if not stripped:
            comments = [] if not buffer else comments
            continue
        buffer += " " + stripped.rstrip("\\").strip()
        if not stripped.endswith("\\"):
            word, _, args = buffer.strip().partition(" ")
            out.append((word.upper(), args.strip(), comments))
            buffer, comments = "", []
    return out


def lint_dockerfile(text: str) -> list[str]:
    """Problems of the single-user Dockerfile, one line each (empty: none)."""
    steps = _instructions(text)
    problems = []
    last_from = max((i for i, s in enumerate(steps) if s[0] == "FROM"), default=None)
    if last_from is None:
        return ["no FROM"]
    image = steps[last_from][1].split()[0]
    name, _, tag = image.partition(":")
    if "@sha256:" not in image and (not tag or tag == "latest" or not re.search(r"\d", tag)):
        problems.append(f"FROM {image}: pin a versioned tag or a digest, never latest")
    users = [s[1] for s in steps[last_from:] if s[0] == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("the image must end as a non-root USER")
    checks = [s for s in steps if s[0] == "HEALTHCHECK"]
    if not checks:
        problems.append("no HEALTHCHECK (or HEALTHCHECK NONE with a comment saying why)")
    elif checks[-1][1].upper() == "NONE" and not checks[-1][2]:
        problems.append("HEALTHCHECK NONE without a comment saying why")
    for word, args, _ in steps:
        if word == "RUN" and re.search(r"pip install(?!.*(--require-hashes|--no-deps))", args):
            problems.append(f"RUN {args[:60]}: pip installs only hash-checked (--require-hashes) or --no-deps")
        if word == "ADD" and re.search(r"https?://", args):
            problems.append(f"ADD {args[:60]}: nothing fetched from outside at build time")
    cmd = [s[1] for s in steps if s[0] == "CMD"]
    if not cmd or "singleuser" not in cmd[-1]:
        problems.append("CMD must run `workbook singleuser`")
    return problems


def test_the_dockerfile_passes_the_lint():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert lint_dockerfile(text) == []
    assert "chromium" in text and "fonts-noto-cjk" in text  # PDFs in every interface language


@pytest.mark.parametrize(("change", "problem"), [
    (("FROM python:3.11.11-slim-bookworm", "FROM python:latest"), "never latest"),
    (("FROM python:3.11.11-slim-bookworm", "FROM python"), "never latest"),
    (("USER 1000", "USER root"), "non-root USER"),
    (("HEALTHCHECK NONE", ""), "no HEALTHCHECK"),
    (("RUN pip install --require-hashes -r requirements.lock", "RUN pip install -r requirements.lock"), "hash-checked"),
])
def test_the_lint_catches_each_fault(change, problem):
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert change[0] in text
    assert any(problem in p for p in lint_dockerfile(text.replace(change[0], change[1])))
