"""One exception tree. Every message names the thing and says how to fix it.

    MonitorError
     +-- ConfigError        the config file or a watch is unusable (carries every problem)
     +-- StoreError         the database cannot be opened or migrated
     +-- DeliveryError      a notifier could not deliver (``permanent`` says retry or not)
     |    +-- NotifierConfigError  the server works but not as configured (no STARTTLS, no
     |                             AUTH, login refused): permanent, and shown by ``check``
     +-- FetchError         one request failed (``permanent``: retrying won't help); the
                            fetcher turns it into ``FetchResult.error``, a webhook into a
                            DeliveryError

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


class NotifierConfigError(DeliveryError):
    """The notifier's settings do not fit its server: retrying cannot help, fixing can."""

    def __init__(self, message: str) -> None:
        super().__init__(f"configuration error: {message}", permanent=True)


class FetchError(MonitorError):
    """One request failed; the message is for the user. ``permanent``: retrying won't help."""

    def __init__(self, message: str, *, http_status: int | None = None,
                 permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.permanent = permanent
        self.retry_after = retry_after
