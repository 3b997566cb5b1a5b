"""Documents: what entries carry (PDF, DOCX, act pages), one row per entry and document,
the archived copy's path and SHA-256, the text for ``doc:`` queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor.models import Document, stable_id
from monitor.store.base import StoreBase

_COLUMNS = ("url", "final_url", "kind", "content_type", "size", "sha256", "path", "text",
            "error")


class DocumentStore(StoreBase):
    def directory(self) -> Path:
        """The folder of the database file (the storage volume)."""
        row = self.db.execute("PRAGMA database_list").fetchone()
        return Path(row[2]).parent if row and row[2] else Path(".")

    def known_document(self, url: str) -> Document | None:
        """A document fetched before from this link (documents are fetched once)."""
        row = self._one(f"SELECT entry_key, {', '.join(_COLUMNS)} FROM documents "
                        "WHERE url = ? AND error = '' LIMIT 1", [url])
        return Document(**row) if row else None

    def add_documents(self, feed: str, ids: dict[str, int], docs: tuple[Document, ...],
                      now: str) -> None:
        self.db.conn.executemany(
            f"INSERT OR IGNORE INTO documents (id, entry_id, feed, entry_key, "
            f"{', '.join(_COLUMNS)}, fetched_at) VALUES ({', '.join('?' * 14)})",
            [(stable_id("doc", feed, d.entry_key, d.url), ids.get(d.entry_key), feed,
              d.entry_key, d.url, d.final_url, d.kind, d.content_type, d.size, d.sha256,
              d.path, d.text, d.error, now) for d in docs])

    def documents(self, feed: str | None, limit: int) -> list[dict[str, Any]]:
        where = "WHERE d.feed = ?" if feed else ""
        return self._rows(
            "SELECT d.url, d.final_url, d.kind, d.content_type, d.size, d.sha256, d.path, "
            "length(COALESCE(d.text, '')) AS text_chars, "
            "d.error, d.fetched_at, d.feed, e.title AS entry_title, e.url AS entry_url "
            f"FROM documents d LEFT JOIN entries e ON e.id = d.entry_id {where} "
            "ORDER BY d.fetched_at DESC, d.id LIMIT ?", [*([feed] if feed else []), limit])
