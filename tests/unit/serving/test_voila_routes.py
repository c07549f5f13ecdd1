"""serving/voila_routes.py: the one patch of Voila's ``init_handlers`` that page states and the sign-in cookie use."""
from __future__ import annotations

from types import SimpleNamespace

from voila.app import Voila

from workbook.serving import voila_routes


def test_routes_are_served_after_voilas_own_under_the_server_url_once_per_name(monkeypatch):
    monkeypatch.setattr(Voila, "init_handlers", lambda self: [("voila's own", None)])
    monkeypatch.setattr(voila_routes, "_added", set())
    voila_routes.add_voila_routes("a", lambda base_url: [(base_url + "a", None)])
    voila_routes.add_voila_routes("a", lambda base_url: [(base_url + "again", None)])  # installed once
    voila_routes.add_voila_routes("b", lambda base_url: [(base_url + "b", None)])
    behind_a_proxy = SimpleNamespace(server_url="/proxy/", base_url="/")
    assert Voila.init_handlers(behind_a_proxy) == [("voila's own", None), ("/proxy/a", None), ("/proxy/b", None)]
    assert Voila.init_handlers(SimpleNamespace(server_url="", base_url="")) == [("voila's own", None), ("/a", None), ("/b", None)]


def test_page_state_and_session_routes_go_through_it(monkeypatch):
    from workbook.serving import page_state, web_session

    monkeypatch.setattr(Voila, "init_handlers", lambda self: [])
    monkeypatch.setattr(voila_routes, "_added", set())
    page_state.install()
    web_session.install()
    routes = [pattern for pattern, *_ in Voila.init_handlers(SimpleNamespace(server_url="/base/", base_url="/"))]
    assert routes == ["/base/" + page_state.PATH, "/base/" + web_session.SESSION_PATH, "/base/" + web_session.SIGNOUT_PATH]
