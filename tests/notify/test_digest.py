"""Digest mode: pending hits go out together, grouped by watch, on the notifier's schedule."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks.webhooks import Webhook

from monitor.notify.digest import DigestSchedule
from tests.conftest import SMTPServer
from tests.helpers import Item, rss, run_cli, write_config

ITEMS = [Item("a", "Союзные программы: тексты", "союзные программы"),
         Item("b", "Ещё союзные программы", "союзные программы"),
         Item("c", "Высший госсовет соберётся", "Высший госсовет"),
         Item("d", "Погода", "дождь")]
WATCHES = [{"name": "broad", "keywords": ["союзные программы"]},
           {"name": "council", "keywords": ["высший госсовет"], "delivery": "immediate"}]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def config_for(tmp_path: Path, feed: HTTPServer, notifier: dict) -> Path:
    feed.expect_request("/feed").respond_with_data(rss(ITEMS))
    return write_config(tmp_path / "monitor.toml",
                        feeds=[{"name": "f", "url": feed.url_for("/feed")}],
                        watches=WATCHES, notifiers=[notifier])


@pytest.mark.slow  # sleeps through retries or deadlines; runs in CI
def test_email_digest_groups_hits_and_respects_immediate_watches(
        tmp_path: Path, httpserver: HTTPServer, smtp_server: SMTPServer) -> None:
    config = config_for(tmp_path, httpserver, {
        "name": "desk", "type": "email", "smtp_host": "127.0.0.1", "smtp_port": smtp_server.port,
        "security": "none", "from": "m@example.org", "to": ["d@example.org"],
        "mode": "digest", "digest_every": "2s"})
    run_cli("poll", config=config)
    inbox = smtp_server.inbox.messages
    assert [str(m["Subject"]) for m in inbox] == [
        "[monitor] council: Высший госсовет соберётся"]  # immediate despite the digest mode
    time.sleep(2.2)
    run_cli("poll", config=config)
    assert len(inbox) == 2 and str(inbox[1]["Subject"]) == "[monitor] digest: 2 hits (broad)"
    text = inbox[1].get_body(preferencelist=("plain",)).get_content()
    assert "== broad (2)" in text and "Ещё союзные программы" in text
    time.sleep(2.2)
    run_cli("poll", config=config)
    assert len(inbox) == 2  # nothing pending: no empty digest


def test_webhook_digest_is_signed_with_a_digest_id(tmp_path: Path, httpserver: HTTPServer,
                                                   webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("ok")
    config = config_for(tmp_path, httpserver, {
        "name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook"),
        "secret": SECRET, "mode": "digest", "digest_every": "1s"})
    run_cli("poll", config=config)
    time.sleep(1.2)
    run_cli("poll", config=config)
    payloads = [Webhook(SECRET).verify(r.get_data(), dict(r.headers))
                for r, _ in webhook_server.log]
    digest = next(p for p in payloads if p["type"] == "monitor.digest")
    assert digest["id"].startswith("dgst_") and len(digest["hits"]) == 2
    assert {h["watch"] for h in digest["hits"]} == {"broad"}
    assert [p["type"] for p in payloads].count("monitor.hit") == 1


def test_digest_at_local_times() -> None:
    schedule = DigestSchedule(at=("08:00", "17:00"), timezone="Europe/Minsk")  # UTC+3
    morning = datetime(2021, 9, 10, 4, 0, tzinfo=UTC)  # 07:00 in Minsk
    assert schedule.next_after(morning) == datetime(2021, 9, 10, 5, 0, tzinfo=UTC)
    evening = datetime(2021, 9, 10, 15, 0, tzinfo=UTC)  # 18:00 in Minsk
    assert schedule.next_after(evening) == datetime(2021, 9, 11, 5, 0, tzinfo=UTC)
    hourly = DigestSchedule(every=3600)
    assert (hourly.next_after(morning) - morning).total_seconds() == 3600
