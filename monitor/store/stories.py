"""Stories: the signatures of matched entries (terms, tense, names), an inverted index of
their terms to find the candidates for a new entry among other outlets' recent ones, and
the story each belongs to. Which candidate tells the same story is decided outside (pure
similarity, ``monitor.answers.story``); this module stores and looks up."""

from __future__ import annotations

from typing import Any

from monitor.models import StoryMark, stable_id
from monitor.store.base import StoreBase

CANDIDATES = 20


class StoryStore(StoreBase):
    def story_candidates(self, feed: str, terms: frozenset[str],
                         since: str) -> list[dict[str, Any]]:
        """Entries of other feeds since ``since`` sharing the most terms with these."""
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        return self._rows(
            "SELECT s.story_id, s.tense, s.terms, s.names, count(*) AS shared "
            "FROM story_terms t JOIN stories s ON s.id = t.signature_id "
            f"WHERE t.term IN ({marks}) AND s.feed != ? AND s.at >= ? "
            "GROUP BY t.signature_id ORDER BY shared DESC, s.at LIMIT ?",
            [*sorted(terms), feed, since, CANDIDATES])

    def rarest_terms(self, terms: frozenset[str], count: int) -> list[str]:
        """The ``count`` terms with the fewest postings (a term never seen has none)."""
        seen = dict(self._where_in("SELECT term, n FROM story_term_counts WHERE term IN",
                                   [], sorted(terms)))
        return sorted(terms, key=lambda t: (seen.get(t, 0), t))[:count]

    def record_stories(self, feed: str, marks: tuple[StoryMark, ...], now: str) -> None:
        for m in marks:
            sid = stable_id("sig", feed, m.key)
            self.db.execute("INSERT OR IGNORE INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [sid, m.story, feed, m.key, now, m.tense, " ".join(m.terms),
                             " ".join(m.names)])
            self.db.conn.executemany("INSERT INTO story_terms VALUES (?, ?)",
                                     [(t, sid) for t in m.terms])
            self.db.conn.executemany(
                "INSERT INTO story_term_counts VALUES (?, 1) "
                "ON CONFLICT(term) DO UPDATE SET n = n + 1", [(t,) for t in m.terms])
