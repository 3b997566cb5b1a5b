"""Parsing contained in worker processes: a deadline and a memory limit per document.

feedparser is pure Python: a huge or pathological document could hold the poll for
minutes or exhaust memory. Each document is parsed in a worker process (forkserver,
with the parser preloaded: about 0.5 ms of overhead per document) whose address space is
limited; a parse that overruns the feed's remaining deadline is killed with its worker
and recorded as the feed's error: that worker alone is killed, so the other feeds of the
poll, parsing in the other worker or waiting for one, are not affected; and the deadline
counts from the moment the document reaches a worker, not while it waits for one.

The workers also match new entries (``match``, or in the parse job itself): each compiles
the watches once; matching, a cold poll's largest CPU cost, runs beside the event loop.

A job in line for a worker is sent the moment a worker answers (``_release``, from the
reader callback), not when the job's coroutine next runs: the event loop may have feeds to
store first, and each worker used to wait about 6 ms per job for it, 2.1 s of a 7.5 s cold
poll of 1,000 feeds. That poll went 7.85 -> 7.49 s (median of 6 alternated pairs).
"""

from __future__ import annotations

import asyncio
import importlib.util
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from monitor.models import Entry, PageRule, ParseResult, WatchConfig
from monitor.workers.jobs import Matches, match_job, parse_job, start_worker
from monitor.workers.process import JobFailed, Worker, WorkerDied
from monitor.workers.wire import unpack_matches, unpack_parse

if TYPE_CHECKING:
    from monitor.match import Matcher

MEMORY_LIMIT = 1 << 30  # bytes of address space per worker
# a job in line for a worker: what to run, and the future ``_release`` settles with the
# worker and the job's number once it is sent (None: a worker is gone, start another)
_Job = tuple[Callable[..., Any], tuple[Any, ...], "asyncio.Future[tuple[Worker, int] | None]"]
# imported once, in the forkserver; the workers fork with them loaded (with their own
# imports: fastfeedparser and lxml, imported in each worker's first job, cost 15 ms each)
PRELOAD = ["monitor.sources.parse", "monitor.match", "monitor.match.dictionaries"]


def start_forkserver() -> None:
    """Start the forkserver (a fresh interpreter importing the parsers and the matcher)
    now, while the poller loads its config, so that workers fork from it at once when the
    first document arrives."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def _context() -> multiprocessing.context.BaseContext:
    """The forkserver context, with monitor's preloads and a light main module."""
    _light_main()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _light_main() -> None:
    """A new worker first runs the program's main module again (multiprocessing's "safe
    importing of main"). For the ``monitor`` console script, that is the whole CLI:
    aiohttp, click and sqlite-utils, 27 MB and a few tenths of a second in each worker.
    multiprocessing skips a main module named ``<package>.__main__``, so the script is
    given monitor's own (which is what ``python -m monitor`` runs anyway)."""
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None:
        main.__spec__ = importlib.util.find_spec("monitor.__main__")


def _kill_spawned(spawned: Future[Worker]) -> None:
    if not spawned.cancelled() and spawned.exception() is None:
        spawned.result().kill()


def default_workers() -> int:
    """One more worker than cores (at most 4): while the poller's event loop stores a feed,
    a worker that has finished its job waits for the next one, so with as many workers as
    cores a core sat idle. On 2 cores a cold poll of 1,000 realistic feeds took 12.5-13.0 s
    with 2 workers, 9.6-10.8 s with 3 and 10.5-10.7 s with 4."""
    return min(len(os.sched_getaffinity(0)) + 1, 4)


