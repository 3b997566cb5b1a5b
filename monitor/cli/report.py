"""Plain-text tables for the CLI's `feeds` and `hits` commands (pure formatting)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from monitor import __version__
from monitor.models import local_time
from monitor.settings.model import Config
from monitor.text import plural, single_line, sources


def feed_lines(rows: Iterable[dict[str, Any]], zone: str = "UTC") -> list[str]:
    lines = [f"{'FEED':<22} {'STATUS':<12} {'LAST POLL':<20} {'NEXT CHECK':<20} "
             f"{'ENTRIES':>7} {'HITS':>5}  URL"]
    for r in rows:
        lines.append(f"{r['name']:<22} {r['last_status'] or 'never':<12} "
                     f"{local_time(r['last_poll_at'], zone, '-'):<20} "
                     f"{local_time(r['next_check_at'], zone, '-'):<20} "
                     f"{r['entries']:>7} {r['hits']:>5}  {r.get('url') or ''}")
        if r["last_error"]:
            lines.append(f"{'':<22} last error: {r['last_error']}")
    return lines


def startup_lines(config: Config, db: str, due: int, next_at: str | None) -> list[str]:
    """What `monitor run` is about to do, so the ops person sees it at a glance."""
    s = config.settings
    notifiers = [f"{n.name} ({n.type}, {'disabled: ' + n.disabled if n.disabled else 'enabled'})"
                 for n in config.notifiers] or ["none: hits are stored, nobody is alerted"]
    when = f"now ({plural(due, 'feed')} due)" if due else \
        f"{local_time(next_at, s.timezone, 'when a feed is added')}"
    return [f"monitor {__version__} starting",
            f"  sources:   {sources(config.feeds)}, every "
            f"{_span([f.interval for f in config.feeds])}",
            f"  watches:   {plural(len(config.watches), 'watch')}: "
            f"{', '.join(w.name for w in config.watches) or 'none'}",
            *[f"  notifier:  {line}" for line in notifiers],
            f"  database:  {db}",
            f"  next poll: {when}; alerts checked every {s.tick:g}s"]


def _span(seconds: list[float]) -> str:
    if not seconds:
        return "-"
    low, high = min(seconds), max(seconds)
    return _duration(low) if low == high else f"{_duration(low)} to {_duration(high)}"


def _duration(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def answer_lines(rows: Iterable[dict[str, Any]]) -> list[str]:
    lines = []
    for r in rows:
        when = f" {r['start']}" + (f" to {r['end']}" if r["end"] != r["start"] else "") \
            if r["start"] else ""
        lines.append(f"{r['watch']}: {r['state']}{when}")
        for h in r["history"]:
            span = h["start"] + (f" to {h['end']}" if h["end"] != h["start"] else "")
            lines += [f"  {h['published'][:10]}  {h['change']:<9} {h['state']:<9} {span}",
                      f"      {single_line(h['sentence'])[:200]}", f"      {h['url']}"]
        lines.append("")
    return lines


def hit_lines(rows: Iterable[dict[str, Any]], zone: str = "UTC") -> list[str]:
    lines = []
    for r in rows:
        terms = ", ".join(json.loads(r["matched_terms"] or "[]"))
        lines += [f"{local_time(r['matched_at'], zone)}  [{r['watch']}] "
                  f"{single_line(r['title'] or '')}",
                  f"    {r['feed']} | published {local_time(r['published'], zone, 'undated')}"
                  f" | {r['url'] or ''}",
                  f"    matched: {terms}" + (f"  (story {r['story_id']})"
                                              if r.get("story_id") else ""),
                  f"    {single_line(r['snippet'] or '')[:300]}", ""]
    return lines or ["no hits"]


def delivery_lines(rows: Iterable[dict[str, Any]], zone: str = "UTC") -> list[str]:
    lines = [f"{'DELIVERY':<28} {'STATUS':<10} {'NOTIFIER':<10} {'TRIES':>5} "
             f"{'NEXT TRY':<20} WATCH / TITLE / LAST ERROR"]
    for r in rows:
        nxt = local_time(r["next_attempt_at"], zone) if r["status"] == "pending" else "-"
        about = r["watch"] or r["kind"]  # a hit's watch, or the feed event's kind
        lines.append(f"{r['delivery_id']:<28} {r['status']:<10} {r['notifier']:<10} "
                     f"{r['attempts']:>5} {nxt or '-':<20} [{about}] "
                     f"{single_line(r['title'] or '')[:60]}")
        if r["last_error"]:
            lines.append(f"{'':<28} last error: {r['last_error']}")
    return lines if len(lines) > 1 else ["no deliveries"]
