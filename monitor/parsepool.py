"""Parsing contained in worker processes: a deadline and a memory limit per document.

feedparser is pure Python: a huge or pathological document could hold the poll for
minutes or exhaust memory. Each document is parsed in a worker process (forkserver,
with the parser preloaded: about 0.5 ms of overhead per document) whose address space is
limited; a parse that overruns the feed's remaining deadline is killed with its worker
and recorded as the feed's error. The other feeds of the poll are not affected.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from monitor.models import ParseResult
from monitor.parse import parse_feed

MEMORY_LIMIT = 1 << 30  # bytes of address space per worker


def _limit_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class ParsePool:
    def __init__(self, workers: int = 2, memory_limit: int = MEMORY_LIMIT) -> None:
        self.workers = workers
        self.memory_limit = memory_limit
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["monitor.parse"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                             initializer=_limit_memory,
                                             initargs=(self.memory_limit,))
        return self._pool

    async def parse(self, body: bytes, headers: dict[str, str], url: str,
                    deadline: float) -> ParseResult:
        loop = asyncio.get_running_loop()
        try:
            job = loop.run_in_executor(self._executor(), parse_feed, body, headers, url)
            return await asyncio.wait_for(job, max(deadline, 1.0))
        except TimeoutError:
            self.reset()
            return ParseResult((), error=f"parsing took longer than the {deadline:.0f}s "
                               "left of the deadline; the document is refused")
        except BrokenProcessPool:
            self.reset()
            return ParseResult((), error="the parser crashed or ran out of memory on this "
                               "document; it is refused")

    def reset(self) -> None:
        """Kill the workers (a stuck parse among them); the next parse starts new ones."""
        pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
