"""The notify stage: channels behind one small Protocol, listed in an explicit registry.

Formatting is pure (``render.py``); channel modules are transport only (``email.py``,
``webhook.py``, behind ``channel.Notifier``); the outbox's retry policy is ``outbox.py``,
digest schedules ``digest.py``. Channels send and report; the pipeline records.
"""

from __future__ import annotations

from collections.abc import Callable

from monitor.notify.channel import Notifier
from monitor.settings.model import Config, NotifierConfig
from monitor.sources.netguard import AddressPolicy


def _email(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.email import EmailNotifier

    return EmailNotifier(cfg.name, cfg.options, zone=config.settings.timezone)


def _webhook(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.webhook import WebhookNotifier

    return WebhookNotifier(cfg.name, cfg.options, policy=AddressPolicy.of(config.settings),
                           user_agent=config.settings.user_agent)


def _apprise(cfg: NotifierConfig, config: Config) -> Notifier:
    from monitor.notify.apprise_channel import AppriseNotifier

    return AppriseNotifier(cfg.name, cfg.options)


__all__ = ["REGISTRY", "Notifier", "build_notifiers"]

REGISTRY: dict[str, Callable[[NotifierConfig, Config], Notifier]] = {
    "email": _email,
    "webhook": _webhook,
    "apprise": _apprise,
}


def build_notifiers(config: Config) -> dict[str, Notifier]:
    """One notifier per enabled config entry, by name."""
    return {n.name: REGISTRY[n.type](n, config) for n in config.enabled_notifiers()}
