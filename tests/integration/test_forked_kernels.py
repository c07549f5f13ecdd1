"""Kernels that cost less (#17): charts drawn by one shared renderer process, page kernels forked
from one preloaded process. Behaviour only; the memory figures are benchmarks/kernel_memory.py's."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import psutil
import pytest
from servers import KernelClient, bare_notebooks, voila_server

from workbook.render import charts
from workbook.serving import page_connection

pytestmark = pytest.mark.slow  # a renderer process, forked kernels, real Voila servers


@pytest.fixture
def renderer(tmp_path, settings_env, monkeypatch):
    """A real shared chart renderer process, and the settings pointing this process's charts at it."""
    from workbook.settings import reset_settings

    path = str(tmp_path / "charts.sock")
    proc = subprocess.Popen([sys.executable, "-m", "workbook.render.chart_server", path])
    deadline = time.monotonic() + 120
    while not os.path.exists(path):
        assert proc.poll() is None and time.monotonic() < deadline, "the chart renderer did not start"
        time.sleep(0.1)
    monkeypatch.setenv("WORKBOOK_CHART_RENDERER_SOCKET", path)
    reset_settings()
    try:
        yield path
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        reset_settings()


def _kernel_id_of(html: str) -> str:
    """The kernel a served page was given (its jupyter-config-data, as the page's script reads it)."""
    import json
    import re

    return json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S).group(1))["kernelId"]


def _chart():
    frame = pd.DataFrame({"label": ["Client", "Contact staff", "Support <b>&"], "count": [7, 4, 9]})
    return charts.category_counts(frame, "Rows per category")


def test_the_shared_renderer_draws_the_same_svg_as_vl_convert(renderer, monkeypatch):
    import vl_convert as vlc

    calls = []
    real = charts._shared_svg
    monkeypatch.setattr(charts, "_shared_svg", lambda spec: calls.append(1) or real(spec))
    svg = charts.to_svg(_chart())
    shared = real(_chart().to_dict())
    assert calls and shared is not None, "the chart did not go through the shared renderer"
    assert shared == vlc.vegalite_to_svg(_chart().to_dict())
    assert svg == charts.labelled_svg(shared, charts.text_alternative(_chart().to_dict()))  # the same image, with its text alternative
    assert "Support &lt;b&gt;&amp;" in svg


def test_a_renderer_that_is_gone_leaves_the_kernel_drawing_its_own(tmp_path, settings_env, monkeypatch):
    import vl_convert as vlc

    from workbook.settings import reset_settings

    monkeypatch.setenv("WORKBOOK_CHART_RENDERER_SOCKET", str(tmp_path / "nobody-listens.sock"))
    reset_settings()
    assert charts._shared_svg(_chart().to_dict()) is None
    assert charts.to_svg(_chart()) == charts.labelled_svg(vlc.vegalite_to_svg(_chart().to_dict()), charts.text_alternative(_chart().to_dict()))


def test_the_renderer_answers_a_bad_spec_without_dying(renderer):
    from workbook.render.chart_server import read_message, send_message

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(renderer)
        send_message(sock, b'{"mark": "no-such-mark", "data": {"values": [1]}}')
        assert read_message(sock).startswith(b"!")
    assert charts._shared_svg(_chart().to_dict()) is not None, "the renderer stopped after a bad spec"


def _renderers() -> list[psutil.Process]:
    """Chart renderer processes started by this process."""
    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "workbook.render.chart_server" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.Error:
            continue
    return out


