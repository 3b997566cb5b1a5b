"""What every channel is: the Notifier protocol, and ``send_each`` for channels that have no
connection to share between alerts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from monitor.errors import DeliveryError
from monitor.models import Alert


class Notifier(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...

    def send_many(self, alerts: list[Alert]) -> Iterator[tuple[Alert, DeliveryError | None]]:
        """Send in order, yielding each result as it is known (the caller records it and
        may stop early); a notifier may share one connection among them."""
        ...

    def send_digest(self, digest_id: str, alerts: list[Alert]) -> None: ...

    def describe(self) -> str: ...

    def probe(self) -> None:
        """Check the settings against the server without sending anything: raise
        NotifierConfigError when they do not fit, DeliveryError when it is unreachable.
        A channel that cannot check without sending does nothing."""
        ...


def send_each(notifier: Notifier,
              alerts: list[Alert]) -> Iterator[tuple[Alert, DeliveryError | None]]:
    """``send_many`` for a channel without connections to share: one ``send`` each."""
    for alert in alerts:
        try:
            notifier.send(alert)
        except DeliveryError as exc:
            yield alert, exc
        else:
            yield alert, None
