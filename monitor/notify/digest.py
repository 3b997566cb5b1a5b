"""Digests: a notifier's pending digest deliveries go out together, on its schedule.

The due time of each notifier's next digest is kept in the database (``meta``), so a
restart neither skips nor repeats one. A digest carries a stable id made from the
deliveries in it; on success they are all marked delivered, on failure each is retried
on the outbox's schedule and joins a later digest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from monitor.decide import iso
from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify import Notifier
from monitor.notify.outbox import DeliveryStats, RetryPolicy, record_failure
from monitor.store import Store, stable_id

MAX_DIGEST = 200  # hits in one message; more go out in the next one


@dataclass(frozen=True)
class DigestSchedule:
    every: float | None = None  # seconds
    at: tuple[str, ...] = ()  # local "HH:MM" times
    timezone: str = "UTC"

    def next_after(self, now: datetime) -> datetime:
        if not self.at:
            return now + timedelta(seconds=self.every or 3600)
        local = now.astimezone(ZoneInfo(self.timezone))
        slots = [(local + timedelta(days=day)).replace(hour=int(t[:2]), minute=int(t[3:]),
                                                         second=0, microsecond=0)
                 for day in (0, 1, 2) for t in self.at]
        return min(s for s in slots if s > local).astimezone(UTC)


def digest_id(alerts: list[Alert]) -> str:
    return stable_id("dgst", *sorted(a.delivery_id for a in alerts))


def deliver_digests(store: Store, notifiers: Mapping[str, Notifier],
                    schedules: Mapping[str, DigestSchedule], clock: Callable[[], datetime],
                    policy: RetryPolicy, stop: threading.Event | None = None) -> DeliveryStats:
    stats = DeliveryStats()
    for name, notifier in notifiers.items():
        if stop is not None and stop.is_set():
            break
        key, now = f"digest_next:{name}", clock()
        due = store.get_meta(key)
        if due is None or iso(now) >= due:
            if due is not None:
                _send(store, notifier, store.pending_alerts(iso(now), [name], "digest",
                                                            MAX_DIGEST), clock, stats, policy)
            schedule = schedules.get(name, DigestSchedule())
            store.set_meta(key, iso(schedule.next_after(now)))
    return stats


def _send(store: Store, notifier: Notifier, alerts: list[Alert], clock: Callable[[], datetime],
          stats: DeliveryStats, policy: RetryPolicy) -> None:
    if not alerts:
        return
    try:
        notifier.send_digest(digest_id(alerts), alerts)
    except DeliveryError as exc:
        for alert in alerts:
            record_failure(store, alert, exc, clock(), stats, policy)
        return
    for alert in alerts:
        store.mark_delivered(alert.delivery_id, iso(clock()))
    stats.sent += len(alerts)
