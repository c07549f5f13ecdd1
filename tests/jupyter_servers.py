"""A plain Jupyter server (``jupyter server``, or a JupyterHub single-user server) as a process group for a test:
started with an empty HOME and empty user Jupyter folders, answered once ``/api/status`` or a given path responds,
stopped with its whole group. Used by tests/integration/test_server_extension.py and test_hub_server.py."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from servers import free_port


def clean_env(tmp_path: Path) -> dict[str, str]:
    """This process's environment without JUPYTER*/WORKBOOK_* variables, with a fresh HOME and Jupyter folders."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "WORKBOOK_"))}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), WORKBOOK_DATA_DIR=str(tmp_path / "data"))
    return env


def serve_jupyter(tmp_path: Path, args: list[str], env: dict[str, str] | None = None, ready: str = "/api/status",
                  seconds: float = 120, token: str | None = None) -> tuple[subprocess.Popen, str, str]:
    """``jupyter-server ARGS`` on a free port, with a random token (``token=""``: none, every request is let in);
    returns the process, its URL and token once ``ready`` answers (any status under 500)."""
    port, token = free_port(), secrets.token_hex(16) if token is None else token
    env = env if env is not None else clean_env(tmp_path)
    server = Path(sys.executable).parent / "jupyter-server"
    proc = subprocess.Popen(
        [str(server), "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}", *args],
        env=env, cwd=env.get("HOME", str(tmp_path)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if proc.poll() is not None:
            raise AssertionError(f"jupyter server exited {proc.returncode}: {proc.stdout.read().decode()[-2000:]}")
        try:
            if requests.get(f"{url}{ready}", params={"token": token}, timeout=5, allow_redirects=False).status_code < 500:
                return proc, url, token
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    stop_process(proc)
    raise AssertionError(f"jupyter server did not answer within {seconds:.0f} s")


def stop_process(proc: subprocess.Popen) -> str:
    """Stop a server started in its own session (its kernels and helpers with it); returns what it printed."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # what it left behind in its group (fork server, chart renderer)
    except ProcessLookupError:
        pass
    return proc.stdout.read().decode(errors="replace") if proc.stdout else ""
