"""``rematch``: the current watches applied to stored entries, recording the hits they
were missing (after a rule changed). Entries are streamed in batches, never all loaded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from monitor.models import iso
from monitor.pipeline.answers import update_answers
from monitor.pipeline.context import Context
from monitor.store import NewHit, Route, Store

BATCH = 500


@dataclass(frozen=True)
class RematchResult:
    entries: int
    added: int
    queued: int = 0  # alerts queued (with ``alert``), for new hits and earlier ones


def rematch(ctx: Context, watch: str | None = None, since: str | None = None,
            alert: bool = False) -> RematchResult:
    """Match stored entries (first seen at or after ``since``) against the watches (or one
    watch); store the new hits, routed to the notifiers only when ``alert``."""
    seen = added = queued = 0
    now = iso(ctx.clock())
    for batch in ctx.store.iter_entries(since=since, batch=BATCH):
        seen += len(batch)
        found = [NewHit(feed, entry, entry_id, m, ctx.routes.get(m.watch, ()) if alert else ())
                 for entry_id, feed, entry in batch for m in ctx.matcher.match(entry, feed)
                 if watch in (None, m.watch)]
        with ctx.store.db.atomic():
            added += ctx.store.add_hits(found, now)
            if alert:  # hits stored earlier without alerts are alerted now too
                stored = ctx.store.stored_hit_ids(found)
                queued += ctx.store.add_deliveries(
                    [(stored[(h.entry_id, h.match.watch)], h.routes) for h in found], now)
    update_answers(ctx, rebuild=True)  # a fixed rule fixes the answer
    return RematchResult(seen, added, queued)


def alert_hits(store: Store, routes: Mapping[str, tuple[Route, ...]], hit_ids: list[str],
               now: str) -> tuple[int, list[str]]:
    """Queue alerts for stored hits (to their watches' notifiers; a hit already alerted
    through a notifier is not alerted again); return how many were queued, and the ids
    that name no hit."""
    watches = store.hit_watches(hit_ids)
    with store.db.atomic():
        queued = store.add_deliveries([(h, routes.get(w, ())) for h, w in watches.items()],
                                      now)
    return queued, [h for h in hit_ids if h not in watches]
