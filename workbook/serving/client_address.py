"""The visitor's address for the page's kernel, so wrong access codes are slowed per address too.

Voila hands a kernel only the page's URL and the request headers it is told to pass
(``VoilaConfiguration.http_header_envs``). In Voila's server process, ``serving.guard`` sets the
header ``X-Workbook-Client`` of every page request to ``request_address``, replacing whatever a
client sent under that name, and ``voila_command`` passes that header on: the kernel reads it as
``HTTP_X_WORKBOOK_CLIENT``. The address is the peer the server saw, unless that peer is one of
``settings.trusted_proxies``: then it is the right-most address of ``X-Forwarded-For`` that is
not a trusted proxy (what the last proxy outside our own saw). Without trusted proxies,
``X-Forwarded-For`` is ignored: anyone can send it.
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Sequence

HEADER = "X-Workbook-Client"
ENV = "HTTP_X_WORKBOOK_CLIENT"
_installed = False


def client_address() -> str:
    """The address of this page's visitor as the server saw it ('' when unknown)."""
    return os.environ.get(ENV, "")


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(addr, networks: Sequence) -> bool:
    return addr is not None and any(addr.version == n.version and addr in n for n in networks)


def visitor_address(peer: str, forwarded_for: Sequence[str], trusted: Sequence) -> str:
    """The visitor's address: ``peer`` (the direct connection), or, only when ``peer`` is a trusted
    proxy, the right-most untrusted address of the ``X-Forwarded-For`` values (each may hold a
    comma-separated list). A malformed entry stops the walk at the last trusted hop."""
    current = peer or ""
    if not _trusted(_ip(current), trusted):
        return current
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _ip(hop)
        if addr is None:
            return current
        current = str(addr)
        if not _trusted(addr, trusted):
            return current
    return current


def request_address(request, trusted: Sequence) -> str:
    """``visitor_address`` of a tornado request."""
    return visitor_address(request.remote_ip or "", request.headers.get_list("X-Forwarded-For"), trusted)
