"""A real JupyterHub for tests and benchmarks (#17): deploy/jupyterhub_config.py with a shared-password authenticator,
a local process spawner (every user's server runs as this process's user: tests only) and free ports, behind
configurable-http-proxy from npm (`make hub-proxy`). Used by tests/browser/test_hub.py and benchmarks/hub.py."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import requests
from servers import ROOT, free_port

PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PASSWORD = "hub-test-password-17"


def hub_config(tmp: Path, port: int, users: set[str], extra: str = "") -> Path:
    """deploy/jupyterhub_config.py with a test authenticator (one shared password), a local process spawner and free
    ports; ``extra``: more configuration lines after those."""
    bin_dir = Path(sys.executable).parent
    path = tmp / "jupyterhub_test_config.py"
    path.write_text(f'''
c = get_config()  # noqa: F821
load_subconfig({str(CONFIG)!r})  # noqa: F821  the deployment's own file: everything below only adapts it to a test
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{tmp / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(tmp / "jupyterhub.pid")!r}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}
c.Authenticator.allowed_users = {set(users)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / "home" / "{username}")!r}
c.Spawner.env_keep = ["PATH", "LANG", "PLAYWRIGHT_BROWSERS_PATH"]
c.Spawner.environment["WORKBOOK_DATA_DIR"] = lambda spawner: {str(tmp / "data")!r} + "/" + spawner.user.name
c.Spawner.args = {["--", "--allow-root"] if os.geteuid() == 0 else []!r}  # a local spawner runs servers as this test's user
for service in c.JupyterHub.services:  # the rater service's data directory (its log) in the test's folder
    if service["name"] == "workbook-raters":
        service["environment"]["WORKBOOK_DATA_DIR"] = {str(tmp / "data" / "raters")!r}
''' + extra, encoding="utf-8")
    assert (bin_dir / "workbook").exists()
    return path


@contextmanager
def running_hub(tmp: Path, db_url: str, users: set[str], cull_seconds: int = 3600, extra: str = "") -> Iterator[dict]:
    """A JupyterHub on deploy/jupyterhub_config.py (``hub_config``) whose servers use ``db_url``, for the hub ``users``;
    stopped with every server it started. Yields its URL, process, log, folder, the processes to kill at the end
    (``seen``) and the rater service's port."""
    port, rater_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBOOK_", "JUPYTER"))}
    env.update(WORKBOOK_DB_URL=db_url, WORKBOOK_HUB_CULL_SECONDS=str(cull_seconds), WORKBOOK_HUB_RATER_PORT=str(rater_port),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    log_path = tmp / "jupyterhub.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(hub_config(tmp, port, users, extra))],
                                cwd=str(tmp), env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    seen: set[psutil.Process] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
            try:
                if requests.get(f"{base}/hub/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("the hub did not answer within 120 s: " + log_path.read_text(errors="replace")[-3000:])
        yield {"url": base, "proc": proc, "log": log_path, "tmp": tmp, "seen": seen, "rater_port": rater_port}
    finally:
        seen.update(psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else ())
        os.killpg(proc.pid, 15)  # the hub stops its users' servers (cleanup_servers)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        for p in seen:  # anything a stopped server left behind (own sessions: fork server, chart renderer)
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
