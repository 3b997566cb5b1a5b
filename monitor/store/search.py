"""The full-text indexes (FTS5 over the tables' own rows, migration 0010), brought up to
date by the process that serves searches (``monitor serve``), off the poll path: the rows
added since the last rowid indexed (kept in ``meta``), one statement per table.

A hit's ``forms`` column (the dictionary forms of its title and matched words, so that a
search for "госсовет" finds "госсовета") is filled here too, by the function the caller
passes in: a dictionary look-up per new title word was a third of a cold poll's matching
CPU when the matcher did it (``python -m bench.stages``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from monitor.store.base import StoreBase

_INDEXED = {"hits": ("title", "snippet", "forms"), "entries": ("title",)}
Forms = Callable[[str], str]  # plain text -> its words' dictionary forms, space-separated


class SearchStore(StoreBase):
    def refresh_search(self, forms: Forms | None = None) -> int:
        """Index the rows added since the last refresh (hits' forms filled first, when
        ``forms`` is given); return how many."""
        added = 0
        with self.db.atomic():
            for table, columns in _INDEXED.items():
                key = f"search_indexed:{table}"
                done = int(self.get_meta(key) or 0)
                top = self.db.execute(f"SELECT COALESCE(max(rowid), 0) FROM {table}").fetchone()[0]
                if top > done:
                    if table == "hits" and forms is not None:
                        self._fill_forms(done, top, forms)
                    names = ", ".join(columns)
                    added += self.db.execute(
                        f"INSERT INTO {table}_fts (rowid, {names}) SELECT rowid, {names} "
                        f"FROM {table} WHERE rowid > ? AND rowid <= ?", [done, top]).rowcount
                    self.set_meta(key, str(top))
        return max(added, 0)

    def _fill_forms(self, done: int, top: int, forms: Forms) -> None:
        rows = self.db.execute("SELECT rowid, title, matched_terms FROM hits WHERE rowid > ? "
                               "AND rowid <= ? AND forms = ''", [done, top]).fetchall()
        self.db.conn.executemany("UPDATE hits SET forms = ? WHERE rowid = ?", [
            (f"{forms(title or '')} {forms(' '.join(json.loads(terms or '[]')))}".strip(),
             rowid) for rowid, title, terms in rows])
