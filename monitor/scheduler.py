"""The clock: APScheduler 3.x ticks; the database decides which feeds are due.

``Worker.run`` blocks until SIGTERM or SIGINT. On a signal it asks the in-flight
cycle to stop (unfinished feed polls are abandoned; their transactions never
started, so nothing is half-written), waits a few seconds, and exits.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from monitor.decide import iso

log = logging.getLogger("monitor.scheduler")
HEARTBEAT_KEY = "scheduler_heartbeat"
STOP_GRACE = 3.0


def heartbeat_every(tick: float) -> float:
    return min(tick, 30.0)


def write_heartbeat(db_path: str, now: datetime) -> None:
    """A short-lived connection of its own, so it never joins the cycle's transaction."""
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        with conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", [HEARTBEAT_KEY, iso(now)])
    finally:
        conn.close()


class Worker:
    def __init__(self, cycle: Callable[[threading.Event], None], db_path: str,
                 tick: float) -> None:
        self.cycle = cycle
        self.db_path = db_path
        self.tick = tick
        self.stop = threading.Event()
        self.idle = threading.Event()
        self.idle.set()

    def run(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler  # `run` only
        from apscheduler.triggers.interval import IntervalTrigger

        scheduler = BackgroundScheduler(timezone=UTC)
        now = datetime.now(UTC)
        scheduler.add_job(self._tick, IntervalTrigger(seconds=self.tick), id="tick",
                          next_run_time=now, max_instances=1, coalesce=True)
        scheduler.add_job(self._beat, IntervalTrigger(seconds=heartbeat_every(self.tick)),
                          id="heartbeat", next_run_time=now, max_instances=1, coalesce=True)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        scheduler.start()
        log.info("worker started tick=%gs db=%s", self.tick, self.db_path)
        while not self.stop.wait(1.0):
            pass
        scheduler.shutdown(wait=False)
        self._finish()

    def _on_signal(self, signum: int, _frame: object) -> None:
        log.info("received %s: stopping", signal.Signals(signum).name)
        self.stop.set()

    def _finish(self) -> None:
        if self.idle.wait(STOP_GRACE):
            log.info("worker stopped cleanly")
            return
        log.warning("in-flight cycle did not finish within %gs: abandoning it", STOP_GRACE)
        logging.shutdown()
        os._exit(0)

    def _tick(self) -> None:
        if self.stop.is_set():
            return
        self.idle.clear()
        try:
            self.cycle(self.stop)
        except Exception:
            log.exception("tick failed; the worker keeps running")
        finally:
            self.idle.set()

    def _beat(self) -> None:
        try:
            write_heartbeat(self.db_path, datetime.now(UTC))
        except sqlite3.Error as exc:
            log.error("cannot write heartbeat to %s: %s", self.db_path, exc)
