"""Retention (`keep_entries`): old entries without hits are deleted; hits, and the entries
they cite, never are."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.pipeline import PRUNED_KEY, apply_retention
from monitor.store import Store
from tests.helpers import Item, rss, run_cli, write_config

FEED = rss([Item("u1", "Union programs published"), Item("w1", "Weather in Minsk")])
OLD = "2020-01-01T00:00:00Z"


def poll_then_age(tmp_path: Path, httpserver: HTTPServer, keep: str) -> Path:
    """Poll once (two entries, one hit), then make every entry look two years old."""
    httpserver.expect_request("/feed").respond_with_data(FEED)
    config = write_config(tmp_path / "monitor.toml", monitor={"keep_entries": keep},
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "programs", "keywords": ["union programs"]}])
    assert run_cli("poll", config=config).returncode == 0
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        conn.execute("UPDATE entries SET first_seen_at = ?", [OLD])
        conn.execute("DELETE FROM meta WHERE key = ?", [PRUNED_KEY])
    return config


def table(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_old_entries_without_hits_go_hits_and_their_entries_stay(
        tmp_path: Path, httpserver: HTTPServer) -> None:
    config = poll_then_age(tmp_path, httpserver, "30d")
    db = tmp_path / "monitor.db"
    hits_before = table(db, "SELECT * FROM hits")
    assert run_cli("poll", config=config).returncode == 0
    assert table(db, "SELECT title FROM entries") == [("Union programs published",)]
    assert table(db, "SELECT * FROM hits") == hits_before and len(hits_before) == 1


def test_forever_keeps_every_entry(tmp_path: Path, httpserver: HTTPServer) -> None:
    config = poll_then_age(tmp_path, httpserver, "forever")
    assert run_cli("poll", config=config).returncode == 0
    assert len(table(tmp_path / "monitor.db", "SELECT * FROM entries")) == 2


def test_retention_runs_at_most_every_six_hours(tmp_path: Path,
                                                httpserver: HTTPServer) -> None:
    poll_then_age(tmp_path, httpserver, "30d")
    store = Store.open(tmp_path / "monitor.db")
    now = datetime.now(UTC)
    store.set_meta(PRUNED_KEY, (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert apply_retention(store, 30 * 86400, now) == 0  # ran an hour ago
    assert apply_retention(store, 30 * 86400, now + timedelta(hours=6)) == 1
    store.close()


def test_a_bad_value_names_the_key_and_the_choices(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml", monitor={"keep_entries": "soon"},
                          feeds=[{"name": "f", "url": "https://example.org/rss"}],
                          watches=[{"name": "w", "keywords": ["x"]}])
    result = run_cli("check", config=config)
    assert result.returncode == 2
    assert "keep_entries" in result.stderr and '"forever"' in result.stderr
