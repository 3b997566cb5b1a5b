"""Politeness: at most so many requests at once, and at most so many to one host."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from urllib.parse import urlsplit


class Limits:
    """At most ``total`` feeds fetched at once, and at most ``per_host`` from one host."""

    def __init__(self, total: int, per_host: int) -> None:
        self.total = asyncio.Semaphore(total)
        self.per_host = per_host
        self.hosts: dict[str, asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        name = _host(url)
        semaphore = self.hosts.get(name)
        if semaphore is None:
            semaphore = self.hosts[name] = asyncio.Semaphore(self.per_host)
        return semaphore


@lru_cache(maxsize=8192)
def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
