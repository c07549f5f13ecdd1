"""benchmarks/page_client.py: the light client frames its messages as Jupyter's server reads them (the v1 websocket
protocol a browser's page uses) and reads the server's frames as the server writes them."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from page_client import TICKET, pack_v1, split_v1  # noqa: E402


def test_a_message_the_client_packs_is_the_one_jupyters_server_reads():
    header = {"msg_id": "m1", "msg_type": "comm_msg", "session": "s", "username": "trainee", "version": "5.3", "date": "2026-12-04T00:00:00Z"}
    content = {"comm_id": "c1", "data": {"method": "update", "state": {"index": 3}, "buffer_paths": []}}
    channel, parts = deserialize_msg_from_ws_v1(pack_v1("shell", header, content, {"version": "2.1.0"}))
    assert channel == "shell"
    assert [json.loads(p) for p in parts] == [header, {}, {"version": "2.1.0"}, content]


def test_a_frame_the_server_writes_is_split_into_its_parts():
    parts = [json.dumps({"msg_type": "status"}).encode(), json.dumps({"msg_id": "m1"}).encode(), b"{}",
             json.dumps({"execution_state": "idle"}).encode()]
    assert split_v1(serialize_msg_to_ws_v1(parts, "iopub")) == [b"iopub", *parts]


def test_the_sign_in_ticket_is_found_in_a_widget_value_as_the_page_script_finds_it():
    value = '<span data-wb-ticket="AbC-123_x"></span>'
    assert TICKET.findall(value.encode()) == [b"AbC-123_x"]
    assert TICKET.findall(json.dumps({"value": value}).encode()) == [b"AbC-123_x"]  # inside the undecoded JSON too


def test_under_a_path_prefix_every_request_goes_below_it():
    """A hub user's server lives under /user/<name>/: the client asks for the page (and everything after it) there."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from page_client import PageClient

    asked = []

    class Server(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            asked.append(self.path)
            body = b'<script id="jupyter-config-data" type="application/json">{"kernelId": "k-1"}</script>'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        client = PageClient(f"http://127.0.0.1:{httpd.server_address[1]}/user/ann/", timeout=10)
        assert client.open_page("/voila/render/01_servuction.ipynb") == "k-1"
        client.get("/workbook/page-state/k-1")
        client.close()
    finally:
        httpd.shutdown()
    assert asked == ["/user/ann/voila/render/01_servuction.ipynb", "/user/ann/workbook/page-state/k-1"]
