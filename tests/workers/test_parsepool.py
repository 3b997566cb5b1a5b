"""The parse workers start light: they never import the CLI (aiohttp, click, sqlite-utils),
however monitor was started."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# what pip's ``monitor`` console script looks like: a plain file whose module imports the CLI
CONSOLE_SCRIPT = """
import asyncio
import sys
from monitor.cli import main
from monitor.workers import pool as parsepool

if __name__ == "__main__":
    parsepool.start_forkserver()
    pool = parsepool.ParsePool()
    ask = "sorted({'click', 'aiohttp', 'sqlite_utils'} & set(__import__('sys').modules))"
    print(asyncio.run(pool.run(eval, (ask,), 60)))
    pool.close()
"""


def test_workers_do_not_import_the_cli_when_started_by_the_console_script(
        tmp_path: Path) -> None:
    script = tmp_path / "monitor"
    script.write_text(CONSOLE_SCRIPT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
