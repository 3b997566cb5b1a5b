"""Pure decisions about one poll: which entries are new, when to check next, backoff.

No I/O and no clock: ``now`` is passed in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from monitor.models import (
    Entry,
    FeedState,
    FeedUpdate,
    FetchResult,
    ParseResult,
    iso,
    parse_iso,
)

MAX_BACKOFF = 6 * 3600.0


def backoff(error_count: int, interval: float, rand: float = 0.5) -> float:
    """Seconds to wait after ``error_count`` failures in a row: doubling, ±10% jitter
    (``rand`` in [0, 1)), capped at 6 h; a failing feed keeps being retried at that rate."""
    cap = max(interval, MAX_BACKOFF)
    return min(interval * 2 ** max(error_count - 1, 0), cap) * (0.9 + 0.2 * rand)


def plan_update(state: FeedState, fetched: FetchResult, parsed: ParseResult | None,
                known_keys: Collection[str], *, now: datetime, interval: float,
                first_poll: str, rand: float = 0.5, body_hash: str | None = None,
                first_poll_window: float = 86400.0) -> FeedUpdate:
    """Turn a fetch (and its parse) into what the store must record."""
    error = fetched.error or (parsed.error if parsed else "")
    if error:
        count = state.error_count + 1
        wait = max(backoff(count, interval, rand), fetched.retry_after or 0.0)
        return FeedUpdate(state.name, "error", iso(now), iso(now + timedelta(seconds=wait)),
                          error=error, http_status=fetched.http_status,
                          etag=state.etag, last_modified=state.last_modified, error_count=count,
                          disabled=fetched.gone)
    entries = parsed.entries if parsed else ()
    new = _new_entries(entries, known_keys)
    alert = state.ever_succeeded or first_poll == "alert"
    return FeedUpdate(state.name, fetched.status, iso(now),
                      iso(now + timedelta(seconds=interval)),
                      error="", http_status=fetched.http_status,
                      etag=fetched.etag or state.etag,
                      last_modified=fetched.last_modified or state.last_modified,
                      entries=new, alert=alert, body_hash=body_hash, moved_to=fetched.moved_to,
                      summarised=summarised(new, now - timedelta(seconds=first_poll_window))
                      if alert and first_poll_window and not state.ever_succeeded
                      else frozenset())


def summarised(entries: tuple[Entry, ...], since: datetime) -> frozenset[str]:
    """On a first poll, the entries not published since ``since`` (or undated): their hits
    go out in one summary instead of one alert each, so a new feed does not flood a desk."""
    return frozenset(e.key for e in entries
                     if not e.published or parse_iso(e.published) < since)


def _new_entries(entries: tuple[Entry, ...], known_keys: Collection[str]) -> tuple[Entry, ...]:
    seen: set[str] = set(known_keys)
    new = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            new.append(entry)
    return tuple(new)


def source_event(state: FeedState, update: FeedUpdate, now: datetime,
                 failing_after: float) -> str | None:
    """One "source is failing" alert once a run of failures lasts ``failing_after``, and
    one "recovered" alert when a feed that had that alert succeeds again."""
    if update.status != "error":
        return "source_recovered" if state.failing_alerted else None
    if state.failing_alerted or state.failing_since is None:
        return None
    since = parse_iso(state.failing_since)
    return "source_failing" if (now - since).total_seconds() >= failing_after else None
