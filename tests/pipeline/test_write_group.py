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


def test_a_failing_save_in_a_group_undoes_only_its_own_feed(tmp_path: Path) -> None:
    """Each feed's save is a savepoint of the group's transaction: when one fails (here a
    trigger in the real database refuses one entry), its feed state, entries and hits are
    all undone, and the feeds saved before it in the group are still committed."""
    from monitor.models import Entry, FeedConfig, FeedUpdate, Match
    from monitor.store import Store

    store = Store.open(tmp_path / "m.db")
    now = "2021-09-10T12:00:00Z"
    store.sync_feeds([FeedConfig("a", "http://127.0.0.1:1/a", 600),
                      FeedConfig("b", "http://127.0.0.1:1/b", 600)], now)
    store.db.execute("CREATE TRIGGER refuse BEFORE INSERT ON entries WHEN NEW.key = 'id:bad' "
                     "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")

    def update(feed: str, keys: list[str]) -> FeedUpdate:
        entries = tuple(Entry(k, f"title {k}", "", None, "text") for k in keys)
        return FeedUpdate(feed, "ok", now, now, etag=f"etag-{feed}", entries=entries)

    matches = {"id:a1": [Match("w", ("title",), "title id:a1")],
               "id:b1": [Match("w", ("title",), "title id:b1")]}
    store.begin_group()
    assert store.save_update(update("a", ["id:a1"]), matches, {}) == 1
    try:
        store.save_update(update("b", ["id:b1", "id:bad"]), matches, {})
    except sqlite3.IntegrityError as exc:
        assert "refused by the test" in str(exc)
    else:
        raise AssertionError("the trigger did not refuse the entry")
    store.end_group()
    store.close()

    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert {r[0] for r in conn.execute("SELECT key FROM entries")} == {"id:a1"}
        assert [r[0] for r in conn.execute("SELECT feed FROM hits")] == ["a"]
        etags = dict(conn.execute("SELECT name, etag FROM feeds").fetchall())
    assert etags == {"a": "etag-a", "b": None}


def test_the_loop_goes_on_while_a_group_commits(tmp_path: Path) -> None:
    """A group's commit runs in a thread: here SQLite holds it (a progress handler, on the
    commit thread only) until a coroutine of the event loop has run, which it could not if
    the commit held the loop. A save made meanwhile waits for the commit, then starts the
    next group; both are stored."""
    import asyncio

    from monitor.models import Entry, FeedConfig, FeedUpdate
    from monitor.pipeline.writes import WriteGroup
    from monitor.store import Store

    store = Store.open(tmp_path / "m.db")
    now = "2021-09-10T12:00:00Z"
    store.sync_feeds([FeedConfig(f, f"http://127.0.0.1:1/{f}", 600) for f in "ab"], now)
    loop_ran, held = threading.Event(), []

    def hold() -> int:  # SQLite calls it while a statement runs
        if threading.current_thread().name.startswith("monitor-commit") and not held:
            held.append(loop_ran.wait(30))  # False: the loop never ran during the commit
        return 0

    def update(feed: str) -> FeedUpdate:
        return FeedUpdate(feed, "ok", now, now, entries=(Entry(f"id:{feed}", feed, "", None,
                                                               "text"),))

    async def poll() -> None:
        group = WriteGroup(store)
        await group.save(update("a"), {}, {}, ())
        group.flush()  # the first group's commit starts

        async def meanwhile() -> None:
            loop_ran.set()

        await asyncio.gather(meanwhile(), group.save(update("b"), {}, {}, ()))
        await group.finish()

    store.db.conn.set_progress_handler(hold, 1)
    asyncio.run(poll())
    store.close()
    assert held == [True]
    with sqlite3.connect(tmp_path / "m.db") as conn:
        assert {r[0] for r in conn.execute("SELECT key FROM entries")} == {"id:a", "id:b"}