def test_the_server_starts_the_renderer_when_a_kernel_first_asks_for_a_chart(tmp_path, settings_env, monkeypatch):
    """A server without preheated pools (a hub user's) opens the renderer's socket; the renderer (~75 MB) starts
    only when a kernel first connects there, and that first chart is drawn by it (the kernel waits, it does not
    draw its own); one renderer for every chart after."""
    import vl_convert as vlc

    from workbook.serving import forking
    from workbook.settings import reset_settings

    monkeypatch.setattr(forking, "_RUNTIME", {})  # this test's own socket folder
    monkeypatch.setenv("WORKBOOK_CHART_RENDERER", "shared")
    monkeypatch.setenv("WORKBOOK_CHART_RENDERER_SOCKET", "")  # start_chart_renderer sets it; put back after the test
    reset_settings()
    try:
        path = forking.start_chart_renderer()
        assert path and os.path.exists(path) and os.environ["WORKBOOK_CHART_RENDERER_SOCKET"] == path
        time.sleep(1.0)
        assert _renderers() == [], "the renderer started before any kernel asked for a chart"
        reset_settings()  # a kernel reads the socket from its environment
        drawn = charts._shared_svg(_chart().to_dict())
        assert drawn == vlc.vegalite_to_svg(_chart().to_dict()), "the first chart was not drawn by the started renderer"
        first = _renderers()
        assert len(first) == 1 and "vl_convert" in _maps(first[0].pid)
        assert charts._shared_svg(_chart().to_dict()) == drawn
        assert _renderers() == first, "a second chart started another renderer"
    finally:
        forking._stop_children()
        reset_settings()


def _maps(pid: int) -> str:
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as f:
        return f.read()


def test_module_1_kernels_are_forked_and_never_load_vl_convert(tmp_path):
    """On a real server with the default design: Module 1's pooled kernels are children of the fork
    server, hold no vl-convert library, and the signed-in page shows its results chart as SVG (Module 1's scores
    bars are drawn in the kernel, in Python: render/score_bars.py); the shared renderer runs, started with the
    server because it has preheated pools."""
    env = {"WORKBOOK_POOL_SIZE": "0", "WORKBOOK_POOLS": "01_servuction.ipynb=2", "WORKBOOK_KERNEL_LAUNCH": "fork",
           "WORKBOOK_CHART_RENDERER": "shared"}
    with voila_server(tmp_path, env=env, timeout=600) as srv:
        srv.wait_kernels(lambda n: n >= 2, timeout=600)
        srv.wait_quiet(timeout=600)
        kernels = srv.kernel_processes()
        helpers = {p.pid: " ".join(p.cmdline()) for p in srv.processes()[1:] if p not in kernels}
        forkserver = [pid for pid, cmd in helpers.items() if "workbook.serving.forkserver" in cmd]
        renderer = [pid for pid, cmd in helpers.items() if "workbook.render.chart_server" in cmd]
        # a server with preheated pools starts the renderer at once (their warm-up draws a chart)
        assert len(forkserver) == 1 and len(renderer) == 1, helpers
        assert {p.ppid() for p in kernels} == set(forkserver), "a Module 1 kernel was not forked by the fork server"
        assert "vl_convert" in _maps(renderer[0])
        for p in kernels:
            assert "vl_convert" not in _maps(p.pid), "a page kernel loaded vl-convert"
        with urllib.request.urlopen(srv.page_url("01_servuction.ipynb"), timeout=300) as r:
            html = r.read().decode("utf-8")

        kernel_id = _kernel_id_of(html)
        client = KernelClient(srv, kernel_id, timeout=120)
        try:
            states = client.widget_states()
            password = next(mid for mid, s in states.items() if s["model_name"] == "PasswordModel")
            client.update(password, {"value": srv.codes("trainee")[0]})
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                results = [x for x in client.opened if "wb-results" in x.get("_dom_classes", [])]
                if results and "<svg" in results[0].get("value", ""):
                    break
                client.until_idle(client.send("comm_info_request", {}))
                time.sleep(0.5)
            assert results and "<svg" in results[0]["value"], "the signed-in page shows no results chart"
        finally:
            client.close()
        given = srv.kernel_ids()[kernel_id]
        assert "vl_convert" not in _maps(given), "drawing the results loaded vl-convert in the page kernel"


def _page_kernel_answers(srv, notebook: str) -> str:
    """Open a page as a browser does; its kernel id, after checking the page's widgets answer."""

    with urllib.request.urlopen(srv.page_url(notebook), timeout=300) as r:
        html = r.read().decode("utf-8")
    kernel_id = _kernel_id_of(html)
    client = KernelClient(srv, kernel_id, timeout=120)
    try:
        assert any(s["model_name"] == "IntSliderModel" for s in client.widget_states().values())
    finally:
        client.close()
    return kernel_id


