"""Load and validate ``monitor.toml`` against :mod:`monitor.settings.schema`.

Every problem is collected (not just the first) and phrased as
``where: what is wrong, and how to fix it``, e.g. ``feeds[3].url: ...``.
Any string setting may be given as ``<key>_env`` (an environment variable) or
``<key>_file`` (a file, for Docker secrets). Secrets never appear in messages.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError
from monitor.models import WatchConfig
from monitor.settings.checks import (
    check_apprise,
    check_digest,
    check_name,
    check_names,
    check_references,
    check_zone,
    suggest,
)
from monitor.settings.keys import read_keys
from monitor.settings.model import Collector, Config, NotifierConfig, Settings
from monitor.settings.schema import (
    MONITOR_KEYS,
    NOTIFIER_KEYS,
    NOTIFIER_TYPE_KEYS,
    WATCH_KEYS,
    Key,
)
from monitor.settings.sources import is_http_url, read_feed, read_page
from monitor.settings.values import coerce

TOP_LEVEL = ("monitor", "feeds", "pages", "watches", "notifiers")


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate the config file; raise ConfigError listing every problem."""
    raw = _read_toml(Path(path))
    out = Collector(os.environ if env is None else env)
    for key in raw:
        if key not in TOP_LEVEL:
            out.add(key, f"unknown section{suggest(key, TOP_LEVEL)}; "
                    f"allowed: {', '.join(TOP_LEVEL)}")
    settings = _settings(_table(raw, "monitor", out), out)
    feeds = tuple(read_feed(t, f"feeds[{i}]", settings, out)
                  for i, t in enumerate(_array(raw, "feeds", out))) + tuple(
        read_page(t, f"pages[{i}]", settings, out)
        for i, t in enumerate(_array(raw, "pages", out)))
    notifiers = tuple(_notifier(t, f"notifiers[{i}]", out)
                      for i, t in enumerate(_array(raw, "notifiers", out)))
    watches = tuple(_watch(t, f"watches[{i}]", out)
                    for i, t in enumerate(_array(raw, "watches", out)))
    check_names("feeds", [f.name for f in feeds], out)  # pages too: one namespace
    check_names("watches", [w.name for w in watches], out)
    check_names("notifiers", [n.name for n in notifiers], out)
    check_references(watches, feeds, notifiers, out)
    if out.problems:
        raise ConfigError(out.problems)
    return Config(str(path), settings, feeds, watches, notifiers)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found; pass --config PATH or set "
                           "MONITOR_CONFIG"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML ({exc}); fix the syntax there"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot be read ({exc.strerror})"]) from None


def _table(raw: dict[str, Any], name: str, out: Collector) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        out.add(name, f"must be a table: write [{name}] on its own line")
        return {}
    return value


def _array(raw: dict[str, Any], name: str, out: Collector) -> list[dict[str, Any]]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        out.add(name, f"must be an array of tables: write [[{name}]] before each entry")
        return []
    return value


def _settings(table: dict[str, Any], out: Collector) -> Settings:
    values, _ = read_keys(table, MONITOR_KEYS, "monitor", out)
    merged = {k.name: values.get(k.name, _default(k)) for k in MONITOR_KEYS}
    check_zone(merged["timezone"], "monitor.timezone", out)
    return Settings(**merged)


def _default(key: Key) -> Any:
    return coerce(key, key.default) if key.default is not None else None


def _watch(table: dict[str, Any], where: str, out: Collector) -> WatchConfig:
    values, _ = read_keys(_flatten(table, "examples", where, out), WATCH_KEYS, where, out)
    check_name(values, where, out)
    keywords = tuple(k for k in values.get("keywords", ()) if k.strip())
    if "keywords" in values and not keywords:
        out.add(f"{where}.keywords", "is empty; give at least one word or phrase")
    if ("query" in values) == ("keywords" in values):
        out.add(f"{where}.query", "give either query or keywords (exactly one of them)")
    notify = values.get("notify")
    return WatchConfig(values.get("name", where), keywords, tuple(values.get("feeds", ())),
                       None if notify is None else tuple(notify), values.get("query", ""),
                       tuple(values.get("examples.match", ())),
                       tuple(values.get("examples.no_match", ())), values.get("delivery"),
                       values.get("extract"), values.get("require"))


def _flatten(table: dict[str, Any], key: str, where: str, out: Collector) -> dict[str, Any]:
    """``examples = {match = [...]}`` -> ``{"examples.match": [...]}``."""
    if key not in table:
        return table
    inner = table[key]
    if not isinstance(inner, dict):
        out.add(f"{where}.{key}", f"must be a table: write {key}.match = [...]")
        return {k: v for k, v in table.items() if k != key}
    flat = {k: v for k, v in table.items() if k != key}
    flat.update({f"{key}.{k}": v for k, v in inner.items()})
    return flat


def _notifier(table: dict[str, Any], where: str, out: Collector) -> NotifierConfig:
    common = {k: v for k, v in table.items() if k in ("name", "type")}
    values, _ = read_keys(common, NOTIFIER_KEYS, where, out)
    check_name(values, where, out)
    kind = values.get("type", "")
    rest = {k: v for k, v in table.items() if k not in ("name", "type")}
    if kind not in NOTIFIER_TYPE_KEYS:
        return NotifierConfig(values.get("name", where), kind, {}, "unknown type")
    options, unset = read_keys(rest, NOTIFIER_TYPE_KEYS[kind], where, out, defer_unset=True)
    if kind == "webhook" and options.get("url") and not is_http_url(options["url"]):
        out.add(f"{where}.url", "is not an http(s) URL; write it like "
                "\"https://hooks.example.org/monitor\"")
    if kind == "apprise" and options.get("urls"):
        check_apprise(options["urls"], where, out)
    check_digest(options, where, out)
    disabled = ", ".join(f"{var} is not set" for var in unset)
    return NotifierConfig(values.get("name", where), kind, options, disabled)
