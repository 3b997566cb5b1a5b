"""The flow, written once. Every poll - scheduled or ``monitor poll`` - runs it::

    poll_cycle (poll.py)
      store.sync_feeds(config.feeds)               the database holds the schedule
      for each due feed (concurrently, bounded):
        sources.fetch_feed(client, state)          bounded, conditional, guarded HTTP
        sources.parse_feed(body, headers)          in a worker process (workers.py)
        decide.plan_update(state, result, known)   pure: new entries, next check, backoff
        matcher.match(entry) for new entries       in a worker: watches, with explanations
        store.save_update(update, matches)         all-or-nothing per feed (grouped commits)
      update_answers(ctx)                          extract watches: new hits -> one answer,
                                                   its changes alerted (answers.py)
      apply_retention(store, keep_entries)         old entries no hit cites, every 6 h
      store.set_meta(cycle_finished_at)            what `monitor healthcheck` reads
    deliver_cycle (deliver.py)
      notifier.send_many(pending) -> results       channels send and report
      store.mark_delivered / mark_failed           this stage records each result
      first-poll summaries, once the cycle that found them has finished
      digests, when their time comes

``monitor run`` runs the two as separate jobs (so neither waits on the other);
``monitor poll`` runs them one after the other. ``rematch`` (rematch.py) applies the
watches to stored entries. A feed's failure is a value (``PollSummary.status``) and never
stops the others; a failed commit is reported (``CycleResult.store_error``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timedelta

from monitor.models import iso, parse_iso
from monitor.notify.outbox import DeliveryStats
from monitor.pipeline.answers import update_answers
from monitor.pipeline.context import CYCLE_FINISHED_KEY, Context, CycleResult
from monitor.pipeline.deliver import deliver_digests, deliver_pending, deliver_summaries
from monitor.pipeline.poll import poll_all
from monitor.store import Store

__all__ = ["CYCLE_FINISHED_KEY", "Context", "CycleResult", "deliver_cycle", "poll_cycle",
           "run_cycle"]
log = logging.getLogger("monitor.poll")
PRUNED_KEY = "entries_pruned_at"
PRUNE_EVERY = timedelta(hours=6)


def run_cycle(ctx: Context, names: list[str] | None = None, *, due_only: bool = False,
              stop: threading.Event | None = None) -> CycleResult:
    """One pass: poll the (due) feeds, then deliver what is pending."""
    stop = stop or threading.Event()
    polled = poll_cycle(ctx, names, due_only=due_only, stop=stop)
    return CycleResult(polled.polled, deliver_cycle(ctx, stop), polled.store_error)


def poll_cycle(ctx: Context, names: list[str] | None = None, *, due_only: bool = False,
               stop: threading.Event | None = None) -> CycleResult:
    """Poll the (due) feeds; on success record that a cycle finished (health)."""
    stop = stop or threading.Event()
    ctx.store.sync_feeds(ctx.config.feeds, iso(ctx.clock()))
    wanted = names if names is not None else [f.name for f in ctx.config.feeds]
    if due_only:
        wanted = ctx.store.due_feeds(iso(ctx.clock()), wanted)
    polled, lost = asyncio.run(poll_all(ctx, wanted, stop)) if wanted else ([], "")
    if not lost:
        update_answers(ctx)
    apply_retention(ctx.store, ctx.config.settings.keep_entries, ctx.clock())
    if not lost and not stop.is_set():
        ctx.store.set_meta(CYCLE_FINISHED_KEY, iso(ctx.clock()))
    return CycleResult(tuple(polled), DeliveryStats(), lost)


def deliver_cycle(ctx: Context, stop: threading.Event | None = None) -> DeliveryStats:
    """Send what is pending (a bounded number), first-poll summaries, then digests that
    are due."""
    sent = deliver_pending(ctx.store, ctx.notifiers, ctx.clock, ctx.retry_policy, stop)
    sent = sent.plus(deliver_summaries(ctx.store, ctx.notifiers, ctx.clock,
                                       ctx.retry_policy, stop))
    return sent.plus(deliver_digests(ctx.store, ctx.notifiers, ctx.digest_schedules,
                                     ctx.clock, ctx.retry_policy, stop))


def apply_retention(store: Store, keep: float, now: datetime) -> int:
    """Delete entries older than ``keep`` seconds that no hit cites (at most every 6 h;
    ``keep`` 0 keeps everything); return how many were deleted."""
    last = store.get_meta(PRUNED_KEY)
    if not keep or (last and now - parse_iso(last) < PRUNE_EVERY):
        return 0
    removed = store.prune_entries(iso(now - timedelta(seconds=keep)))
    store.set_meta(PRUNED_KEY, iso(now))
    if removed:
        log.info("retention: deleted %d entries older than keep_entries (hits are kept)",
                 removed)
    return removed
