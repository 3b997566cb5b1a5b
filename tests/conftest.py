"""Real local servers for tests: feeds and webhook receivers (pytest-httpserver), SMTP
(aiosmtpd). Every server binds a free port on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    messages: list[Message] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # the bytes received, as sent
    recipients: list[list[str]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # replies to give before "250 OK"
    sessions: int = 0  # EHLO greetings: one per SMTP connection

    async def handle_EHLO(self, server: object, session: object, envelope: object,
                          hostname: str, responses: list[str]) -> list[str]:
        self.sessions += 1
        session.host_name = hostname  # type: ignore[attr-defined]  # what aiosmtpd does
        return responses

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.replies:
            return self.replies.pop(0)
        data = envelope.content  # type: ignore[attr-defined]
        self.raw.append(data)
        self.messages.append(message_from_bytes(data, policy=default_policy))
        self.recipients.append(list(envelope.rcpt_tos))  # type: ignore[attr-defined]
        return "250 OK"


class SMTPServer:
    """A real SMTP server on a free loopback port that can be stopped and started again;
    optionally STARTTLS and AUTH (any keyword arguments go to aiosmtpd's SMTP)."""

    def __init__(self, **smtp_options: object) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.options = smtp_options
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     **self.options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


class QuickHTTPServer(HTTPServer):
    """Stops in 0.05 s instead of the 0.5 s its serve loop waits by default (the documented
    override point): 25 webhook tests spent 12 s stopping receivers."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.05)


@pytest.fixture
def webhook_server() -> Iterator[HTTPServer]:
    server = QuickHTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


LONG = {"test_crash.py", "test_conformance.py", "test_bench.py", "test_hostile.py", "test_gate.py",
        "test_store_open.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``slow``: the end-to-end tests (tests/e2e: real processes, signals, crashes) and the
    long ones (corpus, bench, hostile servers). ``pytest -m "not slow"`` is the fast loop."""
    for item in items:
        if item.path.name in LONG or item.path.parent.name == "e2e":
            item.add_marker(pytest.mark.slow)
