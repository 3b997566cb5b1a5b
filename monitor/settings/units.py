"""Parsing of human-written durations ("90s", "1h30m") and sizes ("15MB")."""

from __future__ import annotations

import re

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_DURATION_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?", re.IGNORECASE)
_SIZE_BYTES = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_duration(value: object) -> float:
    """Seconds from ``"90s"``, ``"10m"``, ``"1h30m"``, ``"1d"`` or a number of seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like \"90s\", \"10m\" or \"1h\"")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and _full_match(value.strip().lower()):
        seconds = sum(float(n) * _DURATION_SECONDS[u]
                      for n, u in _DURATION_PART.findall(value.strip().lower()))
    else:
        raise ValueError(f"{value!r} is not a duration; write it like \"90s\", \"10m\" or \"1h\"")
    if seconds <= 0:
        raise ValueError("a duration must be greater than zero")
    return seconds


def _full_match(text: str) -> bool:
    return bool(text) and _DURATION_PART.sub("", text) == ""


def parse_size(value: object) -> int:
    """Bytes from ``"15MB"``, ``"512KiB"`` or a number of bytes."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _SIZE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a size; write it like \"15MB\" or \"512KB\"")
    return int(float(match.group(1)) * _SIZE_BYTES[(match.group(2) or "b").lower()])
