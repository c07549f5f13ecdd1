"""The lock a workbook server installs on its tornado application (``serving.hub.lock``) lets through exactly
the requests ``serving.hub.permitted`` allows, at a hub user's base URL and at the root (in process: a tornado
Application's ``find_handler``, no server started)."""
from __future__ import annotations

import pytest
from tornado import web
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from workbook.serving.hub import lock, permitted

KERNEL = "0c6f3c47-0b67-4c1a-9b0b-1d2a5d0c7e11"
PATHS = ["", "/", "voila/render/01_servuction.ipynb", f"api/kernels/{KERNEL}/channels", f"api/kernels/{KERNEL}",
         "api/kernels/", "api/contents", "lab", "tree", "terminals/websocket/1", "static/x.js", "../other/voila/render/x.ipynb"]


class _Reached(web.RequestHandler):
    pass


def _reached(app: web.Application, method: str, path: str) -> bool:
    request = HTTPServerRequest(start_line=RequestStartLine(method, path, "HTTP/1.1"), headers=HTTPHeaders({"Host": "localhost"}), connection=None)
    delegate = app.find_handler(request)
    return delegate.handler_class is _Reached


@pytest.mark.parametrize("base", ["/", "/user/ann/"])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "DELETE"])
def test_the_lock_and_the_rule_agree(base, method):
    app = web.Application([(r"/.*", _Reached)])
    lock(app, base)
    bare = "/" + base.strip("/")
    paths = {bare, bare.rstrip("/") + "/"} | {bare.rstrip("/") + "/" + p.lstrip("/") for p in PATHS}
    for path in sorted(paths):
        assert _reached(app, method, path) == permitted(method, path, base), f"{method} {path} at {base}"
    assert permitted("GET", base, base) and permitted("GET", bare, base)  # the base URL itself, with or without "/"
    assert not permitted(method, bare.rstrip("/") + "/lab", base)
