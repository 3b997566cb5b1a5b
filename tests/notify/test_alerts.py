"""Alerts are never lost and never doubled: outbox, retries, dead rows, TLS, escaping."""

from __future__ import annotations

import json
import sqlite3
import ssl
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme
from aiosmtpd.smtp import AuthResult, LoginPassword
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify import render
from monitor.notify.outbox import RetryPolicy
from monitor.notify.webhook import WebhookNotifier
from monitor.sources.netguard import AddressPolicy
from tests.conftest import SMTPServer
from tests.helpers import Item, rss, run_cli, write_config

ITEM = Item("u1", "Союзные программы опубликованы", "Тексты союзных программ опубликованы.")
WATCH = {"name": "w", "keywords": ["союзные программы"]}


def email(server: SMTPServer, **extra: object) -> dict:
    return {"name": "desk", "type": "email", "smtp_host": "127.0.0.1", "smtp_port": server.port,
            "security": "none", "from": "monitor@example.org", "to": ["desk@example.org"],
            **extra}


def setup_feed(tmp_path: Path, feed: HTTPServer, notifiers: list[dict],
               items: list[Item] | None = None) -> Path:
    feed.expect_request("/feed").respond_with_data(rss(items or [ITEM]))
    return write_config(tmp_path / "monitor.toml", monitor={"retry_delay": "1s"},
                        feeds=[{"name": "f", "url": feed.url_for("/feed")}],
                        watches=[WATCH], notifiers=notifiers)


SAMPLE = Alert("dlv_sample", "hit_sample", "hook", "union", "f", "Союзные программы",
               "https://news.example.org/u1", "2021-09-10T09:00:00Z", "2021-09-10T09:01:00Z",
               ("союзные программы",), "Союзные программы.")


def rows(config: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        return conn.execute(sql).fetchall()


def poll_until_quiet(config: Path, rounds: int = 6) -> None:
    """Poll again after each retry delay until nothing is pending any more."""
    for _ in range(rounds):
        assert run_cli("poll", config=config).returncode == 0
        if rows(config, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(0,)]:
            return
        time.sleep(1.5)


@pytest.fixture
def tls_smtp(tmp_path: Path):  # type: ignore[no-untyped-def]
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    def check(server: object, session: object, envelope: object, mechanism: str,
              data: object) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"monitor", b"s3cret")
        if ok:
            inbox.logins.append("monitor")
        return AuthResult(success=ok)

    server = SMTPServer(tls_context=server_context, require_starttls=True,
                        auth_required=True, auth_require_tls=True, authenticator=check)
    inbox = server.inbox
    server.start()
    yield server, ca_file
    server.stop()


def test_starttls_with_a_verified_certificate_and_login(tmp_path: Path, httpserver: HTTPServer,
                                                        tls_smtp) -> None:  # type: ignore
    server, ca_file = tls_smtp
    config = setup_feed(tmp_path, httpserver, [email(
        server, security="starttls", username="monitor", password_env="SMTP_PW",
        ca_file=str(ca_file))])
    result = run_cli("poll", config=config, env={"SMTP_PW": "s3cret"})
    assert "sent=1" in result.stdout, result.stdout + result.stderr
    assert len(server.inbox.messages) == 1 and server.inbox.logins == ["monitor"]


def test_starttls_refuses_an_unverified_certificate(tmp_path: Path, httpserver: HTTPServer,
                                                    tls_smtp) -> None:  # type: ignore
    server, _ = tls_smtp
    config = setup_feed(tmp_path, httpserver, [email(
        server, security="starttls", username="monitor", password="s3cret")])
    assert "retry=1" in run_cli("poll", config=config).stdout
    [(error,)] = rows(config, "SELECT last_error FROM deliveries")
    assert "CERTIFICATE_VERIFY_FAILED" in error and server.inbox.messages == []


def test_smtp_451_is_retried_and_550_is_dead(tmp_path: Path, httpserver: HTTPServer,
                                             smtp_server: SMTPServer) -> None:
    smtp_server.inbox.replies = ["451 4.3.0 try again later"]
    config = setup_feed(tmp_path, httpserver, [email(smtp_server)])
    poll_until_quiet(config)
    assert len(smtp_server.inbox.messages) == 1
    outcomes = [o for (o,) in rows(config, "SELECT outcome FROM delivery_attempts ORDER BY id")]
    assert outcomes == ["retry", "sent"]
    smtp_server.inbox.replies = ["550 5.7.1 rejected"]
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(rss([ITEM, Item(
        "u2", "Ещё союзные программы", "Союзные программы")]))
    run_cli("poll", config=config)
    dead = rows(config, "SELECT last_error FROM deliveries WHERE status = 'dead'")
    assert len(dead) == 1 and "SMTP 550" in dead[0][0]


@pytest.mark.parametrize(("status", "outcome"), [
    (500, "pending"), (503, "pending"), (429, "pending"), (408, "pending"),
    (400, "dead"), (410, "dead"), (302, "dead"),
])
def test_webhook_status_codes(tmp_path: Path, httpserver: HTTPServer,
                              webhook_server: HTTPServer, status: int, outcome: str) -> None:
    webhook_server.expect_request("/hook").respond_with_data(
        "no", status=status, headers={"Location": "https://elsewhere.example/"})
    config = setup_feed(tmp_path, httpserver, [
        {"name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook")}])
    run_cli("poll", config=config)
    assert rows(config, "SELECT status FROM deliveries") == [(outcome,)]


