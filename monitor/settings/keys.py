"""Reading one table of the config against its declared keys: ``<key>`` itself, or
``<key>_env`` (an environment variable) or ``<key>_file`` (a file, for Docker secrets).
Secrets never appear in messages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from monitor.settings.checks import suggest
from monitor.settings.model import Collector
from monitor.settings.schema import Key
from monitor.settings.values import coerce


def read_keys(table: dict[str, Any], keys: tuple[Key, ...], where: str, out: Collector,
              defer_unset: bool = False) -> tuple[dict[str, Any], list[str]]:
    """Validate one table; return its values and the env variables of absent required keys."""
    known = {k.name: k for k in keys}
    values: dict[str, Any] = {}
    unset: dict[str, str] = {}
    for raw_key, raw_value in table.items():
        key, source = _resolve_name(raw_key, known)
        if key is None:
            out.add(f"{where}.{raw_key}", f"unknown key{suggest(raw_key, list(known))}; "
                    "see config/README.md for the keys of this section")
        elif key.name in values or key.name in unset:
            out.add(f"{where}.{raw_key}", f"{key.name} is given twice; keep one of "
                    f"{key.name}, {key.name}_env, {key.name}_file")
        else:
            _read_one(key, source, raw_value, f"{where}.{raw_key}", values, unset, out)
    missing_env = _check_required(keys, values, unset, where, out, defer_unset)
    return values, missing_env


def _read_one(key: Key, source: str, raw: Any, where: str, values: dict[str, Any],
              unset: dict[str, str], out: Collector) -> None:
    try:
        text = _from_source(source, raw, out.env)
    except ValueError as exc:
        out.add(where, str(exc))
        return
    if text is None:
        unset[key.name] = str(raw)
        return
    try:
        values[key.name] = coerce(key, text if source else raw)
    except ValueError as exc:
        out.add(where, str(exc) if not key.secret else "has an invalid value")


def _from_source(source: str, raw: Any, env: Mapping[str, str]) -> Any:
    """The raw value itself, or the text of the variable or file it names (None: unset)."""
    if not source:
        return raw
    if not isinstance(raw, str) or not raw:
        raise ValueError("must name an environment variable or a file, as a string")
    if source == "env":
        return env.get(raw) or None
    try:
        return Path(raw).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"cannot read {raw} ({exc.strerror}); check the path") from None


def _check_required(keys: tuple[Key, ...], values: dict[str, Any], unset: dict[str, str],
                    where: str, out: Collector, defer_unset: bool) -> list[str]:
    missing_env: list[str] = []
    for key in keys:
        if not key.required or key.name in values:
            continue
        if key.name in unset and defer_unset:
            missing_env.append(unset[key.name])
        elif key.name in unset:
            out.add(f"{where}.{key.name}_env", f"environment variable {unset[key.name]} is "
                    "not set; set it or write the value in the file")
        else:
            out.add(f"{where}.{key.name}", f"is required; add `{key.name} = ...` "
                    "(see config/README.md)")
    return missing_env


def _resolve_name(raw_key: str, known: dict[str, Key]) -> tuple[Key | None, str]:
    if raw_key in known:
        return known[raw_key], ""
    for suffix in ("_env", "_file"):
        base = raw_key.removesuffix(suffix)
        if base != raw_key and base in known:
            return known[base], suffix[1:]
    return None, ""
