"""The validated settings: frozen values that the loader (``load``) builds and every stage
reads, and the collector of problems that the loader and the checks (``checks``) share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.models import FeedConfig, WatchConfig


@dataclass(frozen=True)
class Settings:
    db: str
    interval: float
    tick: float
    allow_private_networks: bool
    first_poll: str
    first_poll_window: float
    fetch_timeout: float
    failing_after: float
    retry_delay: float
    retry_for: float
    keep_entries: float  # seconds; 0: keep every entry
    max_body_size: int
    document_max_size: int
    concurrency: int
    host_concurrency: int
    user_agent: str
    log_level: str
    timezone: str
    allow_hosts: tuple[str, ...]



@dataclass(frozen=True)
class NotifierConfig:
    name: str
    type: str
    options: Mapping[str, Any] = field(default_factory=dict)
    disabled: str = ""  # why it is off (required settings absent from the environment)


@dataclass(frozen=True)
class Config:
    path: str
    settings: Settings
    feeds: tuple[FeedConfig, ...]
    watches: tuple[WatchConfig, ...]
    notifiers: tuple[NotifierConfig, ...]

    def enabled_notifiers(self) -> tuple[NotifierConfig, ...]:
        return tuple(n for n in self.notifiers if not n.disabled)


class Collector:
    """Gathers problems while a table is read, with the environment at hand."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")
