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

from monitor.errors import StoreError
from monitor.store.answers import AnswerRow, AnswerStore, ChangeRow
from monitor.store.database import Database
from monitor.store.entries import EntryStore
from monitor.store.hits import NewHit, Route
from monitor.store.migrations import MIGRATIONS, enable_wal, migrate
from monitor.store.outbox import OutboxStore
from monitor.store.search import SearchStore
from monitor.store.stats import StatsStore

__all__ = ["AnswerRow", "ChangeRow", "NewHit", "Route", "Store", "db_error", "is_damaged"]


class Store(EntryStore, OutboxStore, AnswerStore, StatsStore, SearchStore):
    @classmethod
    def open(cls, path: str | Path) -> Store:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            db = Database(conn, execute_plugins=False)  # see database.py
            db.execute("PRAGMA busy_timeout = 30000")
            # a new file gets 8 KB pages, not SQLite's 4 KB: fewer pages for entries of
            # 2-5 KB of text and their indexes, a cold poll of 5,000 feeds 3% faster
            # (README, "Polling speed"); a database that has pages keeps their size
            db.execute("PRAGMA page_size = 8192")
            enable_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            # a 32 MB page cache and a checkpoint every 40 MB of WAL (not 4 MB): the pages
            # a poll rewrites (indexes) are written back once; 13% less time storing a
            # cold poll (README, "Polling speed")
            db.execute("PRAGMA cache_size = -32768")
            page = db.execute("PRAGMA page_size").fetchone()[0]
            db.execute(f"PRAGMA wal_autocheckpoint = {40 * 2**20 // page}")
            # each feed's save is a savepoint, whose undo pages SQLite otherwise writes to a
            # temporary file: 134,000 writes a cold poll of 1,000 feeds, now none
            db.execute("PRAGMA temp_store = MEMORY")
            migrate(db)
        except (sqlite3.Error, OSError) as exc:
            raise db_error(path, exc) from exc
        return cls(db)

    @classmethod
    def open_readonly(cls, path: str | Path) -> Store:
        """For the reading commands: never writes, never migrates, so it works on a file or
        directory monitor may not write to (a backup, a mounted volume)."""
        if not Path(path).is_file():
            raise StoreError(f"{path}: no database yet; `monitor poll` or `monitor run` "
                             "creates it (or give the right one with --db)")
        try:
            db = Database(_connect_readonly(Path(path)), execute_plugins=False)
            if MIGRATIONS.pending(db):
                raise StoreError(f"{path}: the database is from an older monitor; run any "
                                 "writing command once (`monitor poll`) to upgrade it")
        except sqlite3.Error as exc:
            raise db_error(path, exc) from exc
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def backup(self, target: str | Path) -> dict[str, int]:
        """A consistent copy of the live database at ``target`` (SQLite's online backup:
        the worker keeps writing meanwhile), written beside it and renamed into place, and
        checked; returns its row counts. Raises StoreError."""
        target = Path(target)
        partial = target.with_name(target.name + ".partial")
        try:
            partial.unlink(missing_ok=True)
            with sqlite3.connect(partial) as copy:
                self.db.conn.backup(copy)
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
                counts = {t: copy.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("feeds", "entries", "hits", "deliveries")}
            copy.close()
            if check != "ok":
                raise StoreError(f"the copy failed its integrity check ({check})")
            partial.replace(target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"{target}: cannot write the backup ({exc}); check the path and "
                             "that its directory is writable") from exc
        return counts


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Read-only; when the directory is read-only too and SQLite cannot make the WAL's
    shared-memory file, read the file as immutable (what was last checkpointed)."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False, timeout=30)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)


def is_damaged(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text)


def db_error(path: str | Path, exc: BaseException) -> StoreError:
    """What to tell the user about a database that cannot be used."""
    if is_damaged(exc):
        return StoreError(
            f"{path}: the database file is damaged ({exc}). Check it with "
            f"`sqlite3 {path} 'PRAGMA integrity_check'`. To recover, stop monitor, then "
            f"`sqlite3 {path} .recover | sqlite3 recovered.db` and put recovered.db in its "
            "place, or restore a copy made with `monitor backup`")
    return StoreError(f"{path}: cannot open the database ({exc}); check the path and that "
                      "the directory is writable")
