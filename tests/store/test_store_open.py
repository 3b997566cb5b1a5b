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
