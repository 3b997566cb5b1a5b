"""Email transport against a real SMTP server: one connection per batch of alerts, no
socket left open when STARTTLS fails, one TLS context per notifier."""

from __future__ import annotations

import contextlib
import gc
import ssl
import warnings
from collections.abc import Callable

import pytest
import trustme

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify.email import EmailNotifier
from tests.conftest import SMTPServer


def alert(n: int) -> Alert:
    return Alert(f"dlv_{n}", f"hit_{n}", "desk", "union", "tass", f"Союзная программа {n}",
                 f"https://news.example.org/{n}", "2021-09-10T09:00:00Z",
                 "2021-09-10T09:01:00Z", ("союзная программа",), "Союзная программа.")


def notifier(server: SMTPServer, **extra: object) -> EmailNotifier:
    return EmailNotifier("desk", {"smtp_host": "127.0.0.1", "smtp_port": server.port,
                                  "security": "none", "from": "monitor@example.org",
                                  "to": ["desk@example.org"], **extra})


def test_a_batch_of_alerts_shares_one_connection(smtp_server: SMTPServer) -> None:
    results = list(notifier(smtp_server).send_many([alert(n) for n in range(5)]))
    assert [error for _, error in results] == [None] * 5
    assert len(smtp_server.inbox.messages) == 5
    assert smtp_server.inbox.sessions == 1


def test_a_rejected_alert_does_not_stop_the_batch(smtp_server: SMTPServer) -> None:
    smtp_server.inbox.replies = ["550 5.7.1 rejected"]
    results = list(notifier(smtp_server).send_many([alert(1), alert(2)]))
    assert results[0][1] is not None and results[0][1].permanent
    assert results[1][1] is None and len(smtp_server.inbox.messages) == 1


def test_a_failed_starttls_leaves_no_socket_open(smtp_server: SMTPServer) -> None:
    """The server offers no STARTTLS: the error is reported and the socket is closed by us,
    not left for the garbage collector (which warns about an unclosed socket)."""
    email = notifier(smtp_server, security="starttls")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for batch in ([alert(1)], [alert(2), alert(3)]):
            with contextlib.suppress(DeliveryError):
                email.send(batch[0])
            assert all(error is not None for _, error in email.send_many(batch))
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


@pytest.fixture
def counted_contexts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the TLS contexts built (the real function still builds each one)."""
    built: list[int] = []
    real: Callable[..., ssl.SSLContext] = ssl.create_default_context

    def counting(*args: object, **kwargs: object) -> ssl.SSLContext:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    return built


def test_tls_context_is_built_once_per_notifier(tmp_path, counted_contexts) -> None:  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server = SMTPServer(tls_context=server_context, require_starttls=True)
    server.start()
    try:
        email = notifier(server, security="starttls", ca_file=str(tmp_path / "ca.pem"))
        for n in range(3):
            email.send(alert(n))
        assert [e for _, e in email.send_many([alert(7), alert(8)])] == [None, None]
    finally:
        server.stop()
    assert len(server.inbox.messages) == 5
    assert len(counted_contexts) == 1


def test_plain_smtp_builds_no_tls_context(smtp_server: SMTPServer,
                                          counted_contexts: list[int]) -> None:
    notifier(smtp_server).send(alert(1))
    assert counted_contexts == [] and len(smtp_server.inbox.messages) == 1
