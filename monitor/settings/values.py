"""Check and convert one configuration value to its declared kind.

Durations ("90s", "1h30m") and sizes ("15MB") are parsed in :mod:`monitor.settings.units`.
Values read from ``<key>_env`` or ``<key>_file`` arrive as text and are converted here too.
"""

from __future__ import annotations

from typing import Any

from monitor.settings.schema import Key
from monitor.settings.units import parse_duration, parse_size


def coerce(key: Key, value: Any) -> Any:
    """Check and convert one value to the key's kind, or raise ValueError saying what to write."""
    kind = key.kind
    if kind == "duration":
        return parse_duration(value)
    if kind == "retention":
        return _retention(value)
    if kind == "window":
        return _window(value)
    if kind == "size":
        return parse_size(value)
    if kind == "bool" and isinstance(value, bool | str) and str(value).lower() in _BOOLS:
        return _BOOLS[str(value).lower()]
    if kind == "int" and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if kind in ("str", "choice") and isinstance(value, str):
        return _check_choice(key, value)
    if kind == "list":
        return _as_list(value)
    raise ValueError(f"expected {_KIND_WORDS[kind]}, got {type(value).__name__}"
                     f"{'' if key.secret else f' {value!r}'}")


_BOOLS = {"true": True, "false": False}
_KIND_WORDS = {"bool": "true or false", "int": "a whole number above 0", "str": "a string",
               "choice": "a string", "list": "a list of strings"}


def _retention(value: Any) -> float:
    """A duration, or "forever" (0.0)."""
    return _duration_or(value, "forever")


def _window(value: Any) -> float:
    """A duration, or "off" (0.0)."""
    return _duration_or(value, "off")


def _duration_or(value: Any, word: str) -> float:
    """A duration, or ``word`` meaning 0.0 (no limit, or switched off)."""
    if isinstance(value, str) and value.strip().lower() == word:
        return 0.0
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ValueError(f'{exc}, or "{word}"') from None


def _check_choice(key: Key, value: str) -> str:
    if key.choices and value not in key.choices:
        raise ValueError(f"{value!r} is not allowed; use one of "
                         f"{', '.join(repr(c) for c in key.choices)}")
    return value


def _as_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # from an environment variable or file: comma-separated
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("expected a list of strings, like [\"a\", \"b\"]")
