"""Entries and the save of one polled feed: all-or-nothing (a savepoint within a group
of feeds that share one commit), entries, hits and outbox rows together; retention."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from monitor.errors import StoreError
from monitor.models import Entry, FeedUpdate, Match
from monitor.store.base import where_clause
from monitor.store.documents import DocumentStore
from monitor.store.feeds import FeedStore
from monitor.store.hits import HitStore, NewHit, Route, demoted
from monitor.store.stories import StoryStore


class EntryStore(FeedStore, HitStore, DocumentStore, StoryStore):
    def begin_group(self) -> None:
        """Open a transaction that the following ``save_update`` calls join as savepoints,
        so that feeds finishing close together share one commit."""
        if not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN")

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
        if not (update.entries or update.moved_to or update.event):
            self._update_feed(update)  # one statement: atomic without a savepoint
            return 0
        with self._atomic("feed"):
            self._update_feed(update)
            if update.moved_to:
                self._follow_redirects(update)
            if update.event:
                self._add_event(update, event_notifiers)
            if not update.entries:
                return 0
            ids = self._insert_entries(update.feed, update.entries, update.checked_at,
                                       {k for k, found in matches.items() if found}
                                       | {d.entry_key for d in update.documents})
            if update.documents:
                self.add_documents(update.feed, ids, update.documents, update.checked_at)
            self.record_stories(update.feed, update.stories, update.checked_at)
            story = {m.key: m.story for m in update.stories}
            found = [NewHit(update.feed, entry, ids[entry.key], match,
                            _routes(routes.get(match.watch, ()), update, entry.key),
                            story.get(entry.key))
                     for entry in update.entries if entry.key in ids  # new and matched
                     for match in matches.get(entry.key, [])]
            return self.add_hits(found, update.checked_at)

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
        return self._with_documents(rows)

    def iter_entries(self, since: str | None = None,
                     batch: int = 500) -> Iterator[list[tuple[int, str, Entry]]]:
        """Stored entries first seen at or after ``since``, oldest first, ``batch`` at a
        time (keyset paging by id: memory stays flat however many are stored)."""
        last = 0
        while True:
            rows = self._rows("SELECT * FROM entries WHERE id > ? AND first_seen_at >= ? "
                              "ORDER BY id LIMIT ?", [last, since or "", batch])
            if not rows:
                return
            last = rows[-1]["id"]
            yield self._with_documents(rows)

    def _with_documents(self, rows: list[dict[str, Any]]) -> list[tuple[int, str, Entry]]:
        """(entry id, feed, entry) with the documents each entry carries and their text, as
        a poll matched it: ``doc:`` and ``require = "document"`` work on stored entries."""
        docs: dict[int, list[tuple[int, str, str]]] = {}
        for entry_id, order, url, text in self._where_in(
                "SELECT entry_id, rowid, url, COALESCE(text, '') FROM documents "
                "WHERE error = '' AND entry_id IN", [], [r["id"] for r in rows]):
            docs.setdefault(entry_id, []).append((order, url, text))
        return [(r["id"], r["feed"], _entry(r, sorted(docs.get(r["id"], []))))
                for r in rows]


def _entry(r: dict[str, Any], docs: list[tuple[int, str, str]]) -> Entry:
    entry = Entry(r["key"], r["title"] or "", r["url"] or "", r["published"],
                  r["text"] or "", r["author"] or "")
    if not docs:
        return entry
    return entry.with_documents(tuple(url for _, url, _ in docs), (t for _, _, t in docs))


def _routes(routes: tuple[Route, ...], update: FeedUpdate, key: str) -> tuple[Route, ...]:
    """Where a hit goes: nowhere when the update is stored only; an entry in the first
    poll's summary goes to its notifiers' summary instead of alerting at once."""
    if not update.alert:
        return ()
    return demoted(routes, "summary") if key in update.summarised else routes
