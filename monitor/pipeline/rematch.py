"""``rematch``: the current watches applied to stored entries, recording the hits they
were missing (after a rule changed). Entries are streamed in batches, never all loaded."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.models import iso
from monitor.pipeline.context import Context
from monitor.store import NewHit

BATCH = 500


@dataclass(frozen=True)
class RematchResult:
    entries: int
    added: int


def rematch(ctx: Context, watch: str | None = None, since: str | None = None,
            alert: bool = False) -> RematchResult:
    """Match stored entries (first seen at or after ``since``) against the watches (or one
    watch); store the new hits, routed to the notifiers only when ``alert``."""
    seen = added = 0
    now = iso(ctx.clock())
    for batch in ctx.store.iter_entries(since=since, batch=BATCH):
        seen += len(batch)
        found = [NewHit(feed, entry, entry_id, m, ctx.routes.get(m.watch, ()) if alert else ())
                 for entry_id, feed, entry in batch for m in ctx.matcher.match(entry, feed)
                 if watch in (None, m.watch)]
        with ctx.store.db.atomic():
            added += ctx.store.add_hits(found, now)
    return RematchResult(seen, added)
