"""The worker pool with real processes: one job's overrun, crash or failure never fails
another job, and the deadline counts from when a job reaches its worker."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator

import pytest

from monitor.workers.jobs import WORKER_NICENESS
from monitor.workers.pool import ParsePool
from monitor.workers.process import JobFailed, WorkerDied
from tests.workers.jobs import clock, die, fail, nap


@pytest.fixture
def pool() -> Iterator[ParsePool]:
    workers = ParsePool(workers=2)
    yield workers
    workers.close()


async def outcome(pool: ParsePool, fn: object, args: tuple, deadline: float) -> object:
    try:
        return await pool.run(fn, args, deadline)  # type: ignore[arg-type]
    except (TimeoutError, WorkerDied, JobFailed) as exc:
        return type(exc).__name__


@pytest.mark.slow  # sleeps through retries or deadlines; runs in CI
def test_an_overrun_kills_only_its_own_worker(pool: ParsePool) -> None:
    async def both() -> list[object]:
        return list(await asyncio.gather(outcome(pool, nap, ("stuck", 600), 2.0),
                                         outcome(pool, nap, ("fine", 3.0), 60)))

    assert asyncio.run(both()) == ["TimeoutError", "fine"]
    assert asyncio.run(outcome(pool, nap, ("after", 0), 60)) == "after"


def test_a_crash_fails_only_its_own_job(pool: ParsePool) -> None:
    async def both() -> list[object]:
        slow = asyncio.create_task(outcome(pool, nap, ("fine", 2.0), 60))
        await asyncio.sleep(0.5)
        return [await outcome(pool, die, (3,), 60), await slow]

    assert asyncio.run(both()) == ["WorkerDied", "fine"]


def test_a_failing_job_is_its_answer_and_the_worker_goes_on(pool: ParsePool) -> None:
    assert asyncio.run(outcome(pool, fail, ("bad document",), 60)) == "JobFailed"
    assert asyncio.run(outcome(pool, nap, ("next", 0), 60)) == "next"
    assert len(pool._idle) == 1  # the same worker served both


@pytest.mark.slow  # sleeps through retries or deadlines; runs in CI
def test_time_waiting_for_a_worker_is_not_counted() -> None:
    """Four 1-second jobs, one worker, a 2.5-second deadline each: the last one waits 3 s
    for the worker and still has its whole deadline."""
    single = ParsePool(workers=1)

    async def four() -> list[object]:
        return list(await asyncio.gather(*(outcome(single, nap, (str(i), 1.0), 2.5)
                                           for i in range(4))))

    try:
        assert asyncio.run(four()) == ["0", "1", "2", "3"]
    finally:
        single.close()


def test_a_poll_that_gives_up_while_its_worker_starts_leaves_the_pool_whole() -> None:
    """Workers start in a thread (the first waits for the forkserver): a job abandoned
    meanwhile gives its place back, and the worker that comes up late is killed, not
    counted."""
    single = ParsePool(workers=1)

    async def abandon_then_run() -> object:
        starting = asyncio.create_task(outcome(single, nap, ("abandoned", 0), 60))
        await asyncio.sleep(0)  # the job is now waiting for its worker to start
        starting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await starting
        assert single._started == 0
        return await asyncio.wait_for(outcome(single, nap, ("next", 0), 60), 120)

    try:
        assert asyncio.run(abandon_then_run()) == "next"
    finally:
        single.close()


def test_a_worker_runs_at_a_lower_priority_than_the_poller() -> None:
    """The event loop that fetches, stores and hands out documents comes first."""
    workers = ParsePool(workers=1)
    try:
        niceness = asyncio.run(workers.run(os.getpriority, (os.PRIO_PROCESS, 0), 60))
    finally:
        workers.close()
    assert niceness == min(os.getpriority(os.PRIO_PROCESS, 0) + WORKER_NICENESS, 19)


def test_a_job_in_line_goes_to_the_worker_the_moment_it_answers() -> None:
    """The next job is sent as the worker's answer is read, before the coroutine that
    waited for that answer runs (and stores a feed, say): the worker never waits for the
    event loop to get round to it."""
    single = ParsePool(workers=1)

    async def first_then_busy() -> float:
        await single.run(nap, ("first", 0.2), 60)
        time.sleep(1.5)  # the event loop busy: the next job runs meanwhile
        return time.monotonic()

    async def both() -> tuple[float, float]:
        busy_until = asyncio.create_task(first_then_busy())
        await asyncio.sleep(0)  # (the first job is sent first)
        started = await single.run(clock, (), 60)
        return started, await busy_until

    try:
        started, busy_until = asyncio.run(both())
    finally:
        single.close()
    assert started < busy_until


def test_a_job_abandoned_in_line_is_never_sent_and_the_worker_goes_on() -> None:
    single = ParsePool(workers=1)

    async def abandon_in_line() -> list[object]:
        first = asyncio.create_task(outcome(single, os.getpid, (), 60))
        await asyncio.sleep(0)
        in_line = asyncio.create_task(outcome(single, die, (3,), 60))  # would kill it
        await asyncio.sleep(0)
        in_line.cancel()
        with pytest.raises(asyncio.CancelledError):
            await in_line
        return [await first, await outcome(single, os.getpid, (), 60)]

    try:
        first, then = asyncio.run(asyncio.wait_for(abandon_in_line(), 120))  # (no hang)
    finally:
        single.close()
    assert first == then  # the same worker, never sent the job that would have killed it
