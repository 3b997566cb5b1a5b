"""The delivery step of the flow: notifiers send and report each result; this module
records it in the store (delivered, retry at, or dead) as soon as it is known.

Polling and delivery do not wait on each other: ``monitor run`` runs this step as its own
job, on its own store connection, with at most ``DELIVER_PER_PASS`` alerts a pass.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from monitor.errors import DeliveryError, NotifierConfigError
from monitor.models import Alert, iso, parse_iso
from monitor.notify import Notifier
from monitor.notify.digest import MAX_DIGEST, DigestSchedule, digest_id
from monitor.notify.outbox import DeliveryStats, RetryPolicy
from monitor.pipeline.context import CYCLE_FINISHED_KEY
from monitor.store import Store

log = logging.getLogger("monitor.notify")
DELIVER_PER_PASS = 100


def deliver_pending(store: Store, notifiers: Mapping[str, Notifier],
                    clock: Callable[[], datetime], policy: RetryPolicy | None = None,
                    stop: threading.Event | None = None,
                    most: int = DELIVER_PER_PASS) -> DeliveryStats:
    """Send up to ``most`` due immediate alerts, each notifier's as one batch (one SMTP
    connection); a notifier that fails temporarily is not tried again in this pass."""
    policy, stats = policy or RetryPolicy(), DeliveryStats()
    alerts = store.pending_alerts(iso(clock()), notifiers, limit=most)
    for name, notifier in notifiers.items():
        batch = [a for a in alerts if a.notifier == name]
        if batch and not (stop is not None and stop.is_set()):
            _send_batch(store, notifier, batch, clock, stats, policy, stop)
    return stats


def _send_batch(store: Store, notifier: Notifier, batch: list[Alert],
                clock: Callable[[], datetime], stats: DeliveryStats, policy: RetryPolicy,
                stop: threading.Event | None) -> None:
    results = notifier.send_many(batch)
    try:
        for done, (alert, error) in enumerate(results, 1):
            if error is None:
                _record_sent(store, notifier.name, alert, clock(), stats)
            else:
                record_failure(store, alert, error, clock(), stats, policy)
            if isinstance(error, NotifierConfigError):  # the rest would fail the same way
                for rest in batch[done:]:
                    record_failure(store, rest, error, clock(), stats, policy)
                return
            if (error is not None and not error.permanent) or (stop and stop.is_set()):
                return
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _record_sent(store: Store, notifier: str, alert: Alert, now: datetime,
                 stats: DeliveryStats) -> None:
    store.mark_delivered(alert.delivery_id, iso(now))
    stats.sent += 1
    log.info("delivery id=%s notifier=%s outcome=sent watch=%s", alert.delivery_id,
             notifier, alert.watch)


def record_failure(store: Store, alert: Alert, exc: DeliveryError, now: datetime,
                   stats: DeliveryStats, policy: RetryPolicy) -> None:
    attempts = store.attempts(alert.delivery_id) + 1
    created = parse_iso(alert.created_at)
    retry_at = None if exc.permanent else policy.next_attempt(attempts, created, now)
    reason = str(exc) if retry_at or exc.permanent else (
        f"gave up after {attempts} attempts over {policy.give_up_after / 86400:g} days: {exc}")
    if isinstance(exc, NotifierConfigError):
        reason += "; fix it, check with `monitor test-notify`, then `monitor redeliver --dead`"
    store.mark_failed(alert.delivery_id, iso(now), reason, iso(retry_at) if retry_at else None)
    stats.failed += retry_at is not None
    stats.dead += retry_at is None
    log.warning("delivery id=%s notifier=%s outcome=%s error=%r", alert.delivery_id,
                alert.notifier, "retry" if retry_at else "dead", reason)


def deliver_summaries(store: Store, notifiers: Mapping[str, Notifier],
                      clock: Callable[[], datetime], policy: RetryPolicy,
                      stop: threading.Event | None = None) -> DeliveryStats:
    """Each notifier's pending first-poll summary hits as one message, once the poll cycle
    that stored them has finished (so a cycle's first polls make one summary, not one per
    delivery pass)."""
    stats, finished = DeliveryStats(), store.get_meta(CYCLE_FINISHED_KEY)
    for name, notifier in notifiers.items():
        if finished is None or (stop is not None and stop.is_set()):
            break
        alerts = [a for a in store.pending_alerts(iso(clock()), [name], "summary", MAX_DIGEST)
                  if a.created_at <= finished]
        _send_digest(store, notifier, alerts, clock, stats, policy, "summ")
    return stats


def deliver_digests(store: Store, notifiers: Mapping[str, Notifier],
                    schedules: Mapping[str, DigestSchedule], clock: Callable[[], datetime],
                    policy: RetryPolicy, stop: threading.Event | None = None) -> DeliveryStats:
    """Each notifier's pending digest deliveries, when its digest is due (the due time is
    kept in ``meta``, so a restart neither skips nor repeats one)."""
    stats = DeliveryStats()
    for name, notifier in notifiers.items():
        if stop is not None and stop.is_set():
            break
        key, now = f"digest_next:{name}", clock()
        due = store.get_meta(key)
        if due is None or iso(now) >= due:
            if due is not None:
                alerts = store.pending_alerts(iso(now), [name], "digest", MAX_DIGEST)
                _send_digest(store, notifier, alerts, clock, stats, policy, "dgst")
            schedule = schedules.get(name, DigestSchedule())
            store.set_meta(key, iso(schedule.next_after(now)))
    return stats


def _send_digest(store: Store, notifier: Notifier, alerts: Iterable[Alert],
                 clock: Callable[[], datetime], stats: DeliveryStats,
                 policy: RetryPolicy, kind: str) -> None:
    alerts = list(alerts)
    if not alerts:
        return
    try:
        notifier.send_digest(digest_id(alerts, kind), alerts)
    except DeliveryError as exc:
        for alert in alerts:
            record_failure(store, alert, exc, clock(), stats, policy)
        return
    for alert in alerts:
        store.mark_delivered(alert.delivery_id, iso(clock()))
    stats.sent += len(alerts)
