"""Politeness: at most so many requests at once, and at most so many to one host."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class Limits:
    """At most ``total`` feeds fetched at once, and at most ``per_host`` from one host."""

    def __init__(self, total: int, per_host: int) -> None:
        self.total = asyncio.Semaphore(total)
        self.per_host = per_host
        self.hosts: dict[str, asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        name = (urlsplit(url).hostname or "").lower()
        return self.hosts.setdefault(name, asyncio.Semaphore(self.per_host))
