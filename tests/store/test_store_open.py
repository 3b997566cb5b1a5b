"""Opening the database: several processes starting at once on a new file (the worker and
a CLI command in a fresh container) all get a fully migrated database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OPEN = "import sys; from monitor.store import Store; Store.open(sys.argv[1]).close()"


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    for round_ in range(5):
        db = tmp_path / f"round{round_}.db"
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, str(db)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert all(p.returncode == 0 for p in procs), errors


def test_new_files_get_8_kb_pages_and_older_ones_keep_theirs(tmp_path: Path) -> None:
    """A new database gets 8 KB pages (a cold poll stores faster: README, "Polling
    speed"); one created with 4 KB pages opens as it is. Both checkpoint every 40 MB."""
    import sqlite3

    from monitor.store import Store

    older = tmp_path / "older.db"
    with sqlite3.connect(older) as conn:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("CREATE TABLE kept (a)")
    for name, page in (("new.db", 8192), ("older.db", 4096)):
        store = Store.open(tmp_path / name)
        pragma = store.db.conn.execute
        assert pragma("PRAGMA page_size").fetchone()[0] == page
        assert pragma("PRAGMA wal_autocheckpoint").fetchone()[0] * page == 40 * 2**20
        store.close()
