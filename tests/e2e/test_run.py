"""`monitor run`: the scheduler polls on its own, reports health, and stops on SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.helpers import Item, rss, write_config
from tests.helpers import run_cli_process as run_cli


def wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def hit_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM hits").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_run_polls_reports_health_and_stops_on_sigterm(tmp_path: Path,
                                                        httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        rss([Item("x1", "Union programs signed")]))
    config = write_config(tmp_path / "monitor.toml", monitor={"tick": "1s", "interval": "2s"},
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "w", "keywords": ["union programs"]}])
    assert run_cli("healthcheck", config=config).returncode == 1  # never ran yet
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert wait_for(lambda: hit_count(tmp_path / "monitor.db") == 1)
        assert wait_for(lambda: len(httpserver.log) >= 2)  # polled again on schedule
        health = run_cli("healthcheck", config=config)
        assert health.returncode == 0, health.stdout
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=10)
        assert time.monotonic() - started < 5
        assert proc.returncode == 0, stderr
        assert "poll feed=f status=ok" in stderr and "stopping" in stderr
        assert "monitor 0.1.0 starting" in stdout and "next poll: now (1 feed due)" in stdout
        assert hit_count(tmp_path / "monitor.db") == 1
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigterm_abandons_an_in_flight_poll_quickly(tmp_path: Path) -> None:
    arrived = threading.Event()
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)

    def stall(request: Request) -> Response:
        arrived.set()
        time.sleep(8)  # longer than the stop grace: the worker must not wait for it
        return Response(rss([]))

    server.expect_request("/slow").respond_with_handler(stall)
    server.start()
    config = write_config(tmp_path / "monitor.toml",
                          monitor={"tick": "1s", "fetch_timeout": "30s"},
                          feeds=[{"name": "slow", "url": server.url_for("/slow")}],
                          watches=[{"name": "w", "keywords": ["anything"]}])
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert arrived.wait(20)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)
        assert time.monotonic() - started < 5, stderr
        assert proc.returncode == 0, stderr
        assert "abandoning" in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
        server.clear()
        server.stop()


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_parse_workers_end_when_the_worker_is_killed(tmp_path: Path,
                                                     httpserver: HTTPServer) -> None:
    """SIGKILL (OOM killer, `kill -9`) gives the worker no chance to stop its parse
    processes; they notice on their own and exit, with their forkserver."""
    httpserver.expect_request("/feed").respond_with_data(rss([Item("k1", "Union programs")]))
    config = write_config(tmp_path / "monitor.toml", monitor={"tick": "1s", "interval": "2s"},
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "w", "keywords": ["union programs"]}])
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: hit_count(tmp_path / "monitor.db") == 1)
        helpers = descendants(proc.pid)
        assert len(helpers) >= 3  # the forkserver and two parse workers (at least)
    finally:
        proc.kill()
        proc.wait()
    assert wait_for(lambda: not any(alive(pid) for pid in helpers), timeout=30), [
        pid for pid in helpers if alive(pid)]
