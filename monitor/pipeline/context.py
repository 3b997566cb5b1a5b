"""What one cycle of the flow is given: settings, store, notifiers, clock, matcher, parse
workers and the HTTP client, all built by the CLI (the composition root)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from monitor.match import Matcher
from monitor.models import PollSummary
from monitor.notify import Notifier
from monitor.notify.digest import DigestSchedule
from monitor.notify.outbox import DeliveryStats, RetryPolicy
from monitor.settings.model import Config
from monitor.sources.fetch import Client
from monitor.store import Route, Store
from monitor.workers.pool import ParsePool

CYCLE_FINISHED_KEY = "cycle_finished_at"  # meta: when the last poll cycle finished


@dataclass(frozen=True)
class Context:
    config: Config
    store: Store
    notifiers: dict[str, Notifier]
    clock: Callable[[], datetime]
    matcher: Matcher
    parser: ParsePool  # required: without workers nothing would be matched
    http: Callable[[], Client]  # a new client for each cycle's event loop
    progress: Callable[[PollSummary], None] | None = None  # told as each feed's poll ends
    routes: dict[str, tuple[Route, ...]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "routes", build_routes(self.config, self.notifiers))

    @property
    def digest_schedules(self) -> dict[str, DigestSchedule]:
        return {n.name: DigestSchedule(n.options.get("digest_every"),
                                       tuple(n.options.get("digest_at", ())),
                                       n.options.get("timezone", self.config.settings.timezone))
                for n in self.config.notifiers}

    @property
    def retry_policy(self) -> RetryPolicy:
        s = self.config.settings
        return RetryPolicy(s.retry_delay, s.retry_for)


@dataclass(frozen=True)
class CycleResult:
    polled: tuple[PollSummary, ...]
    delivery: DeliveryStats
    store_error: str = ""  # non-empty: a commit failed and its feeds were rolled back


def build_routes(config: Config, notifiers: dict[str, Notifier]) -> dict[str, tuple[Route, ...]]:
    """watch -> (notifier, mode) for each enabled notifier its hits go to; the mode is the
    watch's ``delivery`` if set, else the notifier's ``mode``."""
    modes = {n.name: n.options.get("mode", "immediate") for n in config.notifiers}
    routes = {}
    for watch in config.watches:
        wanted = watch.notify if watch.notify is not None else tuple(notifiers)
        # an extract watch alerts its answer's changes; its hits go to the digest
        default = "digest" if watch.extract else None
        routes[watch.name] = tuple((n, watch.delivery or default or modes[n]) for n in wanted
                                   if n in notifiers)
    return routes
