"""The outbox's retry policy (pure): when a failed delivery is tried again, or given up.
The pipeline (``monitor.pipeline.deliver``) sends and records; this module only decides.

Every attempt is recorded (``delivery_attempts``). A temporary failure schedules the next
attempt: ``retry_delay`` doubling each time, with ±20% jitter, at most 6 hours apart,
until the delivery is ``retry_for`` old (default 3 days, as Standard Webhooks suggests);
then it is marked dead. A permanent failure (a webhook 4xx other than 408/425/429, an
SMTP 5xx) is marked dead at once with its reason. A notifier that failed temporarily is
not tried again in the same pass. A crash between "sent" and "marked" can cause one
repeat, with the same delivery id; nothing else is ever sent twice.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

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
