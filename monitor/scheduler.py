"""The clock: APScheduler 3.x ticks; the database decides which feeds are due.

Two jobs, each at most one at a time: ``poll`` (the due feeds) and ``deliver`` (pending
alerts and digests). They run in their own threads, so a slow alert receiver never holds
back polling, nor a slow poll the alerts. ``Worker.run`` blocks until SIGTERM or SIGINT;
on a signal it asks the in-flight jobs to stop (unfinished feed polls are abandoned;
their transactions never started, so nothing is half-written), waits a few seconds, and
exits. Health is recorded by the pipeline (a poll cycle finished), not here.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime

log = logging.getLogger("monitor.scheduler")
STOP_GRACE = 3.0
Job = Callable[[threading.Event], None]


class Worker:
    def __init__(self, jobs: dict[str, Job], tick: float) -> None:
        self.jobs = jobs
        self.tick = tick
        self.stop = threading.Event()
        self.busy: dict[str, threading.Event] = {}

    def run(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler  # `run` only
        from apscheduler.triggers.interval import IntervalTrigger

        scheduler = BackgroundScheduler(timezone=UTC)
        now = datetime.now(UTC)
        for name, job in self.jobs.items():
            idle = self.busy.setdefault(name, threading.Event())
            idle.set()
            scheduler.add_job(self._run_job, IntervalTrigger(seconds=self.tick), id=name,
                              args=(name, job, idle), next_run_time=now, max_instances=1,
                              coalesce=True)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        scheduler.start()
        log.info("worker started tick=%gs jobs=%s", self.tick, ",".join(self.jobs))
        while not self.stop.wait(1.0):
            pass
        scheduler.shutdown(wait=False)
        self._finish()

    def _on_signal(self, signum: int, _frame: object) -> None:
        log.info("received %s: stopping", signal.Signals(signum).name)
        self.stop.set()

    def _finish(self) -> None:
        if all(idle.wait(STOP_GRACE) for idle in self.busy.values()):
            log.info("worker stopped cleanly")
            return
        log.warning("in-flight work did not finish within %gs: abandoning it", STOP_GRACE)
        logging.shutdown()
        os._exit(0)

    def _run_job(self, name: str, job: Job, idle: threading.Event) -> None:
        if self.stop.is_set():
            return
        idle.clear()
        try:
            job(self.stop)
        except Exception:  # recorded: no "cycle finished", so healthcheck fails
            log.exception("%s failed; the worker keeps running and tries again", name)
        finally:
            idle.set()
