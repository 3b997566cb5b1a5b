"""A feed that keeps failing triggers one "source is failing" alert and, when it answers
again, one "recovered" alert; and old database files are migrated in place."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from sqlite_utils import Database

from monitor.store import Store
from monitor.store.migrations import MIGRATIONS
from tests.helpers import Item, rss, run_cli, write_config


def test_failing_source_alerts_once_and_recovers_once(tmp_path: Path, httpserver: HTTPServer,
                                                      webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("ok")
    httpserver.expect_request("/feed").respond_with_data("down", status=503)
    config = write_config(tmp_path / "monitor.toml", monitor={"failing_after": "1s"},
                          feeds=[{"name": "belta", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "w", "keywords": ["x"]}],
                          notifiers=[{"name": "hook", "type": "webhook",
                                      "url": webhook_server.url_for("/hook")}])
    run_cli("poll", config=config)
    time.sleep(1.1)
    for _ in range(3):  # failing for longer than failing_after, polled again and again
        run_cli("poll", config=config)
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(rss([Item("1", "back")]))
    run_cli("poll", config=config)
    run_cli("poll", config=config)
    kinds = [json.loads(r.get_data())["type"] for r, _ in webhook_server.log]
    assert kinds == ["monitor.source_failing", "monitor.source_recovered"]
    first = json.loads(webhook_server.log[0][0].get_data())
    assert first["feed"] == "belta" and "503" in first["message"]


def test_a_first_version_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="0002_outbox_attempts_and_digests")
    old.execute("INSERT INTO feeds (name, url) VALUES ('f', 'https://e.org/')")
    old.execute("INSERT INTO entries (feed, key, title, first_seen_at) "
                "VALUES ('f', 'id:1', 'old', '2021-09-10T00:00:00Z')")
    old.execute("INSERT INTO hits (id, entry_id, watch, feed, matched_at, matched_terms) "
                "VALUES ('hit_1', 1, 'w', 'f', '2021-09-10T00:00:00Z', '[]')")
    old.execute("INSERT INTO deliveries (id, hit_id, notifier, status, created_at, "
                "next_attempt_at) VALUES ('dlv_1', 'hit_1', 'n', 'pending', "
                "'2021-09-10T00:00:00Z', '2021-09-10T00:00:00Z')")
    old.close()
    store = Store.open(path)
    [alert] = store.pending_alerts("2030-01-01T00:00:00Z", ["n"])
    assert alert.delivery_id == "dlv_1" and alert.kind == "hit"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def feed_url(config: Path) -> str:
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        return str(conn.execute("SELECT url FROM feeds WHERE name = 'f'").fetchone()[0])


def test_permanent_redirects_move_the_feed_after_three_polls(tmp_path: Path,
                                                             httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new")})
    httpserver.expect_request("/temp").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/new")})
    httpserver.expect_request("/new").respond_with_data(rss([Item("1", "moved")]))
    feeds = [{"name": "f", "url": httpserver.url_for("/old")}]
    config = write_config(tmp_path / "monitor.toml", feeds=feeds,
                          watches=[{"name": "w", "keywords": ["x"]}])
    for _ in range(3):
        run_cli("poll", config=config)
    assert feed_url(config) == httpserver.url_for("/new")
    before = len(httpserver.log)
    run_cli("poll", config=config)
    assert [r.path for r, _ in httpserver.log[before:]] == ["/new"]
    write_config(config, feeds=[{"name": "f", "url": httpserver.url_for("/temp")}],
                 watches=[{"name": "w", "keywords": ["x"]}])
    for _ in range(4):
        run_cli("poll", config=config)
    assert feed_url(config) == httpserver.url_for("/temp")  # 302 is not a move
