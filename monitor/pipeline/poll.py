"""Polling the due feeds of one cycle: concurrently, bounded per host, each feed's result
saved all-or-nothing, saves of feeds that finish close together sharing one commit
(``writes``)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from monitor.decide import plan_update, source_event
from monitor.models import (
    FeedConfig,
    FeedState,
    FetchResult,
    ParseResult,
    PollSummary,
    iso,
)
from monitor.pipeline.context import Context
from monitor.pipeline.evidence import Fetcher, gather
from monitor.pipeline.limits import BACKLOG, Budget, Limits
from monitor.pipeline.stories import story_marks
from monitor.pipeline.writes import WriteGroup
from monitor.sources.fetch import Client, fetch_feed, options_for
from monitor.workers.jobs import Matches

log = logging.getLogger("monitor.poll")
CANCELLED = "the poll was stopped before it finished; the feed is polled again next time"


async def poll_all(ctx: Context, names: list[str],
                   stop: threading.Event) -> tuple[list[PollSummary], str]:
    """Each feed's summary, and why a commit failed ("" when none did)."""
    limits = Limits(ctx.config.settings.concurrency, ctx.config.settings.host_concurrency)
    feeds = {f.name: f for f in ctx.config.feeds}
    states = ctx.store.feed_states(names)
    async with ctx.http() as client:
        run = Run(client, limits, stop, WriteGroup(ctx.store), Fetcher(ctx, client),
                  Budget(BACKLOG))
        tasks = [asyncio.create_task(_guarded(ctx, run, feeds[n], states[n])) for n in names]
        watcher = asyncio.create_task(_cancel_on_stop(stop, tasks))
        try:
            results = await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            watcher.cancel()
            await run.group.finish()
    lost = "; ".join(sorted(set(run.group.lost.values())))
    return _summaries(ctx, names, results, run.group), lost


def _summaries(ctx: Context, names: list[str], results: Sequence[object],
               group: WriteGroup) -> list[PollSummary]:
    """One summary per feed: a feed whose poll was abandoned is recorded as cancelled, one
    whose commit failed as an error (its data was rolled back: it is polled again)."""
    cancelled = [n for n, r in zip(names, results, strict=True)
                 if not isinstance(r, PollSummary)]
    if cancelled:
        ctx.store.record_cancelled(cancelled, iso(ctx.clock()), CANCELLED)
    out = [r if isinstance(r, PollSummary) else PollSummary(n, "cancelled", error=CANCELLED)
           for n, r in zip(names, results, strict=True)]
    return [replace(s, status="error", hits=0, new_entries=0, error=group.lost[s.feed])
            if s.feed in group.lost else s for s in out]


async def _cancel_on_stop(stop: threading.Event, tasks: list[asyncio.Task]) -> None:
    while not stop.is_set():
        await asyncio.sleep(0.1)
    log.info("stop requested: abandoning %d unfinished feed polls",
             sum(not t.done() for t in tasks))
    for task in tasks:
        task.cancel()


@dataclass(frozen=True)
class Run:
    """What the feed polls of one cycle share."""

    client: Client
    limits: Limits
    stop: threading.Event
    group: WriteGroup
    evidence: Fetcher  # articles and documents of new entries
    backlog: Budget  # bytes of fetched documents not stored yet


async def _guarded(ctx: Context, run: Run, feed: FeedConfig, state: FeedState) -> PollSummary:
    try:
        summary = await poll_feed(ctx, run, feed, state)
        if ctx.progress is not None:
            ctx.progress(summary)
        return summary
    except Exception as exc:  # a bug, not a feed problem: loud, but the poll goes on
        log.exception("poll feed=%s status=internal-error", feed.name)
        return PollSummary(feed.name, "error", error=f"internal error: {exc!r}")


