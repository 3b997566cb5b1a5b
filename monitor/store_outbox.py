"""The SQL of the outbox (deliveries and their attempts), meta values and reports; the base
of :class:`monitor.store.Store`, which adds the feed schedule, entries and hits."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from monitor.models import Alert


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- outbox ----------------------------------------------------------------
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
            "SELECT d.id AS delivery_id, d.notifier, d.created_at AS created_at, h.*, "
            "'hit' AS kind FROM deliveries d JOIN hits h ON h.id = d.hit_id "
            f"WHERE {due} UNION ALL "
            "SELECT d.id, d.notifier, d.created_at, e.id, NULL, '', e.feed, "
            "'Source ' || CASE e.kind WHEN 'source_failing' THEN 'is failing: ' "
            "ELSE 'recovered: ' END || e.feed, e.url, NULL, e.at, '[]', e.message, '', "
            "e.kind FROM deliveries d JOIN feed_events e ON e.id = d.event_id "
            f"WHERE {due} ORDER BY 3, 1 LIMIT ?",
            [mode, now, *names, mode, now, *names, limit])
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
        where, params = where_clause(("d.status = ?", status))
        return self._rows(
            "SELECT d.id, d.status, d.notifier, d.attempts, d.created_at, d.next_attempt_at, "
            f"d.delivered_at, d.last_error, h.watch, h.title FROM deliveries d JOIN hits h "
            f"ON h.id = d.hit_id {where} ORDER BY d.created_at DESC LIMIT ?", [*params, limit])

    def requeue(self, ids: list[str] | None, now: str) -> int:
        """Make deliveries pending again, due now (ids, or every dead one when None)."""
        where = (f"id IN ({','.join('?' * len(ids))})" if ids else "status = 'dead'")
        cur = self.db.execute(
            f"UPDATE deliveries SET status = 'pending', next_attempt_at = ?, created_at = ? "
            f"WHERE {where} AND status != 'delivered'", [now, now, *(ids or [])])
        return cur.rowcount

    def attempts(self, delivery_id: str) -> int:
        row = self._one("SELECT attempts FROM deliveries WHERE id = ?", [delivery_id])
        return int(row["attempts"]) if row else 0

    # -- worker heartbeat --------------------------------------------------------
    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                        "DO UPDATE SET value = excluded.value", [key, value])

    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return None if row is None else str(row["value"])

    # -- reports -------------------------------------------------------------------
    def feed_report(self, names: Iterable[str]) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT f.*, (SELECT count(*) FROM entries e WHERE e.feed = f.name) AS entries, "
            "(SELECT count(*) FROM hits h WHERE h.feed = f.name) AS hits FROM feeds f", [])
        by_name = {r["name"]: r for r in rows}
        never = {"last_status": None, "last_poll_at": None, "next_check_at": None,
                 "entries": 0, "hits": 0, "last_error": ""}
        return [by_name.get(n, {"name": n, **never}) for n in names]

    def hits(self, watch: str | None, since: str | None, limit: int) -> list[dict[str, Any]]:
        where, params = where_clause(("watch = ?", watch), ("matched_at >= ?", since))
        return self._rows(f"SELECT * FROM hits {where} ORDER BY matched_at DESC, "
                          "published DESC LIMIT ?", [*params, limit])

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None


def where_clause(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
    """A WHERE clause of the conditions whose value is given, and their parameters."""
    used = [(sql, value) for sql, value in conditions if value]
    clause = " AND ".join(sql for sql, _ in used)
    return (f"WHERE {clause}" if clause else ""), [value for _, value in used]


def _alert(row: dict[str, Any]) -> Alert:
    return Alert(row["delivery_id"], row["id"], row["notifier"], row["watch"], row["feed"],
                 row["title"], row["url"], row["published"], row["matched_at"],
                 tuple(json.loads(row["matched_terms"] or "[]")), row["snippet"] or "",
                 row.get("author") or "", row.get("created_at") or row["matched_at"],
                 row.get("kind") or "hit")
