"""A first poll does not flood the desk: items published within first_poll_window alert one
by one, the older and undated ones go out as one summary per notifier; later polls alert
every new item at once, whatever its date."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.decide import plan_update, summarised
from monitor.models import Entry, FeedState, FetchResult, ParseResult
from tests.conftest import SMTPServer
from tests.helpers import Item, rss, run_cli, write_config

WATCH = {"name": "union", "keywords": ["союзные программы"]}


def hours_ago(hours: float) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(hours=hours))


FIRST = [Item("new", "Союзные программы: свежая новость", "союзные программы",
              pub_date=hours_ago(1)),
         Item("old1", "Союзные программы в 2021 году", "союзные программы"),
         Item("old2", "Ещё о союзных программах", "союзные программы"),
         Item("undated", "Союзные программы без даты", "союзные программы", pub_date="")]
LATER = Item("late", "Союзные программы: архивная публикация", "союзные программы")


def setup(tmp_path: Path, feed: HTTPServer, smtp: SMTPServer, hook: HTTPServer) -> Path:
    feed.expect_request("/feed").respond_with_data(rss(FIRST))
    hook.expect_request("/hook").respond_with_data("ok")
    return write_config(
        tmp_path / "monitor.toml", monitor={"first_poll_window": "24h"},
        feeds=[{"name": "f", "url": feed.url_for("/feed")}], watches=[WATCH],
        notifiers=[{"name": "desk", "type": "email", "smtp_host": "127.0.0.1",
                    "smtp_port": smtp.port, "security": "none", "from": "m@example.org",
                    "to": ["d@example.org"]},
                   {"name": "hook", "type": "webhook", "url": hook.url_for("/hook")}])


def test_the_first_poll_alerts_recent_items_and_summarises_the_rest(
        tmp_path: Path, httpserver: HTTPServer, smtp_server: SMTPServer,
        webhook_server: HTTPServer) -> None:
    config = setup(tmp_path, httpserver, smtp_server, webhook_server)
    # 4 hits to 2 notifiers: 8 deliveries, in 2 emails and 2 webhook calls
    assert "sent=8" in run_cli("poll", config=config).stdout
    subjects = [str(m["Subject"]) for m in smtp_server.inbox.messages]
    assert subjects == ["[monitor] union: Союзные программы: свежая новость",
                        "[monitor] first poll: 3 earlier hits (union)"]
    summary = smtp_server.inbox.messages[1].get_body(("plain",)).get_content()
    assert "already in their feeds" in summary and "Союзные программы без даты" in summary
    bodies = [json.loads(req.get_data()) for req, _ in webhook_server.log]
    assert [b["type"] for b in bodies] == ["monitor.hit", "monitor.summary"]
    assert len(bodies[1]["hits"]) == 3 and bodies[1]["id"].startswith("summ_")

    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(rss([*FIRST, LATER]))
    run_cli("poll", config=config)  # not a first poll: an old item is still news
    assert str(smtp_server.inbox.messages[-1]["Subject"]) == \
        "[monitor] union: Союзные программы: архивная публикация"
    assert len(smtp_server.inbox.messages) == 3


def entry(key: str, published: str | None) -> Entry:
    return Entry(key=key, title=key, url="", published=published, author="", text="")


def test_summarised_entries_are_the_old_and_the_undated() -> None:
    since = datetime(2021, 9, 10, tzinfo=UTC)
    entries = (entry("before", "2021-09-09T23:59:59Z"), entry("at", "2021-09-10T00:00:00Z"),
               entry("after", "2021-09-11T00:00:00Z"), entry("undated", None))
    assert summarised(entries, since) == {"before", "undated"}


def test_a_first_poll_that_only_stores_summarises_nothing() -> None:
    """first_poll = "store" alerts nothing, so no entry is put in a summary (and their
    dates are not read: a cold cycle of 1,000 feeds read 50,000 of them for nothing)."""
    parsed = ParseResult((entry("old", "2021-09-09T00:00:00Z"), entry("undated", None)))
    fetched = FetchResult("ok", "https://news.example/rss", 200)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    plans = {mode: plan_update(FeedState("f", "https://news.example/rss"), fetched, parsed,
                               set(), now=now, interval=600, first_poll=mode)
             for mode in ("store", "alert")}
    assert (plans["store"].alert, plans["store"].summarised) == (False, frozenset())
    assert (plans["alert"].alert, plans["alert"].summarised) == (True, {"old", "undated"})


def test_off_alerts_every_hit_at_once(tmp_path: Path, httpserver: HTTPServer,
                                      smtp_server: SMTPServer, webhook_server: HTTPServer) -> None:
    config = setup(tmp_path, httpserver, smtp_server, webhook_server)
    text = config.read_text(encoding="utf-8").replace('first_poll_window = "24h"',
                                                      'first_poll_window = "off"')
    config.write_text(text, encoding="utf-8")
    run_cli("poll", config=config)
    assert len(smtp_server.inbox.messages) == 4
