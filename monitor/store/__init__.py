"""The store stage: all SQL, one SQLite file shared by the worker and the CLI.

``Store`` is assembled from one part per concern: the feed schedule (``feeds``), entries and
the save of a poll (``entries``), hits (``hits``), the outbox (``outbox``), the shared
helpers and meta values (``base``); ``migrations`` opens and migrates the file.

SQLite in WAL mode (readers never block the worker), ``synchronous=NORMAL`` (a power
loss may drop the last transactions but never corrupts the file; a process crash
loses nothing committed), ``busy_timeout`` so the CLI and the worker can share it,
foreign keys on. One feed update = one transaction: entries, hits and their
delivery rows are written together or not at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from monitor.errors import StoreError
from monitor.store.entries import EntryStore
from monitor.store.hits import NewHit, Route
from monitor.store.migrations import enable_wal, migrate
from monitor.store.outbox import OutboxStore

__all__ = ["NewHit", "Route", "Store"]


class Store(EntryStore, OutboxStore):
    @classmethod
    def open(cls, path: str | Path) -> Store:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            db = Database(conn)
            db.execute("PRAGMA busy_timeout = 30000")
            enable_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            # a 32 MB page cache and a checkpoint every 40 MB of WAL (not 4 MB): the pages
            # a poll rewrites (indexes) are written back once; 13% less time storing a
            # cold poll (README, "Polling speed")
            db.execute("PRAGMA cache_size = -32768")
            db.execute("PRAGMA wal_autocheckpoint = 10000")
            # each feed's save is a savepoint, whose undo pages SQLite otherwise writes to a
            # temporary file: 134,000 writes a cold poll of 1,000 feeds, now none
            db.execute("PRAGMA temp_store = MEMORY")
            migrate(db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{path}: cannot open the database ({exc}); check the path "
                             "and that the directory is writable") from exc
        return cls(db)

    def close(self) -> None:
        self.db.close()
