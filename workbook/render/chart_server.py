"""One process that draws every kernel's charts: Vega-Lite spec in, SVG out, over a Unix socket.

vl-convert (a JavaScript engine) costs each process that loads it ~75 MB and ~0.3 s for its first
chart. Page kernels send their chart's spec here instead (``charts.to_svg`` when the setting
``chart_renderer_socket`` is set) and never import vl-convert; the SVG is the one vl-convert
draws from the same spec. Started by the Voila server when a kernel first connects to the socket it opened
(``serving.forking.start_chart_renderer``), on that socket; or on its own socket:

    python -m workbook.render.chart_server --fd LISTENING_FD
    python -m workbook.render.chart_server SOCKET_PATH

A message is a 4-byte big-endian length and that many bytes: the spec as JSON one way, the SVG
(UTF-8) back, or ``!`` and an error line.
"""
from __future__ import annotations

import json
import os
import socket
import socketserver
import struct
import sys
import threading

_LOCK = threading.Lock()


def send_message(sock: socket.socket, data: bytes) -> None:
    """One length-prefixed message."""
    sock.sendall(struct.pack(">I", len(data)) + data)


def read_message(sock: socket.socket) -> bytes:
    """One length-prefixed message (ConnectionError when the peer closed early)."""
    head = _read_exactly(sock, 4)
    return _read_exactly(sock, struct.unpack(">I", head)[0])


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise ConnectionError("chart renderer: connection closed mid-message")
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def draw(spec: dict) -> str:
    """The SVG of a Vega-Lite spec (vl-convert; one drawing at a time)."""
    import vl_convert as vlc

    with _LOCK:
        return vlc.vegalite_to_svg(spec)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            spec = json.loads(read_message(self.request))
            reply = draw(spec).encode("utf-8")
        except ConnectionError:
            return
        except Exception as exc:  # noqa: BLE001 - the kernel gets the error as one line and draws it itself
            reply = b"!" + f"{type(exc).__name__}: {exc}".splitlines()[0].encode("utf-8", "replace")
        send_message(self.request, reply)


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def serve(path: str | None = None, fd: int | None = None) -> None:
    """Listen on the Unix socket ``path``, or on the listening socket ``fd`` its parent opened (the server starts
    the renderer when a kernel first connects there), until the parent process goes away."""
    parent = os.getppid()
    if fd is not None:
        server = _Server("", _Handler, bind_and_activate=False)
        server.socket.close()
        server.socket = socket.socket(fileno=fd)
        path = None  # the parent's socket file: the parent removes it
    else:
        if os.path.exists(path):
            os.unlink(path)
        server = _Server(path, _Handler)
        os.chmod(path, 0o600)
    draw({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}})  # warm
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while os.getppid() == parent:
            threading.Event().wait(1.0)
    finally:
        server.shutdown()
        server.server_close()
        if path and os.path.exists(path):
            os.unlink(path)


if __name__ == "__main__":
    if sys.argv[1] == "--fd":
        serve(fd=int(sys.argv[2]))
    else:
        serve(sys.argv[1])
