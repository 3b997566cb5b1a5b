"""Feeds that finish close together share a commit, but a slow feed never holds the others'
results back: they are committed (visible to another connection, e.g. `monitor hits` or
`sqlite-utils`) while the slow feed is still being fetched."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.helpers import Item, rss, write_config

FAST = rss([Item("f1", "fast one"), Item("f2", "fast two")])
SLOW = rss([Item("s1", "slow one")])


def stored_titles(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return {row[0] for row in conn.execute("SELECT title FROM entries")}
    except sqlite3.OperationalError:  # the tables are not created yet
        return set()


def test_a_slow_feed_does_not_hold_back_the_commit_of_the_others(tmp_path: Path) -> None:
    seen_fast = threading.Event()
    released: list[bool] = []

    def slow_answer(request: Request) -> Response:
        # answer only once the fast feed is visible from outside (False: it never was)
        released.append(seen_fast.wait(60))
        return Response(SLOW, content_type="application/rss+xml")

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.expect_request("/fast").respond_with_data(FAST, content_type="application/rss+xml")
    server.expect_request("/slow").respond_with_handler(slow_answer)
    server.start()
    db = tmp_path / "monitor.db"
    config = write_config(tmp_path / "monitor.toml", monitor={"fetch_timeout": "90s"},
                          feeds=[{"name": "slow", "url": server.url_for("/slow")},
                                 {"name": "fast", "url": server.url_for("/fast")}],
                          watches=[{"name": "w", "keywords": ["one"]}])
    poll = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "poll"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while poll.poll() is None and not seen_fast.is_set():
            if {"fast one", "fast two"} <= stored_titles(db):
                seen_fast.set()
            time.sleep(0.05)
        out, err = poll.communicate(timeout=120)
    finally:
        seen_fast.set()
        poll.kill()
        server.stop()
    assert poll.returncode == 0, err
    assert released == [True]  # the fast feed was committed while the slow one was pending
    assert stored_titles(db) == {"fast one", "fast two", "slow one"}
    assert "slow " in out and "fast " in out
