"""Digests: a notifier's pending digest deliveries go out together, on its schedule
(pure: when the next one is due, and its stable id). The pipeline sends and records.

The due time of each notifier's next digest is kept in the database (``meta``), so a
restart neither skips nor repeats one. A digest carries a stable id made from the
deliveries in it; on success they are all marked delivered, on failure each is retried
on the outbox's schedule and joins a later digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from monitor.models import Alert, stable_id

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


def digest_id(alerts: list[Alert], kind: str = "dgst") -> str:
    """``dgst_…`` for a scheduled digest, ``summ_…`` for a first-poll summary."""
    return stable_id(kind, *sorted(a.delivery_id for a in alerts))


def is_summary(digest_id: str) -> bool:
    return digest_id.startswith("summ_")