def test_pages_still_get_live_kernels_after_the_fork_server_is_killed(tmp_path):
    """The fork server killed: its pooled kernel goes with it and is replaced, and the next pages get
    live kernels (a new fork server, or a plain start)."""
    env = {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / "notebooks")), "WORKBOOK_POOL_SIZE": "0",
           "WORKBOOK_POOLS": "bare.ipynb=1", "WORKBOOK_POOL_REFILL_SECONDS": "900", "WORKBOOK_KERNEL_LAUNCH": "fork"}
    with voila_server(tmp_path / "data", env=env, demo=False) as srv:
        srv.wait_kernels(lambda n: n == 1, timeout=300)
        (pooled, pid), = srv.kernel_ids().items()
        killed = [p for p in srv.processes()[1:] if "workbook.serving.forkserver" in " ".join(p.cmdline())]
        assert len(killed) == 1
        killed[0].kill()  # a zombie until the server reaps it (at the next fork request)
        deadline = time.monotonic() + 30
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, "the pooled kernel outlived its fork server"
        first = _page_kernel_answers(srv, "bare.ipynb")
        second = _page_kernel_answers(srv, "bare.ipynb")
        assert len({pooled, first, second}) == 3


def test_a_forked_kernels_page_connects_without_the_servers_kernel_info_requests(tmp_path):
    """A page's websocket to a forked kernel is confirmed by the kernel's IOPub welcome (page_connection.py): the
    kernel answers no ``kernel_info_request`` of the server's (Jupyter's nudge sent them on shell and control and their
    status messages reached the page), the page's own is answered, and its widget states come on IOPub. A kernel
    started as a new process (``kernel_launch`` "exec") is nudged as Jupyter does and works the same."""
    for launch in ("fork", "exec"):
        env = {"WORKBOOK_NOTEBOOKS_DIR": str(bare_notebooks(tmp_path / launch / "notebooks")), "WORKBOOK_POOL_SIZE": "0",
               "WORKBOOK_POOLS": "bare.ipynb=2", "WORKBOOK_KERNEL_LAUNCH": launch}
        with voila_server(tmp_path / launch / "data", env=env, demo=False) as srv:
            srv.wait_kernels(lambda n: n == 2, timeout=300)
            srv.wait_quiet(timeout=300)
            with urllib.request.urlopen(srv.page_url("bare.ipynb"), timeout=300) as r:
                html = r.read().decode("utf-8")
            kernel_id = _kernel_id_of(html)
            client = KernelClient(srv, kernel_id, timeout=120)
            seen: list[dict] = []
            real = client.messages

            def recorded(real=real, seen=seen):
                for msg in real():
                    seen.append(msg)
                    yield msg

            client.messages = recorded
            try:
                assert any(s["model_name"] == "IntSliderModel" for s in client.widget_states().values())
                mine = client.send("kernel_info_request", {})
                client.until_idle(mine)
                time.sleep(1.0)  # a nudge repeated every 0.5 s would show by now
                client.until_idle(client.send("comm_info_request", {}))
            finally:
                client.close()
            asked = {m["parent_header"].get("msg_id") for m in seen
                     if m.get("msg_type") == "status" and m["parent_header"].get("msg_type") == "kernel_info_request"}
            assert mine in asked
            if launch == "fork":
                assert asked == {mine}, f"the server asked the forked kernel for its info {len(asked - {mine})} time(s)"
            assert not [m for m in seen if m.get("msg_type") == "iopub_welcome"]  # the welcome confirms, it is not relayed
            if launch == "fork":  # the page reconnects (same session): Jupyter kept its streams, no welcome comes
                again = KernelClient(srv, kernel_id, timeout=120, session=client.session)
                try:
                    t0 = time.monotonic()
                    assert any(s["model_name"] == "IntSliderModel" for s in again.widget_states().values())
                    took = time.monotonic() - t0
                finally:
                    again.close()
                assert took < page_connection.WELCOME_WAIT / 2, f"a reconnecting page waited {took:.1f} s"


