"""Hits: one row per (entry, watch) with why it matched, and their outbox rows; stored
once (stable ids), whatever writes them (a poll, ``rematch``, two writers at once)."""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from typing import Any, NamedTuple

from monitor.models import Entry, Match, hit_id, stable_id
from monitor.store.base import StoreBase, where_clause

Route = tuple[str, str]  # (notifier name, "immediate" | "digest")
# one encoder, and each distinct list of terms encoded once (most hits of a cycle share a
# few: the encoder's per-call overhead was 10% of a cold poll's main-process CPU)
_TERMS_JSON = lru_cache(maxsize=4096)(json.JSONEncoder(ensure_ascii=False).encode)


class NewHit(NamedTuple):
    feed: str
    entry: Entry
    entry_id: int
    match: Match
    routes: tuple[Route, ...]  # where it is alerted; () when only stored
    story: str | None = None  # the story it tells (one immediate alert per story and watch)


class HitStore(StoreBase):
    def add_hits(self, found: list[NewHit], now: str) -> int:
        """Store hits (once per entry and watch) and their outbox rows, in batches; return
        how many were new. A hit is its entry and its watch: one stored before, by any
        writer and under any id, is never stored or alerted again; the usual case (all
        new) costs one batch insert."""
        if not found:
            return 0
        unique = {(h.entry_id, h.match.watch): h for h in found}
        told = self._told_stories(found)
        try:
            with self._atomic("hits"):
                new = self._insert_hits(list(unique.values()), now)
        except sqlite3.IntegrityError:  # some were stored before: insert only the others
            stored = self.stored_hit_ids(found)
            new = self._insert_hits([h for k, h in unique.items() if k not in stored], now)
        self.add_deliveries([(ident, _story_routes(h, told)) for ident, h in new], now)
        return len(new)

    def stored_hit_ids(self, found: list[NewHit]) -> dict[tuple[int, str], str]:
        """(entry id, watch) -> the id of the stored hit, for those of ``found`` stored
        (found by the index on entry and watch: a hit stored by an older monitor has an id
        of another form)."""
        wanted = {(h.entry_id, h.match.watch) for h in found}
        rows = self._where_in("SELECT entry_id, watch, id FROM hits WHERE entry_id IN", [],
                              sorted({h.entry_id for h in found}))
        return {(entry, watch): hit for entry, watch, hit in rows if (entry, watch) in wanted}

    def _told_stories(self, found: list[NewHit]) -> set[tuple[str, str]]:
        """(story, watch) pairs stored already, read in one query before the insert."""
        stories = sorted({h.story for h in found if h.story})
        return {(story, watch) for story, watch in self._where_in(
            "SELECT story_id, watch FROM hits WHERE story_id IN", [], stories)}

    def add_deliveries(self, routed: list[tuple[str, tuple[Route, ...]]], now: str) -> int:
        """Outbox rows for stored hits (one per hit and notifier, stable ids: a hit already
        routed to a notifier is left as it is); return how many were new."""
        cur = self.db.conn.executemany(
            "INSERT OR IGNORE INTO deliveries (id, hit_id, notifier, status, attempts, "
            "created_at, next_attempt_at, mode) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)",
            [(stable_id("dlv", hit_id, name), hit_id, name, now, now, mode)
             for hit_id, routes in routed for name, mode in routes])
        return max(cur.rowcount, 0)

    def hit_watch_names(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT watch FROM hits")]

    def hit_watches(self, ids: list[str]) -> dict[str, str]:
        """hit id -> its watch, for the ids that exist."""
        return {row[0]: row[1] for row in self._where_in(
            "SELECT id, watch FROM hits WHERE id IN", [], ids)}

    def _insert_hits(self, new: list[NewHit], now: str) -> list[tuple[str, NewHit]]:
        """Insert the hits; return them with their ids."""
        rows = [(hit_id(h.entry_id, h.match.watch), h) for h in new]
        self.db.conn.executemany(
            "INSERT INTO hits (id, entry_id, watch, feed, title, url, published, "
            "matched_at, matched_terms, snippet, author, story_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ident, h.entry_id, h.match.watch, h.feed, h.entry.title, h.entry.url,
              h.entry.published, now, _TERMS_JSON(h.match.terms),
              h.match.snippet, h.entry.author, h.story) for ident, h in rows])
        return rows

    def hits(self, watch: str | None, since: str | None, published_since: str | None,
             limit: int) -> list[dict[str, Any]]:
        """Newest first; ``since`` by match time, ``published_since`` by publication."""
        where, params = where_clause(("watch = ?", watch), ("matched_at >= ?", since),
                                     ("published >= ?", published_since))
        return self._rows(f"SELECT * FROM hits {where} ORDER BY matched_at DESC, "
                          "published DESC LIMIT ?", [*params, limit])


def demoted(routes: tuple[Route, ...], mode: str) -> tuple[Route, ...]:
    """The routes with their immediate alerts sent in ``mode`` ("digest", "summary")."""
    return tuple((name, mode if was == "immediate" else was) for name, was in routes)


def _story_routes(h: NewHit, told: set[tuple[str, str]]) -> tuple[Route, ...]:
    """A later copy of a story this watch already told (earlier, or earlier in this batch)
    joins it: in the digest, not a new immediate alert."""
    if h.story is None:
        return h.routes
    if (h.story, h.match.watch) in told:
        return demoted(h.routes, "digest")
    told.add((h.story, h.match.watch))
    return h.routes
