"""The outbox's delivery step: send pending deliveries, mark each only after success.

Every attempt is recorded (``delivery_attempts``). A temporary failure schedules the next
attempt: ``retry_delay`` doubling each time, with ±20% jitter, at most 6 hours apart,
until the delivery is ``retry_for`` old (default 3 days, as Standard Webhooks suggests);
then it is marked dead. A permanent failure (a webhook 4xx other than 408/425/429, an
SMTP 5xx) is marked dead at once with its reason. A notifier that failed temporarily is
not tried again in the same pass. A crash between "sent" and "marked" can cause one
repeat, with the same delivery id; nothing else is ever sent twice.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.decide import iso, parse_iso
from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify import Notifier
from monitor.store import Store

log = logging.getLogger("monitor.notify")
RETRY_CAP = 6 * 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: float = 60.0
    give_up_after: float = 3 * 86400.0
    jitter: float = 0.2

    def next_attempt(self, attempts: int, created: datetime, now: datetime,
                     rand: Callable[[], float] = random.random) -> datetime | None:
        """When to try again after ``attempts`` failures; None: give up."""
        delay = min(self.first_delay * 2 ** max(attempts - 1, 0), max(self.first_delay,
                                                                        RETRY_CAP))
        delay *= 1 + self.jitter * (2 * rand() - 1)
        when = now + timedelta(seconds=delay)
        return None if (when - created).total_seconds() > self.give_up_after else when


@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0
    dead: int = 0

    def plus(self, other: DeliveryStats) -> DeliveryStats:
        return DeliveryStats(self.sent + other.sent, self.failed + other.failed,
                             self.dead + other.dead)


def deliver_pending(store: Store, notifiers: Mapping[str, Notifier],
                    clock: Callable[[], datetime], policy: RetryPolicy | None = None,
                    stop: threading.Event | None = None) -> DeliveryStats:
    policy = policy or RetryPolicy()
    stats = DeliveryStats()
    broken: set[str] = set()
    for alert in store.pending_alerts(iso(clock()), notifiers):
        if stop is not None and stop.is_set():
            break
        if alert.notifier in broken:
            continue
        if not _deliver_one(store, notifiers[alert.notifier], alert, clock, stats, policy):
            broken.add(alert.notifier)
    return stats


def _deliver_one(store: Store, notifier: Notifier, alert: Alert, clock: Callable[[], datetime],
                 stats: DeliveryStats, policy: RetryPolicy) -> bool:
    """Send one; return False when the notifier failed temporarily."""
    try:
        notifier.send(alert)
    except DeliveryError as exc:
        record_failure(store, alert, exc, clock(), stats, policy)
        return exc.permanent
    store.mark_delivered(alert.delivery_id, iso(clock()))
    stats.sent += 1
    log.info("delivery id=%s notifier=%s outcome=sent watch=%s", alert.delivery_id,
             notifier.name, alert.watch)
    return True


def record_failure(store: Store, alert: Alert, exc: DeliveryError, now: datetime,
                    stats: DeliveryStats, policy: RetryPolicy) -> None:
    attempts = store.attempts(alert.delivery_id) + 1
    created = parse_iso(alert.created_at)
    retry_at = None if exc.permanent else policy.next_attempt(attempts, created, now)
    reason = str(exc) if retry_at or exc.permanent else (
        f"gave up after {attempts} attempts over {policy.give_up_after / 86400:g} days: {exc}")
    store.mark_failed(alert.delivery_id, iso(now), reason, iso(retry_at) if retry_at else None)
    stats.failed += retry_at is not None
    stats.dead += retry_at is None
    log.warning("delivery id=%s notifier=%s outcome=%s error=%r", alert.delivery_id,
                alert.notifier, "retry" if retry_at else "dead", reason)
