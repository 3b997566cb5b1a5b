"""A changed feed's poll: its stored items are left out by their keys before their text is
read (the newest ``RECENT_KEYS`` of them), the rest are parsed and matched in one worker
job, and every new entry is stored and alerted once, old ones never again, also those
older than the window of left-out keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.store import Store
from monitor.store.feeds import RECENT_KEYS, RECENT_SQL
from tests.helpers import Item, rss, run_cli, write_config

OLD = RECENT_KEYS + 40  # more stored items than the keys left out


def items(numbers: range) -> list[Item]:
    return [Item(f"g{n}", f"Союзная программа номер {n}", f"Текст союзной программы {n}.")
            for n in numbers]


def serve(httpserver: HTTPServer, numbers: range) -> None:
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(rss(items(numbers)))


def test_a_changed_feed_stores_and_alerts_only_its_new_items(tmp_path: Path,
                                                             httpserver: HTTPServer) -> None:
    config = write_config(
        tmp_path / "monitor.toml", monitor={"first_poll": "store"},
        feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
        watches=[{"name": "union", "keywords": ["союзная программа"], "notify": ["log"]}],
        notifiers=[{"name": "log", "type": "webhook", "url": "http://127.0.0.1:9/hook"}])
    serve(httpserver, range(OLD))
    assert run_cli("poll", config=config).returncode == 0
    serve(httpserver, range(OLD + 2))  # two new items; all the old ones still listed
    assert run_cli("poll", config=config).returncode == 0
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        entries = conn.execute("SELECT count(*), count(DISTINCT key) FROM entries").fetchone()
        hits = conn.execute("SELECT count(*), count(DISTINCT entry_id) FROM hits").fetchone()
        alerted = conn.execute("SELECT e.key FROM deliveries d JOIN hits h ON h.id = d.hit_id "
                               "JOIN entries e ON e.id = h.entry_id ORDER BY e.key").fetchall()
    assert entries == (OLD + 2, OLD + 2)
    assert hits == (OLD + 2, OLD + 2)  # every entry matched once, the new ones too
    assert alerted == [(f"id:g{OLD}",), (f"id:g{OLD + 1}",)]


def test_recent_keys_are_the_feeds_newest_stored_entries(tmp_path: Path,
                                                         httpserver: HTTPServer) -> None:
    config = write_config(tmp_path / "monitor.toml", monitor={"first_poll": "store"},
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}])
    serve(httpserver, range(5))
    assert run_cli("poll", config=config).returncode == 0
    store = Store.open(tmp_path / "monitor.db")
    try:
        assert store.recent_keys("f", 2) == {"id:g3", "id:g4"}
        assert store.recent_keys("f") == {f"id:g{n}" for n in range(5)}
        assert store.recent_keys("no such feed") == frozenset()
    finally:
        store.close()


def test_recent_keys_never_sort_all_of_a_feeds_entries(tmp_path: Path) -> None:
    """A busy feed keeps tens of thousands of entries: its newest keys are read from the
    index on (feed, id, key) alone, not by sorting them all (12 ms for 20,000, at every
    changed poll) nor by reading their rows (a 10%-changed cycle's cache grew 12 MB)."""
    store = Store.open(tmp_path / "monitor.db")
    try:
        plan = " ".join(row[-1] for row in store.db.conn.execute(
            f"EXPLAIN QUERY PLAN {RECENT_SQL}", ["f", RECENT_KEYS]))
    finally:
        store.close()
    assert "COVERING INDEX entries_feed_id" in plan and "TEMP B-TREE" not in plan, plan
