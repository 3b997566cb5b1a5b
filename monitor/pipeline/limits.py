"""Politeness: at most so many requests at once, and at most so many to one host; and a
bound on the fetched documents still in the poll's hands."""

from __future__ import annotations

import asyncio
from collections import deque
from functools import lru_cache
from urllib.parse import urlsplit

# bytes of fetched documents that may wait for a parse worker (or the store) while the
# fetching goes on (80 news feeds of 100 KB); beyond that, fetching waits for the workers
BACKLOG = 8_000_000


class Limits:
    """At most ``total`` feeds fetched at once, and at most ``per_host`` from one host:
    held only while a feed is fetched, so that feeds waiting for a parse worker (the
    workers start with the first changed feed, about 0.25 s) never hold up the fetches of
    the others. A fetched document then holds its size of a poll's ``Budget`` (``BACKLOG``)
    until it is stored."""

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


class Budget:
    """So many bytes held at once. A claim waits until the held ones leave room for it, in
    the order claims came (one is let in alone however big it is; an empty one never
    waits)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.held = 0
        self._waiting: deque[tuple[int, asyncio.Future[None]]] = deque()

    async def take(self, size: int) -> None:
        if size == 0 or (not self._waiting and self._fits(size)):
            self.held += size
            return
        granted = asyncio.get_running_loop().create_future()
        self._waiting.append((size, granted))
        try:
            await granted
        except asyncio.CancelledError:
            if granted.cancelled():  # gone from the queue, which may let others in
                if (size, granted) in self._waiting:
                    self._waiting.remove((size, granted))
                self._wake()
            else:  # granted, then cancelled before it could run
                self.give(size)
            raise

    def give(self, size: int) -> None:
        self.held -= size
        self._wake()

    def _wake(self) -> None:
        while self._waiting and self._fits(self._waiting[0][0]):
            size, granted = self._waiting.popleft()
            if not granted.done():  # (a cancelled claim is passed over)
                self.held += size
                granted.set_result(None)

    def _fits(self, size: int) -> bool:
        return self.held == 0 or self.held + size <= self.size
