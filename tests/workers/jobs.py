"""Jobs for the worker-pool tests (importable by the worker processes)."""

from __future__ import annotations

import os
import sys
import time


def nap(value: str, seconds: float) -> str:
    time.sleep(seconds)
    return value


def die(code: int) -> None:
    os._exit(code)


def fail(message: str) -> None:
    raise ValueError(message)


def loaded(*names: str) -> list[str]:
    """Which of the modules ``names`` this process has imported."""
    return [name for name in names if name in sys.modules]


def clock() -> float:
    """When the job ran (the monotonic clock is the machine's: comparable across processes)."""
    return time.monotonic()
