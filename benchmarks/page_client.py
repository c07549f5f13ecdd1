"""A page's traffic as a browser's Voila page sends it, for the benchmarks: HTTP through one kept-alive connection and
the kernel websocket in Jupyter's binary protocol (``v1.kernel.websocket.jupyter.org``, which the page's JavaScript
asks for and the server relays without decoding), each reply decoded only as far as the client needs it.

A benchmark's light clients run on the same cores as the server; a trainee's browser runs on their own machine. So
this client does what the page does over the wire and no more work of its own: it reads each frame's header part
(a few hundred bytes) and decodes a message's content only when it waits for it (its own replies, the widget
states) or when the content holds what the page would act on (a Likert radio group, the sign-in ticket).
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import socket
import time
import urllib.parse
import uuid

PROTOCOL = "v1.kernel.websocket.jupyter.org"
CONFIG_DATA = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)
TICKET = re.compile(rb'data-wb-ticket=\\?"([^"\\]+)')
STATE_CHECK_SECONDS = 5.0  # workbook-states.js: CHECK_MS, the page asks whether its kernel is still there


class WebSocket:
    """A websocket client with only what a page's kernel connection uses (RFC 6455: binary messages, masked sends,
    ping answered, close): frames parsed from a buffer filled by large reads, not a few bytes per system call."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str], timeout: float):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", f"Origin: http://{host}:{port}",
                 *(f"{k}: {v}" for k, v in headers.items() if v)]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = bytearray()
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, _, rest = bytes(self.buf).partition(b"\r\n\r\n")
        self.buf = bytearray(rest)
        status, *fields = head.decode("latin-1").split("\r\n")
        if " 101 " not in status + " ":
            raise RuntimeError(f"websocket refused: {status}")
        self.headers = {k.strip().lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        if self.headers.get("sec-websocket-accept") != accept:
            raise RuntimeError("websocket handshake: wrong Sec-WebSocket-Accept")
        self.subprotocol = self.headers.get("sec-websocket-protocol")

    def _fill(self) -> None:
        data = self.sock.recv(1 << 16)
        if not data:
            raise ConnectionError("websocket closed by the server")
        self.buf += data

    def _frame(self) -> tuple[bool, int, bytes]:
        while len(self.buf) < 2:
            self._fill()
        first, second = self.buf[0], self.buf[1]
        length, start = second & 0x7F, 2
        if length == 126:
            start = 4
        elif length == 127:
            start = 10
        while len(self.buf) < start:
            self._fill()
        if start > 2:
            length = int.from_bytes(self.buf[2:start], "big")
        while len(self.buf) < start + length:
            self._fill()
        payload = bytes(self.buf[start:start + length])
        del self.buf[:start + length]
        return bool(first & 0x80), first & 0x0F, payload

    def recv(self) -> bytes | str:
        """The next data message (binary as bytes, text as str); pings answered on the way."""
        parts, opcode = [], None
        while True:
            fin, op, payload = self._frame()
            if op == 0x9:
                self._send(0xA, payload)
                continue
            if op == 0xA:
                continue
            if op == 0x8:
                raise ConnectionError("websocket closed by the server")
            opcode = op if op else opcode
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                return data if opcode == 0x2 else data.decode("utf-8")

    def _send(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        head = bytes([0x80 | opcode]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big")
                                         if n < 1 << 16 else bytes([0x80 | 127]) + n.to_bytes(8, "big"))
        mask = os.urandom(4)
        masked = (int.from_bytes(payload, "little") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "little")).to_bytes(n, "little")
        self.sock.sendall(head + mask + masked)

    def send_binary(self, payload: bytes) -> None:
        self._send(0x2, payload)

    def close(self) -> None:
        try:
            self._send(0x8, (1000).to_bytes(2, "big"))
        except OSError:
            pass
        self.sock.close()


def pack_v1(channel: str, header: dict, content: dict, metadata: dict | None = None) -> bytes:
    """One message in the v1 websocket framing (offsets, channel, header, parent header, metadata, content)."""
    parts = [channel.encode(), json.dumps(header).encode(), b"{}", json.dumps(metadata or {}).encode(), json.dumps(content).encode()]
    offsets = [8 * (len(parts) + 2)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join([len(offsets).to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets), *parts])


def split_v1(frame: bytes) -> list[bytes]:
    """The parts of a v1 frame: channel, header, parent header, metadata, content (undecoded)."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
    return [frame[offsets[i]:offsets[i + 1]] for i in range(min(count - 1, 5))]


class PageClient:
    """One trainee's page: ``get`` / ``post`` on one HTTP connection (cookies kept as a browser keeps them) and the
    kernel websocket (``connect``). ``opened`` holds the widget models the kernel opened that the page acts on."""

    WANTED = (b"RadioButtonsModel", b"data-wb-ticket")  # comm contents decoded: Likert groups, the sign-in ticket

    def __init__(self, base_url: str, timeout: float = 300.0):
        """``base_url``: the server's address, with the path its pages live under when it has one (a hub user's
        server: ``http://hub:8000/user/ann/``); every path the client asks for is taken under it."""
        where = urllib.parse.urlsplit(base_url)
        self.hostname, self.port, self.timeout = where.hostname, where.port, timeout
        self.prefix = where.path.rstrip("/")
        self.http = http.client.HTTPConnection(where.hostname, where.port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.session = uuid.uuid4().hex
        self.ws = None
        self.opened: list[dict] = []
        self.tickets: list[str] = []
        self.frames = 0  # frames received, for the benchmark's counts
        self.checked = time.monotonic()

    # -- HTTP ------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: str = "", headers: dict | None = None) -> tuple[int, bytes]:
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        head.update(headers or {})
        self.http.request(method, self.prefix + path, body=body.encode() if body else None, headers=head)
        response = self.http.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> bytes:
        status, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        return data

    def post_form(self, path: str, fields: dict[str, str]) -> int:
        """A form POST as the page's script sends it, with the ``_xsrf`` double-submit header."""
        return self.request("POST", path, urllib.parse.urlencode(fields), {
            "Content-Type": "application/x-www-form-urlencoded", "X-XSRFToken": urllib.parse.unquote(self.cookies.get("_xsrf", ""))})[0]

    def open_page(self, path: str) -> str:
        """GET the page; returns its kernel id (the page's config data), as the page's script reads it."""
        html = self.get(path).decode("utf-8")
        m = CONFIG_DATA.search(html)
        if m is None:
            raise RuntimeError(f"page without a kernel ({len(html)} bytes): {re.sub(r'<[^>]+>', ' ', html)[-200:].split()}")
        self.kernel_id = json.loads(m.group(1))["kernelId"]
        self.cookies.setdefault("_xsrf", secrets.token_hex(16))  # the template's script sets its own (index.html.j2)
        self.checked = time.monotonic()
        return self.kernel_id

    def state_check_due(self) -> None:
        """The page's script asks every ``STATE_CHECK_SECONDS`` whether its kernel is still there: ask when due."""
        if time.monotonic() - self.checked >= STATE_CHECK_SECONDS:
            self.checked = time.monotonic()
            if json.loads(self.get(f"/workbook/page-state/{self.kernel_id}"))["state"] != "open":
                raise RuntimeError("the page's kernel is closed")

    # -- the kernel websocket ----------------------------------------------------------------
    def connect(self) -> None:
        """As the page's kernel connection does: the kernel's model over HTTP, the websocket in the v1 protocol, the
        kernel info request answered before anything else is sent."""
        self.get(f"/api/kernels/{self.kernel_id}")
        self.ws = WebSocket(self.hostname, self.port, f"{self.prefix}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
                            {"Sec-WebSocket-Protocol": PROTOCOL, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
                            self.timeout)
        if self.ws.subprotocol != PROTOCOL:
            raise RuntimeError(f"the server chose websocket protocol {self.ws.subprotocol!r}, not {PROTOCOL}")
        self.reply(self.send("kernel_info_request", {}), "kernel_info_reply")

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": "trainee", "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.ws.send_binary(pack_v1("shell", header, content, metadata))
        return msg_id

    def _next(self) -> tuple[bytes, dict, list[bytes]]:
        """The next frame: its channel, its header (decoded: a few hundred bytes), its parts."""
        while True:
            frame = self.ws.recv()
            if isinstance(frame, bytes):
                break
        self.frames += 1
        parts = split_v1(frame)
        header = json.loads(parts[1])
        if header["msg_type"] in ("comm_open", "comm_msg") and any(marker in parts[4] for marker in self.WANTED):
            self._keep(header["msg_type"], json.loads(parts[4]))
        return parts[0], header, parts

    def _keep(self, msg_type: str, content: dict) -> None:
        data = content.get("data") or {}
        state = data.get("state") or {}
        if msg_type == "comm_open" and state.get("_model_name") == "RadioButtonsModel":
            self.opened.append({"id": content["comm_id"], **state})
        for value in state.values():
            if isinstance(value, str) and "data-wb-ticket" in value:
                self.tickets.extend(m.decode() for m in TICKET.findall(value.encode()))

    def reply(self, msg_id: str, msg_type: str) -> dict:
        """Wait for the reply of type ``msg_type`` to our message ``msg_id``; its content."""
        while True:
            _channel, header, parts = self._next()
            if header["msg_type"] == msg_type and msg_id.encode() in parts[2] and json.loads(parts[2]).get("msg_id") == msg_id:
                return json.loads(parts[4])

    def until_idle(self, msg_id: str) -> None:
        """Wait until the kernel has handled our message (its ``idle`` status)."""
        while True:
            _channel, header, parts = self._next()
            if (header["msg_type"] == "status" and msg_id.encode() in parts[2]
                    and json.loads(parts[2]).get("msg_id") == msg_id and json.loads(parts[4]).get("execution_state") == "idle"):
                return

    def widget_states(self) -> dict[str, dict]:
        """Every widget model of the page, as the page's widget manager asks for them (ipywidgets 8: a control comm,
        ``request_states``, the comm closed once answered)."""
        comm = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}}, metadata={"version": "1.0.0"})
        self.send("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        while True:
            _channel, header, parts = self._next()
            if header["msg_type"] == "comm_msg" and comm.encode() in parts[4]:
                data = json.loads(parts[4])["data"]
                if data.get("method") == "update_states":
                    self.send("comm_close", {"comm_id": comm, "data": {}})
                    return data["states"]

    def update(self, model_id: str, state: dict) -> str:
        """A widget's value changed in the page (sent; not waited for)."""
        return self.send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
                         metadata={"version": "2.1.0"})

    def click(self, model_id: str) -> str:
        """A button clicked in the page (sent; not waited for)."""
        return self.send("comm_msg", {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}},
                         metadata={"version": "2.1.0"})

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        self.http.close()
