"""The notify stage: channels behind one small Protocol, listed in an explicit registry.

``deliver_pending`` is the outbox's delivery step: it sends each pending delivery row
through its notifier and marks it delivered only after the channel accepted it. A
temporary failure schedules a retry (doubling delay, capped at 6 h) and skips that
notifier's other rows for this pass; a permanent failure marks the row dead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from monitor.config import Config, NotifierConfig
from monitor.decide import iso
from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.store import Store

log = logging.getLogger("monitor.notify")
RETRY_CAP = 6 * 3600.0


class Notifier(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...

    def describe(self) -> str: ...


def _email(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.email import EmailNotifier

    return EmailNotifier(cfg.name, cfg.options)


def _webhook(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.webhook import WebhookNotifier

    return WebhookNotifier(cfg.name, cfg.options,
                           allow_private=config.settings.allow_private_networks,
                           user_agent=config.settings.user_agent)


REGISTRY: dict[str, Callable[[NotifierConfig, Config], Notifier]] = {
    "email": _email,
    "webhook": _webhook,
}


def build_notifiers(config: Config) -> dict[str, Notifier]:
    """One notifier per enabled config entry, by name."""
    return {n.name: REGISTRY[n.type](n, config) for n in config.enabled_notifiers()}


@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def retry_delay(attempts: int, base: float) -> float:
    return min(base * 2 ** max(attempts - 1, 0), max(base, RETRY_CAP))


def deliver_pending(store: Store, notifiers: Mapping[str, Notifier],
                    clock: Callable[[], datetime], retry_base: float = 60.0,
                    stop: threading.Event | None = None) -> DeliveryStats:
    stats = DeliveryStats()
    broken: set[str] = set()
    for alert in store.pending_alerts(iso(clock()), notifiers):
        if (stop is not None and stop.is_set()) or alert.notifier in broken:
            continue
        if not _deliver_one(store, notifiers[alert.notifier], alert, clock, stats, retry_base):
            broken.add(alert.notifier)
    return stats


def _deliver_one(store: Store, notifier: Notifier, alert: Alert, clock: Callable[[], datetime],
                 stats: DeliveryStats, retry_base: float) -> bool:
    try:
        notifier.send(alert)
    except DeliveryError as exc:
        now = clock()
        attempts = store.attempts(alert.delivery_id) + 1
        delay = timedelta(seconds=retry_delay(attempts, retry_base))
        retry_at = None if exc.permanent else iso(now + delay)
        store.mark_failed(alert.delivery_id, iso(now), str(exc), retry_at)
        stats.dead += exc.permanent
        stats.failed += not exc.permanent
        log.warning("delivery id=%s notifier=%s outcome=%s error=%r", alert.delivery_id,
                    notifier.name, "dead" if exc.permanent else "retry", str(exc))
        return exc.permanent
    store.mark_delivered(alert.delivery_id, iso(clock()))
    stats.sent += 1
    log.info("delivery id=%s notifier=%s outcome=sent watch=%s", alert.delivery_id,
             notifier.name, alert.watch)
    return True
