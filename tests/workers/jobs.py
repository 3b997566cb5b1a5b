"""Jobs for the worker-pool tests (importable by the worker processes)."""

from __future__ import annotations

import os
import time


def nap(value: str, seconds: float) -> str:
    time.sleep(seconds)
    return value


def die(code: int) -> None:
    os._exit(code)


def fail(message: str) -> None:
    raise ValueError(message)
