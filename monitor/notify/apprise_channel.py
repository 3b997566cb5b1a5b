"""Chat and push channels through Apprise (Telegram, Slack, Matrix, Discord, ntfy, Teams,
...): the same outbox, formatting and stable ids (in the message body) as email.

Apprise reports only success or failure, so a failure is temporary: retried, then dead
after ``retry_for``. Apprise does its own HTTP: its destinations bypass monitor's address
guard (they come from the operator's config, never from a feed)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify import render
from monitor.notify.channel import send_each


class AppriseNotifier:
    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.urls: tuple[str, ...] = tuple(options["urls"])

    def describe(self) -> str:
        """The services only: the URLs hold the tokens."""
        schemes = sorted({urlsplit(u).scheme for u in self.urls})
        return f"apprise to {len(self.urls)} destination(s) ({', '.join(schemes)})"

    def probe(self) -> None:
        """Nothing to check without sending (Apprise has no dry run)."""

    def send(self, alert: Alert) -> None:
        self._notify(render.subject(alert), render.text_body(alert))

    def send_many(self, alerts: list[Alert]) -> Iterator[tuple[Alert, DeliveryError | None]]:
        return send_each(self, alerts)

    def send_digest(self, digest_id: str, alerts: list[Alert]) -> None:
        self._notify(render.digest_subject(alerts, digest_id),
                     render.digest_text(digest_id, alerts))

    def _notify(self, title: str, body: str) -> None:
        import apprise

        sender = apprise.Apprise()
        for url in self.urls:
            sender.add(url)
        if not sender.notify(title=title, body=body):
            raise DeliveryError(f"{self.describe()}: not every destination accepted the "
                                "message (Apprise gives no detail); it is retried")

