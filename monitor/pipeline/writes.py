"""Saves of one poll cycle, grouped: feeds that finish close together share one commit,
and the commit runs in a thread while the event loop goes on fetching and handing
documents to the parse workers.

A commit writes the group's pages to the write-ahead log, and every 40 MB of it SQLite
copies the log into the database (a checkpoint): in a cold poll of 1,000 feeds the loop
used to stand still for about a second in all, 0.15-0.2 s at a time, while the workers ran
out of documents. SQLite's connection is shared with the thread (serialized threading
mode), and the loop touches it only when no commit is in flight (``idle``): a save waits,
so that it never starts a transaction of its own.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from monitor.errors import StoreError
from monitor.models import FeedUpdate, Match
from monitor.store import Route, Store

log = logging.getLogger("monitor.poll")


class WriteGroup:
    """Saves of feeds that finish within ``within`` seconds of the first one (at most
    ``most`` feeds) share one transaction: a commit per group instead of per feed, which
    was the largest database cost of a poll (see README, "Polling speed"). Each feed's save
    is still all-or-nothing (a savepoint)."""

    def __init__(self, store: Store, most: int = 200, within: float = 0.25) -> None:
        self.store = store
        self.most = most
        self.within = within
        self.timer: asyncio.TimerHandle | None = None
        self.members: list[str] = []
        self.lost: dict[str, str] = {}  # feed -> why its save was rolled back
        self._commit: asyncio.Future[None] | None = None  # the commit in flight
        self._thread: ThreadPoolExecutor | None = None

    async def idle(self) -> None:
        """Until no commit is in flight (the connection is then the loop's again)."""
        while self._commit is not None:
            await asyncio.shield(self._commit)  # a cancelled poll never cancels a commit

    async def save(self, update: FeedUpdate, matches: dict[str, list[Match]],
                   routes: dict[str, tuple[Route, ...]], notifiers: tuple[str, ...]) -> int:
        await self.idle()
        if self.timer is None:
            self.store.begin_group()
            self.timer = asyncio.get_running_loop().call_later(self.within, self.flush)
        hits = self.store.save_update(update, matches, routes, notifiers)
        self.members.append(update.feed)
        if len(self.members) >= self.most:
            self.flush()
        return hits

    def flush(self) -> None:
        """Commit the group in the thread (``end_group``: nothing when none is open)."""
        if self.timer is not None:
            self.timer.cancel()
        self.timer = None
        members, self.members = self.members, []
        self._commit = asyncio.ensure_future(self._end_group(members))

    async def _end_group(self, members: list[str]) -> None:
        """The commit, in the thread; a failed one loses its members' saves (rolled back:
        they are polled again). The last thing it does is to give the connection back."""
        self._thread = self._thread or ThreadPoolExecutor(1, "monitor-commit")
        try:
            await asyncio.get_running_loop().run_in_executor(self._thread,
                                                             self.store.end_group)
        except StoreError as exc:
            log.error("%s", exc)
            self.lost.update(dict.fromkeys(members, str(exc)))
        finally:
            self._commit = None

    async def finish(self) -> None:
        """Commit what is left, and wait for it."""
        await self.idle()
        self.flush()
        await self.idle()
        if self._thread is not None:
            self._thread.shutdown()
            self._thread = None
