"""The crash test (scripts/crash_test.py) at a small size: SIGKILL the worker 20 times
while feeds publish and receivers fail; nothing lost, nothing under two ids, file intact.
The full run (200 kills) is `python scripts/crash_test.py`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "crash_test.py"


@pytest.mark.slow
def test_sigkill_loses_and_doubles_nothing() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--kills", "20", "--seed", "3"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "crash test: ok" in result.stdout and '"integrity": "ok"' in result.stdout
