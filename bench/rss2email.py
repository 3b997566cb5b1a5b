"""rss2email's cold cycle on the bench farm, for the "10x faster than rss2email" target.

Runs ``r2e run --no-send`` (rss2email 3.14, the `bench` extra: it fetches and parses every
feed one after the other with feedparser, and records what it saw) over a config of the
farm's feeds, with a new data file, so every item is new.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.poll import Run


def available() -> bool:
    return shutil.which("r2e") is not None


def cold_cycle(run: Run, port: int, feeds: int) -> tuple[float, float]:
    """(wall s, CPU s) of rss2email's cold cycle."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config, data = folder / "r2e.cfg", folder / "r2e.json"
        subprocess.run(["r2e", "-c", str(config), "-d", str(data), "new", "bench@example.org"],
                       check=True, capture_output=True)
        data.unlink(missing_ok=True)  # a new data file: every item is new
        with config.open("a", encoding="utf-8") as out:
            for n in range(feeds):
                out.write(f"\n[feed.f{n}]\nurl = http://127.0.0.1:{port}/feed/{n}.xml\n")
        wall, cpu, _ = run.measure(["r2e", "-c", str(config), "-d", str(data), "run",
                                    "--no-send"], folder)
        return wall, cpu
