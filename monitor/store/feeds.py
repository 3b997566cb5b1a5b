"""The feed schedule: which feeds are due, their states between polls, the result of a
poll, permanent redirects, and the "source is failing / recovered" events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from monitor.models import FeedConfig, FeedState, FeedUpdate, stable_id
from monitor.store.base import StoreBase

MOVED_AFTER = 3  # permanent redirects in a row before the stored URL follows them
# the newest stored entries of a changed feed whose items are not parsed again (a feed
# lists its latest items: these are nearly always all its stored items still listed)
RECENT_KEYS = 500
# from the index on (feed, id, key) alone (migration 0015): no sort, no row read
RECENT_SQL = "SELECT key FROM entries WHERE feed = ? ORDER BY id DESC LIMIT ?"

# A feed keeps its state while its configured URL stays the same (its stored URL may
# have followed permanent redirects); a new URL in the config starts it afresh: due now,
# its error count, error and failing run forgotten (the old URL's backoff no longer applies).
_SAME = "feeds.config_url IS excluded.config_url"
_SYNC_FEED = (
    "INSERT INTO feeds (name, url, config_url, interval, next_check_at, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
    f"interval = excluded.interval, config_url = excluded.config_url, "
    f"url = CASE WHEN {_SAME} THEN feeds.url ELSE excluded.url END, "
    f"etag = CASE WHEN {_SAME} THEN etag END, "
    f"last_modified = CASE WHEN {_SAME} THEN last_modified END, "
    f"body_hash = CASE WHEN {_SAME} THEN body_hash END, "
    f"moved_to = CASE WHEN {_SAME} THEN moved_to END, "
    f"moved_count = CASE WHEN {_SAME} THEN moved_count ELSE 0 END, "
    f"disabled = CASE WHEN {_SAME} THEN disabled ELSE 0 END, "
    f"next_check_at = CASE WHEN {_SAME} THEN next_check_at ELSE excluded.next_check_at END, "
    f"error_count = CASE WHEN {_SAME} THEN error_count ELSE 0 END, "
    f"last_error = CASE WHEN {_SAME} THEN last_error ELSE '' END, "
    f"failing_since = CASE WHEN {_SAME} THEN failing_since END "
    # an unchanged feed is not written at all (every tick syncs every feed)
    f"WHERE NOT {_SAME} OR feeds.interval IS NOT excluded.interval")


class FeedStore(StoreBase):
    def sync_feeds(self, feeds: Iterable[FeedConfig], now: str) -> None:
        """Make the feeds table agree with the config; new feeds are due at once."""
        with self.db.atomic():
            for feed in feeds:
                self.db.execute(_SYNC_FEED, [feed.name, feed.url, feed.url, feed.interval, now,
                                             now])

    def due_feeds(self, now: str, names: Iterable[str]) -> list[str]:
        wanted = set(names)
        rows = self.db.execute(
            "SELECT name FROM feeds WHERE next_check_at <= ? AND disabled = 0 "
            "ORDER BY next_check_at", [now])
        return [r[0] for r in rows if r[0] in wanted]

    def next_polls(self, names: Iterable[str], now: str) -> tuple[int, str | None]:
        """How many of these feeds are due now (never polled ones included), and when the
        next of the others is due."""
        wanted = set(names)
        rows = {r[0]: r[1] for r in self.db.execute(
            "SELECT name, next_check_at FROM feeds WHERE disabled = 0")}
        due = [n for n in wanted if n not in rows or (rows[n] or "") <= now]
        later = sorted(rows[n] for n in wanted if n in rows and (rows[n] or "") > now)
        return len(due), later[0] if later else None

    def feed_states(self, names: Iterable[str]) -> dict[str, FeedState]:
        """The states of these feeds, read in one query."""
        wanted = set(names)
        return {row["name"]: _state(row) for row in self._rows("SELECT * FROM feeds", [])
                if row["name"] in wanted}

    def failing_counts(self) -> tuple[int, int]:
        """(feeds polled at least once, of which now failing): for healthcheck."""
        row = self._one("SELECT count(*) AS polled, coalesce(sum(last_status = 'error'), 0) "
                        "AS failing FROM feeds WHERE last_poll_at IS NOT NULL AND disabled = 0",
                        [])
        return (int(row["polled"]), int(row["failing"])) if row else (0, 0)

    def record_cancelled(self, names: list[str], now: str, why: str) -> None:
        """Feeds whose poll was abandoned: shown as such; still due, so polled next time."""
        with self._atomic("cancelled"):
            self.db.conn.executemany(
                "UPDATE feeds SET last_poll_at = ?, last_status = 'cancelled', last_error = ? "
                "WHERE name = ?", [(now, why, name) for name in names])

    def recent_keys(self, feed: str, most: int = RECENT_KEYS) -> frozenset[str]:
        """The keys of the feed's ``most`` newest stored entries: a changed feed's items
        that are among them need no parsing beyond their keys."""
        return frozenset(row[0] for row in self.db.conn.execute(RECENT_SQL, [feed, most]))

    def known_keys(self, feed: str, keys: Iterable[str]) -> set[str]:
        return {row[0] for row in self._where_in(
            "SELECT key FROM entries WHERE feed = ? AND key IN", [feed], list(keys))}

    def _update_feed(self, u: FeedUpdate) -> None:
        not_moved = not u.moved_to and u.status != "error"
        self.db.conn.execute(
            "UPDATE feeds SET last_poll_at = ?, last_status = ?, last_error = ?, "
            "http_status = ?, etag = ?, last_modified = ?, error_count = ?, "
            "next_check_at = ?, last_ok_at = CASE WHEN ? = 'error' THEN last_ok_at ELSE ? END, "
            "body_hash = COALESCE(?, body_hash), disabled = ?, "
            "failing_since = CASE WHEN ? = 'error' THEN COALESCE(failing_since, ?) END, "
            "moved_to = CASE WHEN ? THEN NULL ELSE moved_to END, "  # no redirect this time
            "moved_count = CASE WHEN ? THEN 0 ELSE moved_count END, "
            "last_seconds = COALESCE(?, last_seconds) WHERE name = ?",
            [u.checked_at, "gone" if u.disabled else u.status, u.error, u.http_status, u.etag,
             u.last_modified, u.error_count, u.next_check_at, u.status, u.checked_at,
             u.body_hash, int(u.disabled), u.status, u.checked_at, *[not_moved] * 2,
             u.seconds, u.feed])

    def _follow_redirects(self, u: FeedUpdate) -> None:
        """Count permanent redirects to the same URL; after MOVED_AFTER, poll that URL."""
        self.db.execute(
            "UPDATE feeds SET moved_count = CASE WHEN moved_to = ? THEN moved_count + 1 "
            "ELSE 1 END, moved_to = ? WHERE name = ?", [u.moved_to, u.moved_to, u.feed])
        self.db.execute("UPDATE feeds SET url = moved_to, moved_count = 0 WHERE name = ? "
                        "AND moved_count >= ?", [u.feed, MOVED_AFTER])

    def _add_event(self, u: FeedUpdate, notifiers: tuple[str, ...]) -> None:
        event_id = stable_id("evt", u.feed, u.event or "", u.checked_at)
        row = self._one("SELECT url FROM feeds WHERE name = ?", [u.feed]) or {}
        self.db.execute("INSERT OR IGNORE INTO feed_events (id, feed, kind, at, url, message) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [event_id, u.feed, u.event, u.checked_at, row.get("url"),
                         u.error or "the feed answers again"])
        self.db.execute("UPDATE feeds SET failing_alerted = ? WHERE name = ?",
                        [int(u.event == "source_failing"), u.feed])
        for name in notifiers:
            self.db.execute(
                "INSERT OR IGNORE INTO deliveries (id, event_id, notifier, status, attempts, "
                "created_at, next_attempt_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)",
                [stable_id("dlv", event_id, name), event_id, name, u.checked_at, u.checked_at])

    def feed_report(self, names: Iterable[str]) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT f.*, (SELECT count(*) FROM entries e WHERE e.feed = f.name) AS entries, "
            "(SELECT count(*) FROM hits h WHERE h.feed = f.name) AS hits FROM feeds f", [])
        by_name = {r["name"]: r for r in rows}
        never = {"last_status": None, "last_poll_at": None, "next_check_at": None,
                 "entries": 0, "hits": 0, "last_error": ""}
        return [by_name.get(n, {"name": n, **never}) for n in names]


def _state(row: dict[str, Any]) -> FeedState:
    return FeedState(row["name"], row["url"], row["etag"], row["last_modified"],
                     row["error_count"], row["last_ok_at"] is not None, row["body_hash"],
                     row["failing_since"], bool(row["failing_alerted"]))
