"""A feed whose URL was fixed in the config is polled at once: the old URL's backoff,
error count and error are forgotten; `monitor feeds` shows the URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.models import FeedConfig, iso
from monitor.store import Store
from tests.helpers import Item, rss, run_cli, write_config

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_a_changed_url_resets_the_schedule_and_the_errors(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "monitor.db")
    store.sync_feeds([FeedConfig("belta", "https://belta.example/rss", 600)], iso(NOW))
    later = iso(NOW + timedelta(hours=6))
    store.db.execute("UPDATE feeds SET error_count = 9, last_error = 'HTTP 404', "
                     "next_check_at = ?, failing_since = ? WHERE name = 'belta'",
                     [later, iso(NOW)])
    store.sync_feeds([FeedConfig("belta", "https://belta.example/rss", 600)], iso(NOW))
    assert store.due_feeds(iso(NOW), ["belta"]) == []  # same URL: the backoff stands
    store.sync_feeds([FeedConfig("belta", "https://www.belta.by/rss", 600)], iso(NOW))
    assert store.due_feeds(iso(NOW), ["belta"]) == ["belta"]
    [state] = store.feed_states(["belta"]).values()
    assert state.error_count == 0 and state.failing_since is None
    assert store.feed_report(["belta"])[0]["last_error"] == ""


def test_feeds_shows_each_url_and_the_last_error_below(tmp_path: Path,
                                                       httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ok").respond_with_data(rss([Item("1", "x")]))
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    config = write_config(tmp_path / "monitor.toml", feeds=[
        {"name": "ok", "url": httpserver.url_for("/ok")},
        {"name": "broken", "url": httpserver.url_for("/gone")},
        {"name": "new", "url": "https://example.org/new.rss"}])
    run_cli("poll", "--feed", "ok", config=config)
    run_cli("poll", "--feed", "broken", config=config)
    out = run_cli("feeds", config=config).stdout
    assert httpserver.url_for("/ok") in out and "https://example.org/new.rss" in out
    assert "last error: HTTP 404" in out
