"""One exception tree. Every message names the thing and says how to fix it.

    MonitorError
     +-- ConfigError        the config file or a watch is unusable (carries every problem)
     +-- StoreError         the database cannot be opened or migrated
     +-- DeliveryError      a notifier could not deliver (``permanent`` says retry or not)

Per-feed fetch and parse failures are *values* (``FetchResult.error``,
``ParseResult.error``), never exceptions: one broken feed never stops a poll.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error monitor raises on purpose."""


class ConfigError(MonitorError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class StoreError(MonitorError):
    pass


class DeliveryError(MonitorError):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        self.permanent = permanent
        super().__init__(message)
