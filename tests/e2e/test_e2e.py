"""The whole loop against real local servers, through the real CLI in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks.webhooks import Webhook
from werkzeug import Request, Response

from tests.conftest import SMTPServer
from tests.helpers import Item, rss, write_config
from tests.helpers import run_cli_process as run_cli

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ITEMS = [
    Item("a1", "Путин и Лукашенко утвердили союзные программы",
         "<p>Президенты <b>утвердили</b> 28 союзных программ. Союзные программы вступают "
         "в силу.</p>"),
    Item("a2", "Kremlin: union programs to be published",
         "The texts of the Union Programs will be published after the meeting."),
    Item("a3", "Высший Государственный совет соберется в ноябре",
         "Дата заседания Высшего Государственного совета названа."),
    Item("a4", "Weather in Minsk", "Rain and wind all week."),
    Item("a5", "A programmer's union", "The union of programmers met on programs day."),
]
WATCHES = [
    {"name": "union-programs", "keywords": ["union programs", "союзные программы"]},
    {"name": "council", "keywords": ["Высший Государственный совет", "Supreme State Council"]},
]


def notifiers(smtp: SMTPServer, hook: HTTPServer) -> list[dict]:
    return [
        {"name": "desk", "type": "email", "smtp_host": "127.0.0.1", "smtp_port": smtp.port,
         "security": "none", "from": "monitor@example.org", "to": ["desk@example.org"]},
        {"name": "hook", "type": "webhook", "url": hook.url_for("/hook"),
         "secret_env": "TEST_WEBHOOK_SECRET"},
    ]


@pytest.fixture
def setup(tmp_path: Path, httpserver: HTTPServer, smtp_server: SMTPServer,
          webhook_server: HTTPServer) -> Path:
    httpserver.expect_request("/news.xml").respond_with_data(
        rss(ITEMS), content_type="application/rss+xml")
    webhook_server.expect_request("/hook", method="POST").respond_with_data("ok")
    return write_config(tmp_path / "monitor.toml",
                        feeds=[{"name": "news", "url": httpserver.url_for("/news.xml")}],
                        watches=WATCHES, notifiers=notifiers(smtp_server, webhook_server))


def poll(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("poll", *args, config=config, env={"TEST_WEBHOOK_SECRET": SECRET})
    assert result.returncode == 0, result.stderr
    return result


def db_rows(config: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        return conn.execute(sql).fetchall()


def test_full_poll_stores_hits_and_alerts_once(setup: Path, smtp_server: SMTPServer,
                                               webhook_server: HTTPServer) -> None:
    out = poll(setup).stdout
    assert "new=5" in out and "hits=3" in out and "sent=6" in out
    hits = db_rows(setup, "SELECT watch, title, matched_terms FROM hits ORDER BY title")
    assert {(w, t) for w, t, _ in hits} == {
        ("union-programs", "Kremlin: union programs to be published"),
        ("union-programs", "Путин и Лукашенко утвердили союзные программы"),
        ("council", "Высший Государственный совет соберется в ноябре"),
    }
    assert json.loads(hits[0][2]) == ["union programs", "Union Programs"]
    assert len(smtp_server.inbox.messages) == 3
    assert len(webhook_server.log) == 3
    poll(setup)  # a second poll adds nothing and sends nothing
    assert db_rows(setup, "SELECT count(*) FROM hits") == [(3,)]
    assert len(smtp_server.inbox.messages) == 3
    assert len(webhook_server.log) == 3


def test_webhook_is_signed_and_carries_the_hit(setup: Path, webhook_server: HTTPServer) -> None:
    poll(setup)
    payloads = []
    for request, _ in webhook_server.log:
        verified = Webhook(SECRET).verify(request.get_data(), dict(request.headers))
        payloads.append(verified)
        assert request.headers["webhook-id"] == verified["id"]
    council = next(p for p in payloads if p["watch"] == "council")
    assert council["title"] == "Высший Государственный совет соберется в ноябре"
    assert council["url"] == "https://news.example.org/a3"
    assert council["feed"] == "news" and council["published"] == "2021-09-10T09:00:00Z"
    assert council["matched_terms"] == ["Высший Государственный совет",
                                        "Высшего Государственного совета"]
    assert "Высший Государственный совет" in council["snippet"]


def test_email_names_watch_and_title(setup: Path, smtp_server: SMTPServer) -> None:
    poll(setup)
    subjects = sorted(str(m["Subject"]) for m in smtp_server.inbox.messages)
    assert "[monitor] council: Высший Государственный совет соберется в ноябре" in subjects
    message = smtp_server.inbox.messages[0]
    assert message.get_content_type() == "multipart/alternative"
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None and "<mark>" in html_part.get_content()


def test_smtp_down_leaves_alerts_pending_until_it_is_back(setup: Path,
                                                          smtp_server: SMTPServer) -> None:
    write_retry_fast(setup)
    smtp_server.stop()
    out = poll(setup).stdout
    assert "sent=3 retry=1" in out  # webhooks went out; email retried once, others wait
    assert db_rows(setup, "SELECT count(*) FROM deliveries WHERE status = 'pending'") == [(3,)]
    error = db_rows(setup, "SELECT last_error FROM deliveries WHERE attempts = 1 "
                           "AND status = 'pending'")[0][0]
    assert "cannot reach SMTP server" in error
    smtp_server.start()
    time.sleep(1.2)
    assert "sent=3" in poll(setup).stdout
    assert len(smtp_server.inbox.messages) == 3
    poll(setup)
    assert len(smtp_server.inbox.messages) == 3


def write_retry_fast(config: Path) -> None:
    text = config.read_text().replace("[monitor]\n", "[monitor]\nretry_delay = \"1s\"\n", 1)
    config.write_text(text)


def test_second_poll_uses_conditional_get(tmp_path: Path, httpserver: HTTPServer) -> None:
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(rss(ITEMS), content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed").respond_with_handler(handler)
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=WATCHES)
    poll(config)
    out = poll(config).stdout
    assert seen == [None, '"v1"']
    assert "not_modified" in out and "new=0" in out


def test_failing_feeds_are_recorded_and_do_not_stop_others(tmp_path: Path,
                                                           httpserver: HTTPServer) -> None:
    httpserver.expect_request("/good").respond_with_data(rss(ITEMS))
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    httpserver.expect_request("/garbage").respond_with_data(b"\x00\x01 not xml at all <<<")
    config = write_config(tmp_path / "monitor.toml", feeds=[
        {"name": "broken", "url": httpserver.url_for("/broken")},
        {"name": "garbage", "url": httpserver.url_for("/garbage")},
        {"name": "nodns", "url": "http://no-such-host.invalid/feed"},
        {"name": "good", "url": httpserver.url_for("/good")},
    ], watches=WATCHES)
    out = poll(config).stdout
    assert "hits=3" in out
    errors = dict(db_rows(config, "SELECT name, last_error FROM feeds WHERE last_status = 'error'"))
    assert "HTTP 500" in errors["broken"]
    assert "not a feed" in errors["garbage"]
    assert "cannot" in errors["nodns"]
    feeds = run_cli("feeds", config=config).stdout
    assert "HTTP 500" in feeds and "good" in feeds


def test_first_poll_store_records_hits_without_alerts(tmp_path: Path, httpserver: HTTPServer,
                                                      smtp_server: SMTPServer,
                                                      webhook_server: HTTPServer) -> None:
    httpserver.expect_request("/news.xml").respond_with_data(rss(ITEMS[:2]))
    webhook_server.expect_request("/hook", method="POST").respond_with_data("ok")
    config = write_config(tmp_path / "monitor.toml", monitor={"first_poll": "store"},
                          feeds=[{"name": "news", "url": httpserver.url_for("/news.xml")}],
                          watches=WATCHES, notifiers=notifiers(smtp_server, webhook_server))
    poll(config)
    assert db_rows(config, "SELECT count(*) FROM hits") == [(2,)]
    assert smtp_server.inbox.messages == [] and len(webhook_server.log) == 0
    httpserver.clear()
    httpserver.expect_request("/news.xml").respond_with_data(rss(ITEMS[:3]))
    poll(config)  # a later poll alerts about what is new
    assert len(smtp_server.inbox.messages) == 1 and len(webhook_server.log) == 1


def test_hits_export_with_sqlite_utils_and_cli(setup: Path) -> None:
    poll(setup)
    db = str(setup.parent / "monitor.db")
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", "rows", db, "hits", "--csv"],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3
    assert {"watch", "feed", "title", "url", "published", "matched_at", "matched_terms",
            "snippet"} <= set(rows[0])
    listed = json.loads(run_cli("hits", "--watch", "council", "--json", config=setup).stdout)
    assert [h["watch"] for h in listed] == ["council"]
    assert "Высший" in run_cli("hits", config=setup).stdout