@pytest.mark.slow  # sleeps through retries or deadlines; runs in CI
def test_webhook_down_then_back_delivers_once_with_the_same_id(
        tmp_path: Path, httpserver: HTTPServer, webhook_server: HTTPServer) -> None:
    calls: list[str] = []

    def flaky(request: Request) -> Response:
        calls.append(request.headers["webhook-id"])
        return Response("down", status=500 if len(calls) < 3 else 200)

    webhook_server.expect_request("/hook").respond_with_handler(flaky)
    config = setup_feed(tmp_path, httpserver, [
        {"name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook")}])
    poll_until_quiet(config)
    assert len(calls) == 3 and len(set(calls)) == 1  # retried with one stable id
    run_cli("poll", config=config)
    assert len(calls) == 3  # never again once delivered


def test_slow_webhook_fails_within_its_deadline(tmp_path: Path, httpserver: HTTPServer) -> None:
    """The 1 s deadline is measured around the send itself, in this process (no
    interpreter start-up inside the limit), with a margin for a busy machine."""
    slow = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    slow.expect_request("/hook").respond_with_handler(
        lambda r: (time.sleep(8), Response("late"))[1])
    slow.start()
    try:
        hook = WebhookNotifier("hook", {"url": slow.url_for("/hook"), "timeout": 1.0},
                               policy=AddressPolicy(allow_private=True))
        started = time.monotonic()
        with pytest.raises(DeliveryError, match="within 1s") as failed:
            hook.send(SAMPLE)
        assert time.monotonic() - started < 1 + 3  # contract 1 s, margin 3 s
        assert not failed.value.permanent
        config = setup_feed(tmp_path, httpserver, [{"name": "hook", "type": "webhook",
                                                    "url": slow.url_for("/hook"),
                                                    "timeout": "1s"}])
        run_cli("poll", config=config)
        [(error,)] = rows(config, "SELECT last_error FROM deliveries")
        assert "within 1s" in error
    finally:
        slow.clear()
        slow.stop()


def test_feed_html_and_header_injection_are_neutralised(
        tmp_path: Path, httpserver: HTTPServer, smtp_server: SMTPServer) -> None:
    title = '&lt;a href="https://evil.example"&gt;pay&lt;/a&gt; союзные программы'
    body = rss([ITEM]).replace(b"<title>" + ITEM.title.encode(), b"<title>" + title.encode())
    body = body.replace(b"<pubDate>", b"<author>x@example.org\nBcc: victim@example.org"
                        b"</author><pubDate>", 1)
    httpserver.expect_request("/feed").respond_with_data(body)
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=[WATCH], notifiers=[email(smtp_server)])
    run_cli("poll", config=config)
    [message] = smtp_server.inbox.messages
    assert message["Bcc"] is None and smtp_server.inbox.recipients == [["desk@example.org"]]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "https://evil.example" not in html  # the tag was text, and is gone
    assert html.count("<a ") == 1  # only the entry's own link
    assert "\n" not in str(message["Subject"])
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Bcc: victim" in text.replace("\n", " ")  # shown as text on the author line


def test_payload_stays_small_for_a_huge_entry() -> None:
    alert = Alert("dlv_x", "hit_x", "hook", "w", "f", "Т" * 50_000, "https://e.org/",
                  None, "2021-09-10T00:00:00Z", tuple("слово" * 50 for _ in range(500)),
                  "с" * 100_000, "a" * 10_000)
    body = json.dumps(render.webhook_payload(alert), ensure_ascii=False).encode()
    assert len(body) < 20_000 and json.loads(body)["url"] == "https://e.org/"


def test_deliveries_redeliver_and_test_notify(tmp_path: Path, httpserver: HTTPServer,
                                              webhook_server: HTTPServer,
                                              smtp_server: SMTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("gone", status=410)
    config = setup_feed(tmp_path, httpserver, [
        {"name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook")},
        email(smtp_server), {"name": "off", "type": "webhook", "url_env": "UNSET_URL"}])
    run_cli("poll", config=config)
    dead = run_cli("deliveries", "--dead", config=config).stdout
    assert "dead" in dead and "HTTP 410" in dead and "desk" not in dead
    assert "requeued 1 delivery" in run_cli("redeliver", "--dead", config=config).stdout
    assert rows(config, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(1,)]
    sent = run_cli("test-notify", "desk", config=config)
    assert sent.returncode == 0 and "sent a test alert" in sent.stdout
    assert run_cli("test-notify", "hook", config=config).returncode == 1
    assert run_cli("test-notify", "off", config=config).returncode == 2


def test_retry_schedule_doubles_with_jitter_and_gives_up() -> None:
    policy = RetryPolicy(first_delay=60, give_up_after=3 * 86400)
    start = datetime(2021, 9, 10, tzinfo=UTC)
    delays = [(policy.next_attempt(n, start, start, rand=lambda: 0.5) - start).total_seconds()
              for n in range(1, 12)]  # type: ignore[operator]
    assert delays[:4] == [60, 120, 240, 480] and max(delays) == 6 * 3600
    low = policy.next_attempt(1, start, start, rand=lambda: 0.0)
    high = policy.next_attempt(1, start, start, rand=lambda: 1.0)
    assert low == start + timedelta(seconds=48) and high == start + timedelta(seconds=72)
    late = start + timedelta(days=3)
    assert policy.next_attempt(20, start, late) is None
