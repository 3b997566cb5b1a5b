"""The full-text indexes (FTS5 over the tables' own rows, migration 0010), brought up to
date by the process that serves searches (``monitor serve``), off the poll path: the rows
added since the last rowid indexed (kept in ``meta``), one statement per table."""

from __future__ import annotations

from monitor.store.base import StoreBase

_INDEXED = {"hits": ("title", "snippet", "forms"), "entries": ("title",)}


class SearchStore(StoreBase):
    def refresh_search(self) -> int:
        """Index the rows added since the last refresh; return how many."""
        added = 0
        with self.db.atomic():
            for table, columns in _INDEXED.items():
                key = f"search_indexed:{table}"
                done = int(self.get_meta(key) or 0)
                top = self.db.execute(f"SELECT COALESCE(max(rowid), 0) FROM {table}").fetchone()[0]
                if top > done:
                    names = ", ".join(columns)
                    added += self.db.execute(
                        f"INSERT INTO {table}_fts (rowid, {names}) SELECT rowid, {names} "
                        f"FROM {table} WHERE rowid > ? AND rowid <= ?", [done, top]).rowcount
                    self.set_meta(key, str(top))
        return max(added, 0)
