"""Kernels forked from one preloaded process, and the shared chart renderer (issue #17).

``ForkProvisioner`` is a jupyter_client kernel provisioner: for the ipykernel kernel of this
Python it asks the fork server (``serving/forkserver.py``) for a fork instead of starting a new
interpreter; any other kernel, or a fork server that cannot start, falls back to Jupyter's own
launch. Selected by the setting ``kernel_launch`` ("fork"; "exec" is the design before #17).
The chart renderer (``render/chart_server.py``) listens on a socket the server opens when the setting
``chart_renderer`` is "shared", and is started when a kernel first connects to it; kernels learn its
socket from ``WORKBOOK_CHART_RENDERER_SOCKET`` in the environment the server gives them.
"""
from __future__ import annotations

import asyncio
import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import EntryPoint

from jupyter_client.provisioning import KernelProvisionerFactory
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from workbook.settings import get_settings

NAME = "workbook-fork"
START_TIMEOUT = 300.0  # seconds the fork server may take to import the pages (a loaded 2-core machine)
_RUNTIME: dict[str, object] = {}


def _runtime_dir() -> str:
    if "dir" not in _RUNTIME:
        _RUNTIME["dir"] = tempfile.mkdtemp(prefix="workbook-kernels-")
        os.chmod(_RUNTIME["dir"], 0o700)
    return str(_RUNTIME["dir"])


def _stop_children() -> None:
    """At the server's exit: stop the fork server and the renderer, remove their socket folder."""
    import shutil

    for key in ("forkserver", "renderer"):
        proc = _RUNTIME.get(key)
        if isinstance(proc, subprocess.Popen) and proc.poll() is None:
            proc.terminate()
    if "dir" in _RUNTIME:
        shutil.rmtree(str(_RUNTIME["dir"]), ignore_errors=True)


atexit.register(_stop_children)


def start_chart_renderer(now: bool = False) -> str | None:
    """Open the shared chart renderer's socket once (setting ``chart_renderer`` "shared") and publish it to the
    kernels this server starts; returns the socket path, or None. The renderer process itself (~75 MB) starts on
    that socket at once when ``now`` (a server with preheated pools: their pages' warm-up draws a chart at start),
    else when a kernel first connects, as systemd's socket activation does: a server without pools (a hub user's)
    whose pages draw no Altair chart (Module 1's are drawn in Python) never starts it, and a kernel's first chart
    waits for its start instead of failing."""
    if get_settings().chart_renderer != "shared":
        return None
    if "renderer_socket" not in _RUNTIME:
        path = os.path.join(_runtime_dir(), "charts.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        os.chmod(path, 0o600)
        listener.listen(64)
        _RUNTIME["renderer_listener"] = listener
        if now:
            _start_renderer(listener)
        else:
            threading.Thread(target=_start_renderer_on_first_connection, args=(listener,), daemon=True,
                             name="workbook-renderer-activation").start()
        _RUNTIME["renderer_socket"] = path
        os.environ["WORKBOOK_CHART_RENDERER_SOCKET"] = path  # Voila copies os.environ into each kernel's
    return str(_RUNTIME["renderer_socket"])


def _start_renderer_on_first_connection(listener: socket.socket) -> None:
    """Wait until a kernel connects to the renderer's socket, then start the renderer on that listening socket
    (the waiting connection is its first); this server keeps no copy of it."""
    while True:
        try:
            ready, _, _ = select.select([listener], [], [])
        except (OSError, ValueError):  # the socket was closed: the server is stopping
            return
        if ready:
            break
    _start_renderer(listener)


def _start_renderer(listener: socket.socket) -> None:
    """The renderer process, serving on ``listener`` (this server closes its own copy)."""
    fd = listener.fileno()
    _RUNTIME["renderer"] = subprocess.Popen([sys.executable, "-m", "workbook.render.chart_server", "--fd", str(fd)],
                                            stdin=subprocess.DEVNULL, pass_fds=(fd,))
    listener.close()


async def _fork_server() -> str:
    """The fork server's socket, started on first use (one per Voila server)."""
    lock = _RUNTIME.setdefault("lock", asyncio.Lock())
    async with lock:
        proc = _RUNTIME.get("forkserver")
        path = os.path.join(_runtime_dir(), "fork.sock")
        if not (isinstance(proc, subprocess.Popen) and proc.poll() is None):
            from .forkserver import ROOM

            # the last argument only keeps room in the command line for each kernel's title
            _RUNTIME["forkserver"] = proc = subprocess.Popen(
                [sys.executable, "-m", "workbook.serving.forkserver", path, "." * ROOM],
                stdin=subprocess.DEVNULL, env=dict(os.environ))
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(path):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"fork server did not start (exit code {proc.poll()})")
            await asyncio.sleep(0.1)
        return path


async def fork_kernel(argv: list[str], env: dict[str, str], cwd: str | None) -> int:
    """A new kernel process forked by the fork server; returns its pid."""
    path = await _fork_server()
    reader, writer = await asyncio.open_unix_connection(path)
    try:
        writer.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
        await writer.drain()
        reply = json.loads(await asyncio.wait_for(reader.readline(), 60))
    finally:
        writer.close()
    return int(reply["pid"])


def _ipykernel_args(cmd: list[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` when ``cmd`` starts this Python's ipykernel."""
    if len(cmd) >= 3 and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable) and cmd[1:3] in (
            ["-m", "ipykernel_launcher"], ["-m", "ipykernel"]):
        return list(cmd[3:])
    return None


def pid_alive(pid: int | None) -> bool:
    """Whether the process ``pid`` runs (a zombie, exited but not yet reaped, does not)."""
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


class ForkProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, except that an ipykernel kernel is forked, not executed."""

    forked = False

    @property
    def has_process(self) -> bool:
        return self.forked and self.pid is not None or super().has_process

    def alive_now(self) -> bool:
        """Whether the kernel's process runs (without awaiting)."""
        if self.forked:
            return pid_alive(self.pid)
        return self.process is not None and self.process.poll() is None

    async def launch_kernel(self, cmd: list[str], **kwargs):
        args = _ipykernel_args(cmd)
        if get_settings().kernel_launch != "fork" or args is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        try:
            pid = await fork_kernel(args, env, kwargs.get("cwd"))
        except (TimeoutError, OSError, RuntimeError, ValueError, KeyError) as exc:
            self.log.warning("Forking a kernel failed (%s): starting it as a new process", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.forked, self.pid, self.pgid = True, pid, pid
        self.cwd = kwargs.get("cwd")
        return self.connection_info

    async def poll(self) -> int | None:
        if not self.forked:
            return await super().poll()
        return None if pid_alive(self.pid) else 0

    async def wait(self) -> int | None:
        if not self.forked:
            return await super().wait()
        while pid_alive(self.pid):
            await asyncio.sleep(0.1)
        self.pid = None
        return 0

    async def send_signal(self, signum: int) -> None:
        if not self.forked:
            return await super().send_signal(signum)
        if not pid_alive(self.pid):
            return None
        try:
            os.killpg(self.pgid, signum)
        except OSError:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass
        return None

    async def kill(self, restart: bool = False) -> None:
        if not self.forked:
            return await super().kill(restart)
        return await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        if not self.forked:
            return await super().terminate(restart)
        return await self.send_signal(signal.SIGTERM)


def install() -> None:
    """Register the provisioner (no package entry point needed) and make it the default one."""
    factory = KernelProvisionerFactory.instance()
    factory.provisioners[NAME] = EntryPoint(NAME, f"{__name__}:ForkProvisioner", "jupyter_client.kernel_provisioners")
    factory.default_provisioner_name = NAME
