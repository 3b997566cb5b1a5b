"""The outbox: deliveries (of hits and of feed events) and their attempts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from monitor.models import Alert
from monitor.store.base import StoreBase, where_clause

# A delivery carries a hit or a feed event ("source is failing / recovered"): both are read
# as one row shape, each column named (never matched by position).
_ALERT_COLUMNS = ", ".join((
    "d.id AS delivery_id", "d.notifier AS notifier", "d.created_at AS created_at",
    "COALESCE(h.id, e.id, a.id) AS id", "COALESCE(h.watch, a.watch) AS watch",
    "COALESCE(h.feed, e.feed, a.feed) AS feed",
    "COALESCE(h.title, 'Source ' || CASE e.kind WHEN 'source_failing' THEN 'is failing: ' "
    "ELSE 'recovered: ' END || e.feed, a.title) AS title",
    "COALESCE(h.url, e.url, a.url) AS url", "COALESCE(h.published, a.published) AS published",
    "COALESCE(h.matched_at, e.at, a.at) AS matched_at",
    "COALESCE(h.matched_terms, '[]') AS matched_terms",
    "COALESCE(h.snippet, e.message, a.sentence) AS snippet",
    "COALESCE(h.author, '') AS author",
    "COALESCE(e.kind, CASE WHEN a.id IS NOT NULL THEN 'answer' END, 'hit') AS kind",
    "COALESCE(a.details, '') AS details",
    "(SELECT json_group_array(json_object('url', x.url, 'content_type', x.content_type, "
    "'size', x.size, 'sha256', x.sha256)) FROM documents x WHERE x.entry_id = h.entry_id "
    "AND x.error = '') AS documents"))
# a delivery carries a hit, a feed event or an answer's change (extract watches)
_DELIVERY_SOURCES = ("deliveries d LEFT JOIN hits h ON h.id = d.hit_id "
                     "LEFT JOIN feed_events e ON e.id = d.event_id "
                     "LEFT JOIN answer_changes a ON a.id = d.answer_id")


class OutboxStore(StoreBase):
    def pending_alerts(self, now: str, notifiers: Iterable[str], mode: str = "immediate",
                       limit: int = 500) -> list[Alert]:
        """Pending deliveries of this mode that are due, oldest first."""
        names = list(notifiers)
        if not names:
            return []
        marks = ",".join("?" * len(names))
        due = (f"d.status = 'pending' AND d.mode = ? AND d.next_attempt_at <= ? "
               f"AND d.notifier IN ({marks})")
        rows = self._rows(
            f"SELECT {_ALERT_COLUMNS} FROM {_DELIVERY_SOURCES} WHERE {due} "
            "ORDER BY created_at, delivery_id LIMIT ?", [mode, now, *names, limit])
        return [_alert(r) for r in rows]

    def mark_delivered(self, delivery_id: str, now: str) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE deliveries SET status = 'delivered', delivered_at = ?, "
                "last_attempt_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?",
                [now, now, delivery_id])
            self._attempt(delivery_id, now, "sent", "")

    def mark_failed(self, delivery_id: str, now: str, error: str, retry_at: str | None) -> None:
        """A failed attempt: retry at ``retry_at``, or dead when None."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE deliveries SET status = ?, last_attempt_at = ?, attempts = attempts + 1, "
                "last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
                ["pending" if retry_at else "dead", now, error, retry_at, delivery_id])
            self._attempt(delivery_id, now, "retry" if retry_at else "dead", error)

    def _attempt(self, delivery_id: str, now: str, outcome: str, error: str) -> None:
        self.db.execute("INSERT INTO delivery_attempts (delivery_id, at, outcome, error) "
                        "VALUES (?, ?, ?, ?)", [delivery_id, now, outcome, error])

    def deliveries(self, status: str | None, limit: int) -> list[dict[str, Any]]:
        """Every delivery (of a hit or of a feed event), newest first."""
        where, params = where_clause(("d.status = ?", status))
        return self._rows(
            "SELECT d.status, d.attempts, d.next_attempt_at, d.delivered_at, d.last_error, "
            f"{_ALERT_COLUMNS} FROM {_DELIVERY_SOURCES} {where} "
            "ORDER BY d.created_at DESC LIMIT ?", [*params, limit])

    def requeue(self, ids: list[str] | None, now: str) -> tuple[int, list[str]]:
        """Make deliveries pending again, due now (ids, or every dead one when None);
        return how many, and the given ids that name no delivery."""
        where = (f"id IN ({','.join('?' * len(ids))})" if ids else "status = 'dead'")
        cur = self.db.execute(
            f"UPDATE deliveries SET status = 'pending', next_attempt_at = ?, created_at = ? "
            f"WHERE {where} AND status != 'delivered'", [now, now, *(ids or [])])
        known = {r[0] for r in self._where_in("SELECT id FROM deliveries WHERE id IN", [],
                                              ids or [])}
        return cur.rowcount, [i for i in ids or [] if i not in known]

    def attempts(self, delivery_id: str) -> int:
        row = self._one("SELECT attempts FROM deliveries WHERE id = ?", [delivery_id])
        return int(row["attempts"]) if row else 0


def _alert(row: dict[str, Any]) -> Alert:
    return Alert(row["delivery_id"], row["id"], row["notifier"], row["watch"], row["feed"],
                 row["title"], row["url"], row["published"], row["matched_at"],
                 tuple(json.loads(row["matched_terms"] or "[]")), row["snippet"] or "",
                 row.get("author") or "", row.get("created_at") or row["matched_at"],
                 row.get("kind") or "hit", row.get("details") or "",
                 row.get("documents") or "[]")
