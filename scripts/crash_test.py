"""Crash test: kill the worker with SIGKILL at random moments; nothing may be lost or doubled.

    python scripts/crash_test.py --kills 200

Local feeds keep publishing new items; the SMTP server and the webhook receiver refuse
some deliveries (451 / 500). After the kills the worker runs until every delivery went
out. Checks: every published item is a hit exactly once; every delivery reached its
receiver at least once; every repeat carries an id already seen (no alert under two ids);
PRAGMA integrity_check is ok. Prints the counts; exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

FEEDS = 4


class World:
    """Feeds that publish over time, and receivers that sometimes fail."""

    def __init__(self, rng: random.Random, fail_rate: float) -> None:
        self.rng, self.fail_rate = rng, fail_rate
        self.lock = threading.Lock()
        self.published = [0] * FEEDS
        self.mail_ids: Counter[str] = Counter()
        self.hook_ids: Counter[str] = Counter()

    def publish(self) -> None:
        with self.lock:
            self.published[self.rng.randrange(FEEDS)] += 1

    def feed(self, n: int) -> bytes:
        with self.lock:
            count = self.published[n]
        items = "".join(f"<item><guid>f{n}-{i}</guid><title>alpha report {n}-{i}</title>"
                        f"<link>https://example.org/{n}/{i}</link></item>"
                        for i in range(count))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>f{n}</title>'
                f"<link>https://example.org/</link>{items}</channel></rss>").encode()

    def fails(self) -> bool:
        with self.lock:
            return self.rng.random() < self.fail_rate

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.fails():
            return "451 4.3.0 try again"
        message = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        with self.lock:
            self.mail_ids[message["X-Monitor-Delivery-Id"]] += 1
        return "250 OK"


def http_server(world: World) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = world.feed(int(self.path.strip("/").removeprefix("feed")))
            self._answer(200, body)

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            if world.fails():
                return self._answer(500, b"down")
            with world.lock:
                world.hook_ids[self.headers["webhook-id"]] += 1
            self._answer(200, b"ok")

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(path: Path, http_port: int, smtp_port: int) -> None:
    feeds = "".join(f'[[feeds]]\nname = "f{n}"\nurl = "http://127.0.0.1:{http_port}/feed{n}"\n'
                    for n in range(FEEDS))
    path.write_text(f"""[monitor]
db = "{path.parent / 'monitor.db'}"
tick = "1s"
interval = "1s"
retry_delay = "1s"
allow_private_networks = true
fetch_timeout = "5s"
first_poll_window = "off"
{feeds}
[[watches]]
name = "alpha"
keywords = ["alpha"]
[[notifiers]]
name = "mail"
type = "email"
smtp_host = "127.0.0.1"
smtp_port = {smtp_port}
security = "none"
from = "monitor@example.org"
to = ["desk@example.org"]
timeout = "5s"
[[notifiers]]
name = "hook"
type = "webhook"
url = "http://127.0.0.1:{http_port}/hook"
timeout = "5s"
""")


def start_worker(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pending(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM deliveries WHERE status != 'delivered'")
                   .fetchone()[0])


def kill_loop(config: Path, world: World, kills: int, rng: random.Random) -> None:
    for n in range(kills):
        worker = start_worker(config)
        for _ in range(rng.randint(0, 3)):
            world.publish()
        time.sleep(rng.uniform(0.2, 1.6))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        if (n + 1) % 25 == 0:
            print(f"  {n + 1} kills", flush=True)


def finish(config: Path, db: Path, world: World, deadline: float) -> None:
    world.fail_rate = 0.0
    worker = start_worker(config)
    try:
        stop = time.monotonic() + deadline
        while time.monotonic() < stop:
            time.sleep(2)
            if db.exists() and pending(db) == 0 and _hits(db) == sum(world.published):
                break
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)


def _hits(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM hits").fetchone()[0])


def check(db: Path, world: World, kills: int) -> list[str]:
    with sqlite3.connect(db, timeout=30) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        hits = [r[0] for r in conn.execute("SELECT url FROM hits")]
        rows = conn.execute("SELECT id, notifier, status FROM deliveries").fetchall()
    expected = {f"https://example.org/{n}/{i}" for n in range(FEEDS)
                for i in range(world.published[n])}
    received = {"mail": world.mail_ids, "hook": world.hook_ids}
    known = {r[0] for r in rows}
    problems = []
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if sorted(hits) != sorted(expected):
        problems.append(f"hits: {len(hits)} stored, {len(expected)} expected, "
                        f"{len(set(hits))} distinct")
    for delivery_id, notifier, status in rows:
        if status != "delivered" or received[notifier][delivery_id] < 1:
            problems.append(f"delivery {delivery_id} ({notifier}) {status}, "
                            f"received {received[notifier][delivery_id]}x")
    for notifier, seen in received.items():
        strangers = set(seen) - known
        if strangers:
            problems.append(f"{notifier}: ids not in the outbox: {sorted(strangers)[:5]}")
    repeats = {n: sum(c - 1 for c in seen.values()) for n, seen in received.items()}
    print(json.dumps({"kills": kills, "published": len(expected), "hits": len(hits),
                      "deliveries": len(rows), "emails_received": sum(world.mail_ids.values()),
                      "webhooks_received": sum(world.hook_ids.values()),
                      "repeats_same_id": repeats, "integrity": integrity}))
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fail-rate", type=float, default=0.2)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    world = World(random.Random(args.seed + 1), args.fail_rate)
    http = http_server(world)
    smtp = Controller(world, hostname="127.0.0.1", port=free_port())
    smtp.start()
    with tempfile.TemporaryDirectory() as tmp:
        config, db = Path(tmp) / "monitor.toml", Path(tmp) / "monitor.db"
        write_config(config, http.server_address[1], smtp.port)
        started = time.monotonic()
        kill_loop(config, world, args.kills, rng)
        finish(config, db, world, deadline=120)
        print(f"{args.kills} kills in {time.monotonic() - started:.0f} s")
        problems = check(db, world, args.kills)
    smtp.stop()
    http.shutdown()
    for p in problems[:20]:
        print("FAIL", p)
    print("crash test:", "FAILED" if problems else "ok")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