def test_a_forked_kernel_is_a_page_kernel_that_still_prints_awaits_and_stops(tmp_path, settings_env, monkeypatch):
    """A kernel forked by a real fork server runs ``PageKernelApp``: shell messages on the main thread (no shell
    channel thread, no subshells offered), stdout and stderr through ``PageOutStream`` (no IOPub round trip for a flush
    with nothing to send), its logger at its handler's level (no record built for a debug line), no "busy" before a
    widget message. What a cell prints still reaches the client before the cell ends, a cell may await, an interrupt
    stops a running cell, and a widget message is still handled and followed by "idle"."""
    import asyncio
    import signal

    from jupyter_client import BlockingKernelClient
    from jupyter_client.connect import write_connection_file

    from workbook.serving import forking

    monkeypatch.setattr(forking, "_RUNTIME", {})  # this test's own fork server and socket folder
    connection, _info = write_connection_file(str(tmp_path / "kernel.json"), transport="ipc",
                                              ip=str(tmp_path / "k"))
    pid = asyncio.run(forking.fork_kernel(["-f", connection], dict(os.environ), str(tmp_path)))
    client = BlockingKernelClient(connection_file=connection)
    client.load_connection_file()
    client.start_channels()

    def run(code: str) -> tuple[dict, str]:
        out: list[str] = []
        reply = client.execute_interactive(
            code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        return reply["content"], "".join(out)

    try:
        client.wait_for_ready(timeout=120)
        reply, out = run("import sys, logging, threading, asyncio\n"
                         "from ipykernel.kernelapp import IPKernelApp\n"
                         "app = IPKernelApp.instance()\n"
                         "print(type(app).__name__, type(app.kernel).__name__, type(sys.stdout).__name__,\n"
                         "      type(sys.stderr).__name__, logging.getLevelName(app.log.getEffectiveLevel()))\n"
                         "await asyncio.sleep(0.01)\n"
                         "print(sorted(t.name for t in threading.enumerate() if 'hell' in t.name), '<b>after</b>')")
        assert reply["status"] == "ok", reply
        assert out == "PageKernelApp PageKernel PageOutStream PageOutStream WARNING\n[] <b>after</b>\n"
        assert "kernel subshells" not in client.kernel_info(reply=True, timeout=30)["content"].get("supported_features", [])
        running = client.execute("import time\nfor _ in range(600):\n    time.sleep(0.1)")
        time.sleep(1.0)
        os.kill(pid, signal.SIGINT)
        stopped = client.get_shell_msg(timeout=30)
        assert stopped["parent_header"]["msg_id"] == running
        assert (stopped["content"]["status"], stopped["content"].get("ename")) == ("error", "KeyboardInterrupt")
        reply, out = run("print('still here')")
        assert (reply["status"], out) == ("ok", "still here\n")
        # a widget message (a click, a typed value) is followed by "idle" only; a cell by "busy" and "idle"
        reply, out = run("import ipywidgets as w\nslider = w.IntSlider()\nprint(slider.model_id)")
        while client.iopub_channel.msg_ready():
            client.get_iopub_msg(timeout=5)
        update = client.session.msg("comm_msg", {"comm_id": out.strip(), "data": {"method": "update", "state": {"value": 7},
                                                                                   "buffer_paths": []}})
        client.shell_channel.send(update)
        statuses = []
        while "idle" not in statuses:
            msg = client.get_iopub_msg(timeout=30)
            if msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == update["header"]["msg_id"]:
                statuses.append(msg["content"]["execution_state"])
        assert statuses == ["idle"], statuses
        cell = client.execute("print(slider.value)")
        statuses = []
        while "idle" not in statuses:
            msg = client.get_iopub_msg(timeout=30)
            if msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == cell:
                statuses.append(msg["content"]["execution_state"])
            elif msg["msg_type"] == "stream":
                assert msg["content"]["text"] == "7\n", "the widget message was handled"
        assert statuses == ["busy", "idle"], statuses
    finally:
        client.stop_channels()
        os.kill(pid, 9)
        forking._stop_children()
