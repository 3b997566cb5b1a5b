"""The store on real SQLite files: every delivery is listed (hits and feed events alike),
and syncing the config writes only feeds that changed."""

from __future__ import annotations

from pathlib import Path

from monitor.models import FeedConfig, FeedUpdate
from monitor.store import Store

NOW = "2021-09-10T09:00:00Z"


def test_deliveries_lists_feed_events_too(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.db")
    store.sync_feeds([FeedConfig("tass", "https://tass.example/rss", 600)], NOW)
    store.save_update(FeedUpdate("tass", "error", NOW, NOW, error="HTTP 503",
                                 event="source_failing"), {}, {}, ("desk",))
    rows = store.deliveries(None, 50)
    assert [(r["kind"], r["notifier"], r["feed"]) for r in rows] == [
        ("source_failing", "desk", "tass")]
    assert rows[0]["title"] == "Source is failing: tass" and rows[0]["status"] == "pending"
    assert [a.kind for a in store.pending_alerts(NOW, ["desk"])] == ["source_failing"]


def test_sync_writes_only_feeds_that_changed(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.db")
    feeds = [FeedConfig(f"feed{i}", f"https://example.org/{i}", 600) for i in range(50)]
    store.sync_feeds(feeds, NOW)
    before = store.db.conn.total_changes
    store.sync_feeds(feeds, NOW)
    assert store.db.conn.total_changes == before  # nothing rewritten
    store.sync_feeds([*feeds[:49], FeedConfig("feed49", "https://example.org/new", 600)], NOW)
    assert store.db.conn.total_changes == before + 1
    state = store.feed_states(["feed49"])["feed49"]
    assert state.url == "https://example.org/new"


def test_due_feeds_keeps_the_order_of_next_check(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.db")
    store.sync_feeds([FeedConfig("b", "https://example.org/b", 600)], "2021-09-10T08:00:00Z")
    store.sync_feeds([FeedConfig("a", "https://example.org/a", 600)], "2021-09-10T08:30:00Z")
    assert store.due_feeds(NOW, ["a", "b", "c"]) == ["b", "a"]
    assert store.due_feeds(NOW, ["a"]) == ["a"]


def test_stored_entries_stream_in_batches_oldest_first(tmp_path: Path) -> None:
    from monitor.models import Entry

    store = Store.open(tmp_path / "m.db")
    store.sync_feeds([FeedConfig("f", "https://example.org/f", 600)], NOW)
    entries = tuple(Entry(f"k{i}", f"title {i}", "", None, "text") for i in range(1203))
    store.save_update(FeedUpdate("f", "ok", NOW, NOW, entries=entries), {}, {})
    batches = list(store.iter_entries(batch=500))
    assert [len(b) for b in batches] == [500, 500, 203]
    assert [e.key for b in batches for _, _, e in b] == [e.key for e in entries]
    assert list(store.iter_entries(since="2099-01-01T00:00:00Z")) == []


def test_hits_are_found_by_story_and_only_told_ones_are_indexed(tmp_path: Path) -> None:
    """A story's hits are looked up by the index on (story_id, watch); the hits that tell
    no story (most of them: stored only, or alerted on their own) are not in it."""
    from monitor.models import Entry, Match
    from monitor.store.hits import NewHit

    store = Store.open(tmp_path / "m.db")
    store.sync_feeds([FeedConfig("f", "https://example.org/f", 600)], NOW)
    entries = tuple(Entry(f"k{i}", f"title {i}", "", None, "text") for i in range(30))
    ids = store._insert_entries("f", entries, NOW, {e.key for e in entries})
    hits = [NewHit("f", e, ids[e.key], Match("w", ("title",), e.title), (),
                   "story-1" if i < 3 else None) for i, e in enumerate(entries)]
    assert store.add_hits(hits, NOW) == 30
    assert store._told_stories(hits) == {("story-1", "w")}
    plan = " ".join(r[-1] for r in store.db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT story_id, watch FROM hits WHERE story_id IN (?)", ["s"]))
    indexed = store.db.conn.execute(
        "SELECT sum(ncell) FROM dbstat WHERE name = 'hits_story' AND pagetype = 'leaf'")
    assert "INDEX hits_story" in plan and indexed.fetchone()[0] == 3


def test_new_hits_sort_after_every_stored_hit(tmp_path: Path) -> None:
    """A batch of new hits sorts after every hit stored before it (its entries are newer):
    a cold poll appends to the hits' id index instead of rewriting pages all over it.
    Found again, a hit keeps its id and is not stored twice."""
    from monitor.models import Entry, Match
    from monitor.store.hits import NewHit

    store = Store.open(tmp_path / "m.db")
    store.sync_feeds([FeedConfig("f", "https://example.org/f", 600)], NOW)
    batches = []
    for batch in range(3):
        entries = tuple(Entry(f"k{batch}-{i}", "t", "", None, "x") for i in range(40))
        ids = store._insert_entries("f", entries, NOW, {e.key for e in entries})
        hits = [NewHit("f", e, ids[e.key], Match(w, ("t",), "t"), ())
                for e in entries for w in ("a", "b")]
        assert store.add_hits(hits, NOW) == 80
        batches.append([r[0] for r in store.db.conn.execute(
            "SELECT id FROM hits WHERE rowid > ?", [batch * 80])])
    assert max(batches[0]) < min(batches[1]) and max(batches[1]) < min(batches[2])
    assert store.add_hits(hits, NOW) == 0
    assert store.db.conn.execute("SELECT count(DISTINCT id) FROM hits").fetchone()[0] == 240
