"""Times in emails and the CLI are shown in the configured time zone; the Date header has a
real offset; stored times, JSON and webhooks stay UTC."""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.models import local_time
from tests.conftest import SMTPServer
from tests.helpers import Item, rss, run_cli, write_config

ITEM = Item("u1", "Союзные программы опубликованы", "Союзные программы.")  # 12:00 +03:00


def setup(tmp_path: Path, feed: HTTPServer, smtp: SMTPServer, zone: str) -> Path:
    feed.expect_request("/feed").respond_with_data(rss([ITEM]))
    return write_config(
        tmp_path / "monitor.toml", monitor={"timezone": zone},
        feeds=[{"name": "f", "url": feed.url_for("/feed")}],
        watches=[{"name": "union", "keywords": ["союзные программы"]}],
        notifiers=[{"name": "desk", "type": "email", "smtp_host": "127.0.0.1",
                    "smtp_port": smtp.port, "security": "none", "from": "m@example.org",
                    "to": ["d@example.org"]}])


def test_emails_and_the_cli_show_local_times(tmp_path: Path, httpserver: HTTPServer,
                                            smtp_server: SMTPServer) -> None:
    config = setup(tmp_path, httpserver, smtp_server, "Europe/Minsk")
    run_cli("poll", config=config)
    [message] = smtp_server.inbox.messages
    date = parsedate_to_datetime(str(message["Date"]))
    assert date.utcoffset() is not None and date.utcoffset().total_seconds() == 3 * 3600
    assert str(message["Date"]).endswith("+0300")
    body = message.get_body(("plain",)).get_content()
    assert "Published: 2021-09-10 12:00 +03" in body
    hits = run_cli("hits", config=config).stdout
    assert "published 2021-09-10 12:00 +03" in hits
    [row] = json.loads(run_cli("hits", "--json", config=config).stdout)
    assert row["published"] == "2021-09-10T09:00:00Z"  # JSON stays UTC


def test_utc_is_the_default_and_says_so() -> None:
    assert local_time("2021-09-10T09:00:00Z") == "2021-09-10 09:00 UTC"
    assert local_time(None, "UTC", "undated") == "undated"


def test_an_unknown_time_zone_is_a_config_error(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml", monitor={"timezone": "Europe/Mink"})
    result = run_cli("check", config=config)
    assert result.returncode == 2
    assert "monitor.timezone: 'Europe/Mink' is not a known time zone" in result.stderr
