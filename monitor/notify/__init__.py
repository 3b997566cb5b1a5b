"""The notify stage: channels behind one small Protocol, listed in an explicit registry.

Formatting is pure (``render.py``); channel modules are transport only (``email.py``,
``webhook.py``); the outbox's delivery step is ``outbox.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from monitor.config import Config, NotifierConfig
from monitor.models import Alert


class Notifier(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...

    def send_digest(self, digest_id: str, alerts: list[Alert]) -> None: ...

    def describe(self) -> str: ...


def _email(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.email import EmailNotifier

    return EmailNotifier(cfg.name, cfg.options)


def _webhook(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.webhook import WebhookNotifier

    return WebhookNotifier(cfg.name, cfg.options, policy=config.settings.address_policy,
                           user_agent=config.settings.user_agent)


REGISTRY: dict[str, Callable[[NotifierConfig, Config], Notifier]] = {
    "email": _email,
    "webhook": _webhook,
}


def build_notifiers(config: Config) -> dict[str, Notifier]:
    """One notifier per enabled config entry, by name."""
    return {n.name: REGISTRY[n.type](n, config) for n in config.enabled_notifiers()}
