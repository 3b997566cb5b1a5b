"""Numbers for the ops person (``monitor stats``, ``--metrics-port``): feeds by status,
entries and hits per day, delivery success and latency, the slowest feeds."""

from __future__ import annotations

from typing import Any

from monitor.store.base import StoreBase

DAYS = 14


class StatsStore(StoreBase):
    def stats(self, now: str) -> dict[str, Any]:
        return {"feeds_by_status": self._counts(
                    "SELECT COALESCE(last_status, 'never') AS k, count(*) FROM feeds "
                    "GROUP BY k"),
                "entries_per_day": self._per_day("entries", "first_seen_at", now),
                "hits_per_day": self._per_day("hits", "matched_at", now),
                "deliveries": self._deliveries(),
                "slowest_feeds": self._rows(
                    "SELECT name, last_seconds AS seconds, last_status AS status FROM feeds "
                    "WHERE last_seconds IS NOT NULL ORDER BY last_seconds DESC LIMIT 5", []),
                "totals": {"entries": self._count("entries"), "hits": self._count("hits")}}

    def _counts(self, sql: str) -> dict[str, int]:
        return {str(k): int(n) for k, n in self.db.execute(sql).fetchall()}

    def _count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def _per_day(self, table: str, column: str, now: str) -> dict[str, int]:
        rows = self.db.execute(
            f"SELECT substr({column}, 1, 10) AS day, count(*) FROM {table} WHERE {column} >= "
            f"strftime('%Y-%m-%d', ?, '-{DAYS} days') GROUP BY day ORDER BY day", [now])
        return {str(day): int(n) for day, n in rows.fetchall()}

    def _deliveries(self) -> dict[str, Any]:
        by_status = self._counts("SELECT status, count(*) FROM deliveries GROUP BY status")
        done = by_status.get("delivered", 0) + by_status.get("dead", 0)
        latencies = [r[0] for r in self.db.execute(
            "SELECT (julianday(delivered_at) - julianday(created_at)) * 86400 FROM deliveries "
            "WHERE delivered_at IS NOT NULL ORDER BY 1").fetchall()]
        return {"by_status": by_status,
                "success_rate": round(by_status.get("delivered", 0) / done, 4) if done else None,
                "latency_seconds": {"median": _pick(latencies, 0.5), "p95": _pick(latencies, 0.95)}}


def _pick(ordered: list[float], share: float) -> float | None:
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)], 3) if ordered else None
