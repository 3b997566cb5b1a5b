"""What every part of the store shares: the connection, row helpers, meta values."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from monitor.store.database import Database


class StoreBase:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _where_in(self, sql: str, params: list[Any], values: list[Any]) -> list[tuple]:
        """Rows of ``sql`` followed by ``(?, ?, ...)`` for ``values``, 500 at a time (SQLite
        caps the number of parameters)."""
        rows: list[tuple] = []
        for i in range(0, len(values), 500):
            chunk = values[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows += self.db.execute(f"{sql} ({marks})", [*params, *chunk]).fetchall()
        return rows

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

    # -- worker heartbeat --------------------------------------------------------
    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                        "DO UPDATE SET value = excluded.value", [key, value])

    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return None if row is None else str(row["value"])


def where_clause(*conditions: tuple[str, Any]) -> tuple[str, list[Any]]:
    """A WHERE clause of the conditions whose value is given, and their parameters."""
    used = [(sql, value) for sql, value in conditions if value]
    clause = " AND ".join(sql for sql, _ in used)
    return (f"WHERE {clause}" if clause else ""), [value for _, value in used]
