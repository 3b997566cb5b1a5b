"""``python -m bench.match --against REV``: this checkout's matcher against another
revision's, on the same entries and watches, timed side by side.

The revision is checked out in a temporary git worktree; each side runs
``bench/engine_run.py`` with its own ``monitor`` first on the path, both at once, one core
each, timing the same pass at the same moment (this machine's speed drifts by a quarter
within a minute: runs one after the other gave ratios from 1.4x to 2.0x for the same
code; side by side they agree within a tenth). Each round is run twice: against the
revision as it was, and with its search-forms look-up switched off (engines before
issue 17 also looked up dictionary forms for search while matching; that moved to
``monitor serve``), which compares matching alone. Both sides must find the same hits.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().parent / "engine_run.py"


@contextmanager
def revision(rev: str) -> Iterator[Path]:
    """A worktree of ``rev`` (removed afterwards), its bytecode compiled."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "rev"
        done = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach",
                               str(tree), rev], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"--against {rev}: git could not check it out ({done.stderr.strip()}); "
                     "a full clone (not --depth 1) has the project's history")
        try:
            compileall.compile_dir(str(tree / "monitor"), quiet=1)
            yield tree
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(tree)], capture_output=True)


def side_by_side(data: Path, old: Path, flags: list[str]) -> dict[str, dict[str, Any]]:
    """One round: {"old": {"rate", "hits"}, "new": {...}}."""
    with tempfile.TemporaryDirectory() as sync:
        procs = {name: subprocess.Popen(
            [sys.executable, str(RUNNER), str(data), sync, name, *extra],
            cwd=sync, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(tree)})
            for name, tree, extra in (("old", old, flags), ("new", ROOT, []))}
        out = {name: proc.communicate()[0] for name, proc in procs.items()}
    if any(proc.returncode for proc in procs.values()):
        sys.exit("--against: a side failed (see above)")
    return {name: json.loads(text) for name, text in out.items()}


def report(label: str, rounds: list[dict[str, dict[str, Any]]]) -> None:
    ratios = sorted(r["new"]["rate"] / r["old"]["rate"] for r in rounds)
    old = statistics.median(r["old"]["rate"] for r in rounds)
    new = statistics.median(r["new"]["rate"] for r in rounds)
    same = all(r["old"]["hits"] == r["new"]["hits"] for r in rounds)
    print(f"  {label:<38} {old:>8,.0f} -> {new:>8,.0f} entries/s  "
          f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})  "
          f"{'same hits' if same else 'DIFFERENT HITS'}")


def against(rev: str, data: dict[str, Any], rounds: int) -> None:
    """Print the medians of ``rounds`` side-by-side rounds, both ways."""
    with revision(rev) as old, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for label, flags in ((f"against {rev} as it was", []),
                             (f"against {rev}, matching alone", ["--no-search-forms"])):
            report(label, [side_by_side(path, old, flags) for _ in range(rounds)])
