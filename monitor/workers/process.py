"""One worker process and the one job it runs at a time, over a pipe.

The poller knows which process runs which job, so a job that overruns its deadline (or is
abandoned) is ended by killing that process alone; a process that dies (out of memory, a
crash) fails only its own job. The deadline starts when the job reaches the process:
time waiting for a free process is not counted. An answer is read by the event loop's
reader callback the moment it arrives, and the process handed its next job there
(``on_answer``), before the coroutine that waited for the answer unpickles it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler as _ForkingPickler
from typing import Any


class WorkerDied(Exception):
    """The process ended (killed, crashed, out of memory) before it answered."""


class JobFailed(Exception):
    """The job raised in the worker; the message names the exception."""


def serve(conn: Connection, init: Callable[..., None], init_args: tuple[Any, ...]) -> None:
    """The worker's main loop: set up, say ready, then run one job at a time until the
    pipe closes."""
    init(*init_args)
    conn.send(("ready", None))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", fn(*args))
        except Exception as exc:  # the job's failure is its answer, the worker goes on
            answer = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(answer)


class Worker:
    def __init__(self, context: multiprocessing.context.BaseContext,
                 init: Callable[..., None], init_args: tuple[Any, ...]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]
            target=serve, args=(child, init, init_args), daemon=True)
        self.process.start()
        child.close()
        self.usable = True
        self.sent = 1  # jobs sent (the first is starting up: its answer is "ready")
        self.answered = 0  # answers read
        self.on_answer: Callable[[Worker], None] | None = None  # called as each is read

    async def ready(self) -> None:
        if await self._receive() != ("ready", None):
            raise WorkerDied("the worker did not start")

    def send(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> int:
        """Send a job; return its number (``answered`` reaches it when its answer is
        read)."""
        try:
            self.conn.send((fn, args))
        except OSError as exc:
            raise WorkerDied(str(exc)) from exc
        self.sent += 1
        return self.sent

    async def answer(self) -> Any:
        """The answer to the job sent last (JobFailed: the job raised)."""
        kind, value = await self._receive()
        if kind == "error":
            raise JobFailed(value)
        return value

    async def _receive(self) -> Any:
        loop = asyncio.get_running_loop()
        arrived: asyncio.Future[bytes] = loop.create_future()
        fd = self.conn.fileno()
        loop.add_reader(fd, self._read, loop, fd, arrived)
        try:
            data = await arrived
        finally:
            if not arrived.done():
                loop.remove_reader(fd)
        return _ForkingPickler.loads(data)

    def _read(self, loop: asyncio.AbstractEventLoop, fd: int,
              arrived: asyncio.Future[bytes]) -> None:
        """The answer's bytes, read as soon as they arrive; the worker is then handed on
        (``on_answer``) before anything waits for the answer to be unpickled."""
        loop.remove_reader(fd)
        try:
            data = self.conn.recv_bytes()
        except (EOFError, OSError):
            if not arrived.done():
                arrived.set_exception(WorkerDied("the worker ended before it answered"))
            return
        self.answered += 1
        if not arrived.done():  # (a deadline may have ended the wait in this same turn)
            arrived.set_result(data)
        if self.on_answer is not None:
            self.on_answer(self)

    def kill(self) -> None:
        self.usable = False
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def close(self, wait: float = 5.0) -> None:
        """Let the worker finish: it ends when its pipe closes."""
        self.usable = False
        self.conn.close()
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