async def poll_feed(ctx: Context, run: Run, feed: FeedConfig, state: FeedState) -> PollSummary:
    """Fetch (holding a fetch slot, see ``Limits``), then the rest, holding a place in
    the backlog of fetched documents."""
    started = time.monotonic()
    opts = options_for(ctx.config.settings, feed)
    async with run.limits.host(feed.url), run.limits.total:
        if run.stop.is_set():  # (a stop came while this feed waited for its turn)
            raise asyncio.CancelledError
        fetched = await fetch_feed(run.client, state, opts)
        await run.backlog.take(len(fetched.body))  # (when it is full, fetching waits)
    try:
        return await _after_fetch(ctx, run, feed, state, fetched, started, opts.timeout)
    finally:
        run.backlog.give(len(fetched.body))


async def _after_fetch(ctx: Context, run: Run, feed: FeedConfig, state: FeedState,
                       fetched: FetchResult, started: float, timeout: float) -> PollSummary:
    body_hash = hashlib.sha256(fetched.body).hexdigest() if fetched.status == "ok" else None
    if body_hash is not None and body_hash == state.body_hash:  # same bytes: nothing new
        fetched = replace(fetched, status="not_modified", body=b"")
    ok = fetched.status == "ok"
    left = timeout - (time.monotonic() - started)
    parsed, early = await _parse(ctx, run, feed, state, fetched, left) if ok else (None, None)
    keys = [e.key for e in parsed.entries] if parsed else []
    await run.group.idle()  # (the store is the commit thread's while it commits)
    update = plan_update(state, fetched, parsed, ctx.store.known_keys(feed.name, keys),
                         now=ctx.clock(), interval=feed.interval,
                         first_poll=feed.first_poll or ctx.config.settings.first_poll,
                         rand=random.random(),
                         first_poll_window=ctx.config.settings.first_poll_window,
                         body_hash=body_hash if ok and not (parsed and parsed.error) else None)
    event = source_event(state, update, ctx.clock(), ctx.config.settings.failing_after)
    update = replace(update, event=event)
    if feed.full_text or any(e.documents for e in update.entries):
        entries, documents = await gather(ctx, run.evidence, feed, update.entries)
        update, early = replace(update, entries=entries, documents=documents), None
    matches = ({e.key: early.get(e.key, []) for e in update.entries} if early is not None
               else await ctx.parser.match(update.entries, feed.name, ctx.matcher))
    # stories decide whether a hit alerts: only for hits that would alert at all
    told = [e for e in update.entries if update.alert and any(
        ctx.routes.get(m.watch) for m in matches.get(e.key, []))]
    await run.group.idle()
    update = replace(update, stories=story_marks(ctx.store, feed.name, told, ctx.clock()),
                     seconds=round(time.monotonic() - started, 3))
    hits = await run.group.save(update, matches, ctx.routes, tuple(ctx.notifiers))
    summary = PollSummary(feed.name, update.status, len(update.entries), hits, update.error,
                          time.monotonic() - started)
    _log_poll(summary, parsed.warning if parsed else "", update.alert)
    return summary


async def _parse(ctx: Context, run: Run, feed: FeedConfig, state: FeedState,
                 fetched: FetchResult, left: float) -> tuple[ParseResult, Matches | None]:
    """Parse in a worker, and match there too when the entries it returns are new: on a
    first poll all of them; later, a feed's stored items are left out (by their keys) so
    nearly all are. A page is parsed whole, and matched apart after its first poll."""
    first = not state.ever_succeeded
    skip: frozenset[str] = frozenset()
    if not (first or feed.page):  # (a first poll reads nothing: it never waits for a commit
        await run.group.idle()    # to hand its document to a worker)
        skip = ctx.store.recent_keys(feed.name)
    return await ctx.parser.parse(fetched.body, fetched.headers, fetched.url, left,
                                  feed.name if first or not feed.page else None, feed.page,
                                  skip)


def _log_poll(s: PollSummary, warning: str, alert: bool) -> None:
    level = logging.WARNING if s.status == "error" else logging.INFO
    extra = f" error={s.error!r}" if s.error else ""
    extra += f" warning={warning!r}" if warning else ""
    extra += "" if alert else " first_poll=store"
    log.log(level, "poll feed=%s status=%s new=%d hits=%d seconds=%.2f%s",
            s.feed, s.status, s.new_entries, s.hits, s.seconds, extra)