class ParsePool:
    """At most ``workers`` processes, started when a job first needs one and kept between
    polls. Each job has its own process while it runs (see ``process``)."""

    def __init__(self, workers: int | None = None, memory_limit: int = MEMORY_LIMIT,
                 watches: tuple[WatchConfig, ...] = ()) -> None:
        self.workers = workers or default_workers()
        self.memory_limit = memory_limit
        self.watches = watches
        self._idle: list[Worker] = []
        self._started = 0
        # jobs in line for a worker, each sent by ``_release`` as a worker answers
        self._waiting: deque[_Job] = deque()
        self._spawner: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[..., Any], args: tuple[Any, ...],
                  deadline: float | None) -> Any:
        """``fn(*args)`` in a worker, within ``deadline`` seconds of reaching it. On
        TimeoutError, WorkerDied or cancellation the worker is killed (it alone)."""
        worker, number = await self._send(fn, args)
        try:
            return await asyncio.wait_for(worker.answer(), deadline)
        except (TimeoutError, WorkerDied, asyncio.CancelledError):
            if worker.answered < number:  # (else it answered, and went on to the next job)
                worker.kill()
                self._release(worker)
            raise

    async def _send(self, fn: Callable[..., Any],
                    args: tuple[Any, ...]) -> tuple[Worker, int]:
        """The job sent to a free worker: at once, or by ``_release`` the moment a worker
        answers its last one (the event loop may have feeds to store before this
        coroutine runs again: meanwhile the worker works). Returns the worker and the
        job's number."""
        while True:
            if self._idle:
                worker = self._idle.pop()
                return worker, self._send_to(worker, fn, args)
            if self._started < self.workers:
                self._idle.append(await self._start())
                continue
            handed = await self._wait_for_worker(fn, args)
            if handed is not None:
                return handed

    def _send_to(self, worker: Worker, fn: Callable[..., Any], args: tuple[Any, ...]) -> int:
        """Send a job to a free worker; one that died between jobs is released as dead,
        and the job fails as if it had died in it (WorkerDied)."""
        try:
            return worker.send(fn, args)
        except WorkerDied:
            worker.kill()
            self._release(worker)
            raise

    async def _wait_for_worker(self, fn: Callable[..., Any],
                               args: tuple[Any, ...]) -> tuple[Worker, int] | None:
        """In line for a worker: the job as sent, or None when a worker is gone (start
        another). Cancelled after the job was sent, its worker is killed."""
        sent: asyncio.Future[tuple[Worker, int] | None] = \
            asyncio.get_running_loop().create_future()
        self._waiting.append((fn, args, sent))
        try:
            return await sent
        except asyncio.CancelledError:
            handed = sent.result() if sent.done() and not sent.cancelled() \
                and sent.exception() is None else None
            if handed is not None:
                handed[0].kill()
                self._release(handed[0])
            raise

    async def _start(self) -> Worker:
        """A new worker, forked in a thread: the first fork waits for the forkserver to
        start and import the parsers (0.2-0.3 s), which would otherwise stall every fetch
        of the event loop. A worker that comes up after the poll gave up is killed."""
        self._started += 1
        if self._spawner is None:
            self._spawner = ThreadPoolExecutor(self.workers, "monitor-spawn")
        spawned = self._spawner.submit(Worker, _context(), start_worker,
                                       (self.memory_limit, self.watches, os.getpid()))
        try:
            worker = await asyncio.wrap_future(spawned)
        except BaseException:
            spawned.add_done_callback(_kill_spawned)
            self._started -= 1
            raise
        try:
            await worker.ready()
        except BaseException:
            worker.kill()
            self._started -= 1
            raise
        worker.on_answer = self._release
        return worker

    def _release(self, worker: Worker) -> None:
        """A worker that answered (or died): its next job is sent now, if one waits; a
        worker gone, the first job in line starts another (``_send`` again)."""
        job = self._next_in_line()
        if not worker.usable:
            self._started -= 1
            if job is not None:
                job[2].set_result(None)
        elif job is None:
            self._idle.append(worker)
        else:
            fn, args, sent = job
            try:
                sent.set_result((worker, self._send_to(worker, fn, args)))
            except WorkerDied as exc:
                sent.set_exception(exc)

    def _next_in_line(self) -> _Job | None:
        """The first job still waiting (one whose poll gave up meanwhile is dropped)."""
        while self._waiting:
            job = self._waiting.popleft()
            if not job[2].done():
                return job
        return None

    async def parse(self, body: bytes, headers: dict[str, str], url: str, deadline: float,
                    match_as: str | None = None, page: PageRule | None = None,
                    skip: frozenset[str] = frozenset()) -> tuple[ParseResult, Matches | None]:
        """The parse (without the items keyed in ``skip``), and with ``match_as`` the
        matches of every entry (None otherwise)."""
        try:
            parsed, matches = await self.run(parse_job, (body, headers, url, match_as, page,
                                                         skip), max(deadline, 1.0))
        except TimeoutError:
            return ParseResult((), error=f"parsing took longer than the {deadline:.0f}s "
                               "left of the deadline; the document is refused"), None
        except WorkerDied:
            return ParseResult((), error="the parser crashed or ran out of memory on this "
                               "document; it is refused"), None
        except JobFailed as exc:
            return ParseResult((), error=f"the parser failed on this document ({exc}); "
                               "it is refused"), None
        return unpack_parse(parsed), None if matches is None else unpack_matches(matches)

    async def match(self, entries: tuple[Entry, ...], feed: str,
                    fallback: Matcher) -> Matches:
        """Matches of each entry, computed in a worker (here, if the worker failed)."""
        if not entries or not self.watches:
            return {}
        try:
            return unpack_matches(await self.run(match_job, (entries, feed), None))
        except (WorkerDied, JobFailed):
            return {e.key: fallback.match(e, feed, cleaned=True) for e in entries}

    def close(self) -> None:
        idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()
        self._started = 0
        if self._spawner is not None:
            self._spawner.shutdown()
            self._spawner = None
