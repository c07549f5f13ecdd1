"""A real SMTP server for tests (aiosmtpd on a free local port) that keeps every message it receives."""
from __future__ import annotations

import contextlib
import email
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

from servers import free_port


@dataclass
class Sink:
    """The messages the server accepted, parsed, in arrival order."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def env(self) -> dict[str, str]:
        """The WORKBOOK_* settings that point the workbook at this server (plain SMTP, no login)."""
        return {"WORKBOOK_SMTP_HOST": self.host, "WORKBOOK_SMTP_PORT": str(self.port), "WORKBOOK_SMTP_TLS": "none",
                "WORKBOOK_SMTP_FROM": "workbook@test.example"}

    def bodies_to(self, address: str) -> list[str]:
        return [m.get_payload(decode=True).decode() for m, rc in zip(self.messages, self.recipients) if address in rc]


@contextlib.contextmanager
def smtp_sink() -> Iterator[Sink]:
    """Start an aiosmtpd server on 127.0.0.1 and stop it afterwards."""
    from aiosmtpd.controller import Controller

    sink = Sink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
