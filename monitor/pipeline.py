"""The flow, written once. Every poll - scheduled or ``monitor poll`` - runs ``run_cycle``::

    store.sync_feeds(config.feeds)                 the database holds the schedule
    for each due feed (concurrently, bounded):
        fetch.fetch_feed(client, state)            bounded, conditional HTTP
        parse.parse_feed(body, headers)            in a worker process; bozo policy
        decide.plan_update(state, result, known)   pure: new entries, next check, backoff
        matcher.match(entry) for new entries       in a worker: watches, with explanations
        store.save_update(update, matches)         all-or-nothing per feed (grouped commits)
    notify.deliver_pending(store, notifiers)       send; mark delivered only on success
    notify.deliver_digests(store, notifiers)       digest notifiers, when their time comes
    apply_retention(store, keep_entries)           old entries no hit cites, every 6 h

A feed's failure is a value (``PollSummary.status == "error"``) and never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import aiohttp

from monitor.config import Config
from monitor.decide import iso, parse_iso, plan_update, source_event
from monitor.errors import StoreError
from monitor.fetch import fetch_feed, make_client, options_for
from monitor.match import Matcher
from monitor.models import FeedConfig, FeedState, FeedUpdate, Match, PollSummary
from monitor.notify import Notifier
from monitor.notify.digest import DigestSchedule, deliver_digests
from monitor.notify.outbox import DeliveryStats, RetryPolicy, deliver_pending
from monitor.parsepool import ParsePool
from monitor.store import Route, Store

log = logging.getLogger("monitor.poll")


@dataclass(frozen=True)
class Context:
    config: Config
    store: Store
    notifiers: dict[str, Notifier]
    clock: Callable[[], datetime]
    matcher: Matcher
    parser: ParsePool = field(default_factory=ParsePool)
    routes: dict[str, tuple[Route, ...]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", build_routes(self.config, self.notifiers))

    @property
    def digest_schedules(self) -> dict[str, DigestSchedule]:
        return {n.name: DigestSchedule(n.options.get("digest_every"),
                                       tuple(n.options.get("digest_at", ())),
                                       n.options.get("timezone", "UTC"))
                for n in self.config.notifiers}

    @property
    def retry_policy(self) -> RetryPolicy:
        s = self.config.settings
        return RetryPolicy(s.retry_delay, s.retry_for)


@dataclass(frozen=True)
class CycleResult:
    polled: tuple[PollSummary, ...]
    delivery: DeliveryStats


def build_routes(config: Config, notifiers: dict[str, Notifier]) -> dict[str, tuple[Route, ...]]:
    """watch -> (notifier, mode) for each enabled notifier its hits go to; the mode is the
    watch's ``delivery`` if set, else the notifier's ``mode``."""
    modes = {n.name: n.options.get("mode", "immediate") for n in config.notifiers}
    routes = {}
    for watch in config.watches:
        wanted = watch.notify if watch.notify is not None else tuple(notifiers)
        routes[watch.name] = tuple((n, watch.delivery or modes[n]) for n in wanted
                                   if n in notifiers)
    return routes


def run_cycle(ctx: Context, names: list[str] | None = None, *, due_only: bool = False,
              stop: threading.Event | None = None) -> CycleResult:
    """One pass: poll the (due) feeds, then deliver what is pending."""
    stop = stop or threading.Event()
    ctx.store.sync_feeds(ctx.config.feeds, iso(ctx.clock()))
    wanted = names if names is not None else [f.name for f in ctx.config.feeds]
    if due_only:
        wanted = ctx.store.due_feeds(iso(ctx.clock()), wanted)
    polled = asyncio.run(_poll_all(ctx, wanted, stop)) if wanted else []
    delivery = deliver_pending(ctx.store, ctx.notifiers, ctx.clock, ctx.retry_policy, stop)
    digests = deliver_digests(ctx.store, ctx.notifiers, ctx.digest_schedules, ctx.clock,
                              ctx.retry_policy, stop)
    apply_retention(ctx.store, ctx.config.settings.keep_entries, ctx.clock())
    return CycleResult(tuple(polled), delivery.plus(digests))


PRUNED_KEY = "entries_pruned_at"
PRUNE_EVERY = timedelta(hours=6)


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


async def _poll_all(ctx: Context, names: list[str], stop: threading.Event) -> list[PollSummary]:
    limits = Limits(ctx.config.settings.concurrency, ctx.config.settings.host_concurrency)
    feeds = {f.name: f for f in ctx.config.feeds}
    states = ctx.store.feed_states(names)
    async with make_client(options_for(ctx.config.settings),
                           ctx.config.settings.concurrency) as client:
        run = Run(client, limits, stop, WriteGroup(ctx.store))
        tasks = [asyncio.create_task(_guarded(ctx, run, feeds[n], states[n])) for n in names]
        watcher = asyncio.create_task(_cancel_on_stop(stop, tasks))
        try:
            results = await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            watcher.cancel()
            run.group.flush()
    return [r for r in results if isinstance(r, PollSummary)]


async def _cancel_on_stop(stop: threading.Event, tasks: list[asyncio.Task]) -> None:
    while not stop.is_set():
        await asyncio.sleep(0.1)
    log.info("stop requested: abandoning %d unfinished feed polls",
             sum(not t.done() for t in tasks))
    for task in tasks:
        task.cancel()


class WriteGroup:
    """Saves of feeds that finish within ``within`` seconds of the first one (at most
    ``most`` feeds) share one transaction: a commit per group instead of per feed, which
    was the largest database cost of a poll (see README, "Polling speed"). Each feed's save
    is still all-or-nothing (a savepoint)."""

    def __init__(self, store: Store, most: int = 200, within: float = 0.25) -> None:
        self.store = store
        self.most = most
        self.within = within
        self.count = 0
        self.timer: asyncio.TimerHandle | None = None

    def save(self, update: FeedUpdate, matches: dict[str, list[Match]],
             routes: dict[str, tuple[Route, ...]], notifiers: tuple[str, ...]) -> int:
        if self.timer is None:
            self.store.begin_group()
            self.timer = asyncio.get_running_loop().call_later(self.within, self.flush)
        hits = self.store.save_update(update, matches, routes, notifiers)
        self.count += 1
        if self.count >= self.most:
            self.flush()
        return hits

    def flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer, self.count = None, 0
        try:
            self.store.end_group()
        except StoreError as exc:
            log.error("%s", exc)


class Limits:
    """At most ``total`` feeds fetched at once, and at most ``per_host`` from one host."""

    def __init__(self, total: int, per_host: int) -> None:
        self.total = asyncio.Semaphore(total)
        self.per_host = per_host
        self.hosts: dict[str, asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        name = (urlsplit(url).hostname or "").lower()
        return self.hosts.setdefault(name, asyncio.Semaphore(self.per_host))


@dataclass(frozen=True)
class Run:
    """What the feed polls of one cycle share."""

    client: aiohttp.ClientSession
    limits: Limits
    stop: threading.Event
    group: WriteGroup


async def _guarded(ctx: Context, run: Run, feed: FeedConfig, state: FeedState) -> PollSummary:
    async with run.limits.host(feed.url), run.limits.total:
        if run.stop.is_set():
            raise asyncio.CancelledError
        try:
            return await poll_feed(ctx, run.client, feed, run.group, state)
        except Exception as exc:  # a bug, not a feed problem: loud, but the poll goes on
            log.exception("poll feed=%s status=internal-error", feed.name)
            return PollSummary(feed.name, "error", error=f"internal error: {exc!r}")


async def poll_feed(ctx: Context, client: aiohttp.ClientSession, feed: FeedConfig,
                    group: WriteGroup, state: FeedState) -> PollSummary:
    started = time.monotonic()
    opts = options_for(ctx.config.settings, feed)
    fetched = await fetch_feed(client, state, opts)
    body_hash = hashlib.sha256(fetched.body).hexdigest() if fetched.status == "ok" else None
    if body_hash is not None and body_hash == state.body_hash:  # same bytes: nothing new
        fetched = replace(fetched, status="not_modified", body=b"")
    ok = fetched.status == "ok"
    left = opts.timeout - (time.monotonic() - started)
    first = not state.ever_succeeded  # every entry is new: match them while parsing
    parsed, early = await ctx.parser.parse(fetched.body, fetched.headers, fetched.url, left,
                                           feed.name if first else None) if ok else (None, None)
    keys = [e.key for e in parsed.entries] if parsed else []
    update = plan_update(state, fetched, parsed, ctx.store.known_keys(feed.name, keys),
                         now=ctx.clock(), interval=feed.interval,
                         first_poll=ctx.config.settings.first_poll, rand=random.random(),
                         body_hash=body_hash if ok and not (parsed and parsed.error) else None)
    event = source_event(state, update, ctx.clock(), ctx.config.settings.failing_after)
    update = replace(update, event=event)
    matches = ({e.key: early.get(e.key, []) for e in update.entries} if early is not None
               else await ctx.parser.match(update.entries, feed.name, ctx.matcher))
    hits = group.save(update, matches, ctx.routes, tuple(ctx.notifiers))
    summary = PollSummary(feed.name, update.status, len(update.entries), hits, update.error,
                          time.monotonic() - started)
    _log_poll(summary, parsed.warning if parsed else "", update.alert)
    return summary


def _log_poll(s: PollSummary, warning: str, alert: bool) -> None:
    level = logging.WARNING if s.status == "error" else logging.INFO
    extra = f" error={s.error!r}" if s.error else ""
    extra += f" warning={warning!r}" if warning else ""
    extra += "" if alert else " first_poll=store"
    log.log(level, "poll feed=%s status=%s new=%d hits=%d seconds=%.2f%s",
            s.feed, s.status, s.new_entries, s.hits, s.seconds, extra)
