"""A server that works, but not as configured, is a configuration error with the setting to
change: shown by `check` and `test-notify`, and not retried for days."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from monitor.errors import DeliveryError, NotifierConfigError
from monitor.notify.email import EmailNotifier
from tests.conftest import SMTPServer
from tests.helpers import Item, run_cli, write_config
from tests.notify.test_alerts import setup_feed


def email(server: SMTPServer, **extra: object) -> dict[str, object]:
    return {"name": "desk", "type": "email", "smtp_host": "127.0.0.1",
            "smtp_port": server.port, "from": "monitor@example.org",
            "to": ["desk@example.org"], **extra}


def notifier(server: SMTPServer, **extra: object) -> EmailNotifier:
    options = email(server, **extra)
    return EmailNotifier("desk", options)


@pytest.fixture
def auth_smtp() -> Iterator[SMTPServer]:
    """AUTH offered without TLS; only monitor / s3cret may log in."""
    def check(server: object, session: object, envelope: object, mechanism: str,
              data: object) -> AuthResult:
        return AuthResult(success=isinstance(data, LoginPassword)
                          and (data.login, data.password) == (b"monitor", b"s3cret"),
                          handled=False)  # not handled: aiosmtpd replies 535 itself

    server = SMTPServer(auth_require_tls=False, authenticator=check)
    server.start()
    yield server
    server.stop()


def test_no_starttls_is_a_configuration_error(smtp_server: SMTPServer) -> None:
    with pytest.raises(NotifierConfigError, match="does not offer STARTTLS: set "
                       "MONITOR_SMTP_SECURITY=none or tls ") as caught:
        notifier(smtp_server, security="starttls").probe()
    assert caught.value.permanent


def test_no_auth_is_a_configuration_error(smtp_server: SMTPServer) -> None:
    with pytest.raises(NotifierConfigError, match="does not offer AUTH.*unset "
                       "MONITOR_SMTP_USERNAME"):
        notifier(smtp_server, security="none", username="monitor", password="x").probe()


def test_a_refused_login_is_a_configuration_error(auth_smtp: SMTPServer) -> None:
    with pytest.raises(NotifierConfigError, match="refused the login.*MONITOR_SMTP_PASSWORD"):
        notifier(auth_smtp, security="none", username="monitor", password="wrong").probe()
    notifier(auth_smtp, security="none", username="monitor", password="s3cret").probe()


def test_an_unreachable_server_stays_a_temporary_failure(smtp_server: SMTPServer) -> None:
    smtp_server.stop()
    with pytest.raises(DeliveryError, match="cannot reach") as caught:
        notifier(smtp_server, security="none").probe()
    assert not caught.value.permanent


def test_security_and_auth_come_from_the_environment(tmp_path: Path,
                                                     smtp_server: SMTPServer) -> None:
    """The shipped notifier's shape: security_env and username_env unset mean starttls and no
    login; MONITOR_SMTP_SECURITY=none makes it work with a plain relay."""
    config = write_config(tmp_path / "monitor.toml", notifiers=[{
        **email(smtp_server), "security_env": "MONITOR_SMTP_SECURITY",
        "username_env": "MONITOR_SMTP_USERNAME"}])
    failed = run_cli("check", config=config, env={"MONITOR_SMTP_SECURITY": ""})
    assert failed.returncode == 2
    assert "notifiers[desk]: email, enabled; configuration error: the server" in failed.stdout
    sent = run_cli("test-notify", "desk", config=config, env={"MONITOR_SMTP_SECURITY": "none"})
    assert sent.returncode == 0 and len(smtp_server.inbox.messages) == 1
    assert run_cli("check", config=config, env={"MONITOR_SMTP_SECURITY": "none"}).returncode == 0


def test_test_notify_shows_the_configuration_error(tmp_path: Path,
                                                   smtp_server: SMTPServer) -> None:
    config = write_config(tmp_path / "monitor.toml", notifiers=[email(smtp_server)])
    result = run_cli("test-notify", "desk", config=config)
    assert result.returncode == 1
    assert "FAILED (permanent): configuration error: the server" in result.stdout


def test_the_worker_marks_the_batch_dead_once_with_the_fix(tmp_path: Path, httpserver,  # type: ignore[no-untyped-def]
                                                           smtp_server: SMTPServer) -> None:
    """Every pending alert fails with the same error after one connection, not one each."""
    items = [Item(f"u{n}", f"Союзные программы {n}", "Тексты союзных программ.")
             for n in range(3)]
    config = setup_feed(tmp_path, httpserver, [email(smtp_server, security="starttls")], items)
    result = run_cli("poll", config=config)
    assert "sent=0 retry=0 dead=3" in result.stdout
    assert smtp_server.inbox.sessions == 1
    with sqlite3.connect(tmp_path / "monitor.db") as db:
        errors = {e for (e,) in db.execute("SELECT last_error FROM deliveries")}
    [error] = errors
    assert error.startswith("configuration error: the server") and "redeliver --dead" in error
