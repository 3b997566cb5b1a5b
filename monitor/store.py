"""All SQL lives here and in ``store_outbox``: the feed schedule, entries, hits (here), the
outbox, meta values and reports (there); migrations in ``migrations``.

SQLite in WAL mode (readers never block the worker), ``synchronous=NORMAL`` (a power
loss may drop the last transactions but never corrupts the file; a process crash
loses nothing committed), ``busy_timeout`` so the CLI and the worker can share it,
foreign keys on. One feed update = one transaction: entries, hits and their
delivery rows are written together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from sqlite_utils import Database

from monitor.errors import StoreError
from monitor.migrations import enable_wal, migrate
from monitor.models import Entry, FeedConfig, FeedState, FeedUpdate, Match
from monitor.store_outbox import OutboxStore, where_clause

Route = tuple[str, str]  # (notifier name, "immediate" | "digest")
MOVED_AFTER = 3  # permanent redirects in a row before the stored URL follows them

# A feed keeps its state while its configured URL stays the same (its stored URL may
# have followed permanent redirects); a new URL in the config starts it afresh.
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
    f"disabled = CASE WHEN {_SAME} THEN disabled ELSE 0 END")


_TERMS_JSON = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per hit


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
    return f"{prefix}_{digest}"


class NewHit(NamedTuple):
    feed: str
    entry: Entry
    entry_id: int
    match: Match
    routes: tuple[Route, ...]  # where it is alerted; () when only stored


class Store(OutboxStore):
    # -- lifecycle -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> Store:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            db = Database(conn)
            db.execute("PRAGMA busy_timeout = 30000")
            enable_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            # a 32 MB page cache and a checkpoint every 40 MB of WAL (not 4 MB): the pages
            # a poll rewrites (indexes) are written back once; 13% less time storing a
            # cold poll (README, "Polling speed")
            db.execute("PRAGMA cache_size = -32768")
            db.execute("PRAGMA wal_autocheckpoint = 10000")
            # each feed's save is a savepoint, whose undo pages SQLite otherwise writes to a
            # temporary file: 134,000 writes a cold poll of 1,000 feeds, now none
            db.execute("PRAGMA temp_store = MEMORY")
            migrate(db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{path}: cannot open the database ({exc}); check the path "
                             "and that the directory is writable") from exc
        return cls(db)

    def close(self) -> None:
        self.db.close()

    # -- feeds and schedule ----------------------------------------------------
    def sync_feeds(self, feeds: Iterable[FeedConfig], now: str) -> None:
        """Make the feeds table agree with the config; new feeds are due at once."""
        with self.db.atomic():
            for feed in feeds:
                self.db.execute(_SYNC_FEED, [feed.name, feed.url, feed.url, feed.interval, now,
                                             now])

    def due_feeds(self, now: str, names: Iterable[str]) -> list[str]:
        wanted = list(names)
        rows = self.db.execute(
            "SELECT name FROM feeds WHERE next_check_at <= ? AND disabled = 0 "
            "ORDER BY next_check_at", [now])
        return [r[0] for r in rows if r[0] in wanted]

    def feed_states(self, names: Iterable[str]) -> dict[str, FeedState]:
        """The states of these feeds, read in one query."""
        wanted = set(names)
        return {row["name"]: _state(row) for row in self._rows("SELECT * FROM feeds", [])
                if row["name"] in wanted}

    def known_keys(self, feed: str, keys: Iterable[str]) -> set[str]:
        return {row[0] for row in self._where_in(
            "SELECT key FROM entries WHERE feed = ? AND key IN", [feed], list(keys))}

    def _where_in(self, sql: str, params: list[Any], values: list[str]) -> list[tuple]:
        """Rows of ``sql`` followed by ``(?, ?, ...)`` for ``values``, 500 at a time (SQLite
        caps the number of parameters)."""
        rows: list[tuple] = []
        for i in range(0, len(values), 500):
            chunk = values[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows += self.db.execute(f"{sql} ({marks})", [*params, *chunk]).fetchall()
        return rows

    # -- one poll, one transaction (or a savepoint within a group) --------------
    def begin_group(self) -> None:
        """Open a transaction that the following ``save_update`` calls join as savepoints,
        so that feeds finishing close together share one commit."""
        if not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN")

    @contextmanager
    def _atomic(self, name: str) -> Iterator[None]:
        """A transaction, or within one a savepoint with a fixed name (sqlite-utils names
        each savepoint anew, which costs a statement compilation every time)."""
        conn = self.db.conn
        if not conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")

    def end_group(self) -> None:
        """Commit the group (on failure roll it back, and raise StoreError: the feeds'
        states were not saved either, so the next poll fetches them again)."""
        if not self.db.conn.in_transaction:
            return
        try:
            self.db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.db.conn.rollback()
            raise StoreError(f"cannot commit polled feeds ({exc}); they are fetched again "
                             "on the next poll") from exc

    def save_update(self, update: FeedUpdate, matches: Mapping[str, list[Match]],
                    routes: Mapping[str, tuple[Route, ...]],
                    event_notifiers: tuple[str, ...] = ()) -> int:
        """Record the poll, its new entries, their hits and outbox rows, and any alert
        about the feed itself; return the number of new hits."""
        with self._atomic("feed"):
            self._update_feed(update)
            if update.moved_to:
                self._follow_redirects(update)
            if update.event:
                self._add_event(update, event_notifiers)
            if not update.entries:
                return 0
            ids = self._insert_entries(update.feed, update.entries, update.checked_at,
                                       {k for k, found in matches.items() if found})
            found = [NewHit(update.feed, entry, ids[entry.key], match,
                            routes.get(match.watch, ()) if update.alert else ())
                     for entry in update.entries if entry.key in ids  # new and matched
                     for match in matches.get(entry.key, [])]
            return self.add_hits(found, update.checked_at)

    def _update_feed(self, u: FeedUpdate) -> None:
        not_moved = not u.moved_to and u.status != "error"
        self.db.execute(
            "UPDATE feeds SET last_poll_at = ?, last_status = ?, last_error = ?, "
            "http_status = ?, etag = ?, last_modified = ?, error_count = ?, "
            "next_check_at = ?, last_ok_at = CASE WHEN ? = 'error' THEN last_ok_at ELSE ? END, "
            "body_hash = COALESCE(?, body_hash), disabled = ?, "
            "failing_since = CASE WHEN ? = 'error' THEN COALESCE(failing_since, ?) END, "
            "moved_to = CASE WHEN ? THEN NULL ELSE moved_to END, "  # no redirect this time
            "moved_count = CASE WHEN ? THEN 0 ELSE moved_count END WHERE name = ?",
            [u.checked_at, "gone" if u.disabled else u.status, u.error, u.http_status, u.etag,
             u.last_modified, u.error_count, u.next_check_at, u.status, u.checked_at,
             u.body_hash, int(u.disabled), u.status, u.checked_at, *[not_moved] * 2, u.feed])

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

    def _insert_entries(self, feed: str, entries: tuple[Entry, ...], now: str,
                        matched: set[str]) -> dict[str, int]:
        """Insert the entries (one batch); return the ids of those that matched.
        ``INSERT OR IGNORE`` keeps an entry another writer stored in the meantime; hits
        have stable ids, so its hits are not stored twice either."""
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO entries (feed, key, title, url, published, author, text, "
            "first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(feed, e.key, e.title, e.url, e.published, e.author, e.text, now)
             for e in entries])
        wanted = [e.key for e in entries if e.key in matched]
        return dict(self._where_in("SELECT key, id FROM entries WHERE feed = ? AND key IN",
                                   [feed], wanted))

    def add_hits(self, found: list[NewHit], now: str) -> int:
        """Store hits (once per entry and watch) and their outbox rows, in batches; return
        how many were new. Hit ids are stable, so a hit stored before is never stored or
        alerted again; the usual case (all new) costs one batch insert."""
        if not found:
            return 0
        rows = {stable_id("hit", h.feed, h.entry.key, h.match.watch): h for h in found}
        new = list(rows.items())
        try:
            with self._atomic("hits"):
                self._insert_hits(new, now)
        except sqlite3.IntegrityError:  # some were stored before: insert only the others
            existing = {row[0] for row in self._where_in("SELECT id FROM hits WHERE id IN",
                                                         [], list(rows))}
            new = [(hit_id, h) for hit_id, h in new if hit_id not in existing]
            self._insert_hits(new, now)
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO deliveries (id, hit_id, notifier, status, attempts, "
            "created_at, next_attempt_at, mode) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)",
            [(stable_id("dlv", hit_id, name), hit_id, name, now, now, mode)
             for hit_id, h in new for name, mode in h.routes])
        return len(new)

    def _insert_hits(self, new: list[tuple[str, NewHit]], now: str) -> None:
        self.db.conn.executemany(
            "INSERT INTO hits (id, entry_id, watch, feed, title, url, published, "
            "matched_at, matched_terms, snippet, author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(hit_id, h.entry_id, h.match.watch, h.feed, h.entry.title, h.entry.url,
              h.entry.published, now, _TERMS_JSON(h.match.terms),
              h.match.snippet, h.entry.author) for hit_id, h in new])

    def prune_entries(self, before: str, batch: int = 5000) -> int:
        """Delete the entries first seen before ``before`` that no hit refers to, in short
        transactions of ``batch`` rows; return how many. Hits are never deleted, nor the
        entries they cite."""
        total = 0
        while True:
            with self.db.atomic():
                cur = self.db.execute(
                    "DELETE FROM entries WHERE id IN (SELECT e.id FROM entries e WHERE "
                    "e.first_seen_at < ? AND NOT EXISTS (SELECT 1 FROM hits h WHERE "
                    "h.entry_id = e.id) LIMIT ?)", [before, batch])
            total += cur.rowcount
            if cur.rowcount < batch:
                return total

    def stored_entries(self, feed: str | None = None, since: str | None = None,
                       limit: int | None = None) -> list[tuple[int, str, Entry]]:
        """(entry id, feed, entry), newest first."""
        where, params = where_clause(("feed = ?", feed), ("first_seen_at >= ?", since))
        sql = f"SELECT * FROM entries {where} ORDER BY first_seen_at DESC, id DESC"
        rows = self._rows(sql + (" LIMIT ?" if limit else ""),
                          [*params, limit] if limit else params)
        return [(r["id"], r["feed"], Entry(r["key"], r["title"] or "", r["url"] or "",
                                           r["published"], r["text"] or "", r["author"] or ""))
                for r in rows]


def _state(row: dict[str, Any]) -> FeedState:
    return FeedState(row["name"], row["url"], row["etag"], row["last_modified"],
                     row["error_count"], row["last_ok_at"] is not None, row["body_hash"],
                     row["failing_since"], bool(row["failing_alerted"]))
