"""Answers of ``extract`` watches: the answer row, which hits were folded into it, its
changes, and the deliveries of the changes that alert, written in one transaction."""

from __future__ import annotations

from typing import Any, NamedTuple

from monitor.models import stable_id
from monitor.store.base import StoreBase
from monitor.store.hits import Route


class AnswerRow(NamedTuple):
    watch: str
    state: str
    start: str | None
    end: str | None
    sources: str  # JSON list
    history: str  # JSON list


class ChangeRow(NamedTuple):
    id: str
    change: str
    state: str
    start: str | None
    end: str | None
    title: str
    url: str
    feed: str
    published: str
    sentence: str
    details: str  # the webhook's payload fields, JSON
    routes: tuple[Route, ...]  # where it is alerted


class AnswerStore(StoreBase):
    def answer(self, watch: str) -> AnswerRow | None:
        row = self._one('SELECT watch, state, start, "end", sources, history FROM answers '
                        "WHERE watch = ?", [watch])
        return AnswerRow(**row) if row else None

    def answers(self) -> list[AnswerRow]:
        return [AnswerRow(**r) for r in self._rows(
            'SELECT watch, state, start, "end", sources, history FROM answers ORDER BY watch',
            [])]

    def unfolded_hits(self, watch: str) -> list[dict[str, Any]]:
        """The watch's hits not yet folded into its answer, in publication order, with
        their entry's text."""
        return self._rows(
            "SELECT h.id, h.feed, h.title, h.url, h.published, h.matched_at, "
            "h.matched_terms, COALESCE(e.text, '') AS text FROM hits h "
            "LEFT JOIN entries e ON e.id = h.entry_id WHERE h.watch = ? AND h.id NOT IN "
            "(SELECT hit_id FROM answer_hits WHERE watch = ?) "
            "ORDER BY COALESCE(h.published, h.matched_at), h.matched_at, h.id", [watch, watch])

    def save_answer(self, answer: AnswerRow, hit_ids: list[str], changes: list[ChangeRow],
                    now: str) -> None:
        with self.db.atomic():
            self.db.execute(
                'INSERT INTO answers (watch, state, start, "end", sources, history, '
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(watch) DO UPDATE SET "
                'state = excluded.state, start = excluded.start, "end" = excluded."end", '
                "sources = excluded.sources, history = excluded.history, "
                "updated_at = excluded.updated_at", [*answer, now])
            self.db.conn.executemany("INSERT OR IGNORE INTO answer_hits VALUES (?, ?)",
                                     [(answer.watch, h) for h in hit_ids])
            for change in changes:
                self._add_change(answer.watch, change, now)

    def _add_change(self, watch: str, c: ChangeRow, now: str) -> None:
        self.db.execute(
            'INSERT OR IGNORE INTO answer_changes (id, watch, change, state, start, "end", '
            "title, url, feed, published, sentence, at, details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [c.id, watch, c.change, c.state, c.start, c.end, c.title, c.url, c.feed,
             c.published, c.sentence, now, c.details])
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO deliveries (id, answer_id, notifier, status, attempts, "
            "created_at, next_attempt_at, mode) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)",
            [(stable_id("dlv", c.id, name), c.id, name, now, now, mode)
             for name, mode in c.routes])

    def reset_answer(self, watch: str) -> None:
        """Forget the answer and which hits made it (``rematch`` folds them again); the
        changes already alerted stay, so a rebuilt change is not alerted twice."""
        with self.db.atomic():
            self.db.execute("DELETE FROM answers WHERE watch = ?", [watch])
            self.db.execute("DELETE FROM answer_hits WHERE watch = ?", [watch])
