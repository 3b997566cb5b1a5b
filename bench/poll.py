"""Poll-cycle benchmark: monitor's real `monitor poll` against a minimal reference loop.

    python -m bench.poll --feeds 1000 [--repeat 3] [--rss2email] [--latency 0.1] [--growth]

Starts a local feed farm (bench/farm.py), then for monitor (50 watches) and for the
reference loop (bench/reference.py: asyncio + aiohttp + fastfeedparser + one SQLite batch
per feed) runs a cold cycle (every item new), a 304 cycle (nothing changed) and a cycle
where 10% of the feeds changed: each cycle by monitor and then at once by the reference,
``--repeat`` times (the machine is shared and noisy: the table gives medians). Prints
wall time, CPU time (everything but the farm, parse workers included), peak memory of
the poller's main process, and the ratios; and the cycle alone, without process start-up,
for both (what a long-running service pays).
``--rss2email`` adds rss2email's cold cycle on the same farm (bench/rss2email.py).
``--growth`` adds monitor's cold cycle at 100 / 1,000 / 5,000 feeds, with 1 / 100 / 1,000
watches, and with 1,000,000 entries already stored; per feed it gives the whole command
and the cycle alone (as `monitor poll` reports it: what `monitor run` pays per cycle,
without the process start-up).

First it compiles the bytecode of monitor and of the bench, as ``pip install`` does for
an installed monitor (in the image, say): in a checkout run with PYTHONDONTWRITEBYTECODE=1
(as on this project's machines) every start would otherwise compile monitor's 88 modules
again, 0.1 s of each command.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WATCH_TERMS = ["Путин", "Лукашенко", "санкции", "переговоры", "Минск", "Белоруссия",
               "Украина", "нефть", "газ", "выборы", "президент", "армия", "Китай", "США",
               "sanctions", "drone", "talks", "summit", "oil", "Kremlin", "Zelensky",
               "election", "missile", "border", "union state"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_ticks(pid: int | None = None) -> float:
    """Seconds of CPU: of the whole machine, or of one process."""
    hz = os.sysconf("SC_CLK_TCK")
    if pid is None:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        return (sum(map(int, fields)) - int(fields[3]) - int(fields[4])) / hz
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / hz


class Run:
    def __init__(self, farm_pid: int) -> None:
        self.farm_pid = farm_pid
        self.cycle = 0.0

    def measure(self, cmd: list[str], cwd: Path) -> tuple[float, float, float]:
        """(wall s, CPU s, peak MB of the main process) of one command; ``self.cycle`` is
        the poll cycle's own time as `monitor poll` reports it (start-up excluded)."""
        cpu0, farm0, start = cpu_ticks(), cpu_ticks(self.farm_pid), time.perf_counter()
        with tempfile.TemporaryFile("w+") as out:
            proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            out.seek(0)
            found = re.search(r"^cycle: \d+ feeds in ([\d.]+)s", out.read(), re.MULTILINE)
        cpu = (cpu_ticks() - cpu0) - (cpu_ticks(self.farm_pid) - farm0)
        if status != 0:
            sys.exit(f"{cmd[:4]} failed with status {status}")
        self.cycle = float(found.group(1)) if found else wall
        return wall, cpu, usage.ru_maxrss / 1024


def watches(count: int, rng: random.Random) -> str:
    out = []
    for i in range(count):
        a, b = rng.sample(WATCH_TERMS, 2)
        query = [f'"{a}"', f"{a} AND {b}", f"{a} NEAR/10 {b}", f"({a} OR {b})"][i % 4]
        out.append(f"[[watches]]\nname = \"w{i}\"\nquery = '{query}'\n")
    return "\n".join(out)


def monitor_config(folder: Path, port: int, feeds: int, watch_count: int) -> Path:
    feed_tables = "".join(f'[[feeds]]\nname = "f{n}"\n'
                          f'url = "http://127.0.0.1:{port}/feed/{n}.xml"\n'
                          for n in range(feeds))
    path = folder / "monitor.toml"
    path.write_text(f'[monitor]\ndb = "{folder / "monitor.db"}"\nallow_hosts = '
                    f'["127.0.0.1:{port}"]\nconcurrency = 50\nhost_concurrency = 50\n'
                    f'first_poll = "store"\nlog_level = "warning"\n\n{feed_tables}\n'
                    f"{watches(watch_count, random.Random(1))}")
    return path


CYCLES = ("cold", "304", "10% changed")
Result = tuple[float, float, float, float]  # wall s, CPU s, peak MB, cycle alone s


Command = tuple[list[str], Path]  # argv, working directory


def paired_cycles(run: Run, ours: Command, ref: Command,
                  port: int) -> list[tuple[Result, Result]]:
    """Each cycle run by monitor, then at once by the reference (the pair sees the same
    machine, and the same changed feeds)."""
    pairs = []
    for name in CYCLES:
        if name == "10% changed":
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/change", method="POST")).read()
        pair = [(*run.measure(*command), run.cycle) for command in (ours, ref)]
        pairs.append((pair[0], pair[1]))
    return pairs


def compare(run: Run, port: int, feeds: int, repeat: int, watch_count: int = 50) -> float:
    """Print the table; return monitor's median cold cycle (wall s)."""
    rounds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            config = monitor_config(folder, port, feeds, watch_count)
            ours = [sys.executable, "-m", "monitor", "--config", str(config), "poll"]
            ref = [sys.executable, "-m", "bench.reference", "--db", str(folder / "ref.db"),
                   "--url", f"http://127.0.0.1:{port}/feed/{{}}.xml", "--feeds", str(feeds)]
            rounds.append(paired_cycles(run, (ours, folder), (ref, Path.cwd()), port))
    print(f"\n{feeds} feeds of 50 items, {watch_count} watches; median of {repeat} paired runs "
          "(ratio range in brackets)")
    print(f"{'cycle':<14}{'monitor wall':>13}{'cpu':>7}{'MB':>5}{'reference':>11}{'cpu':>7}"
          f"{'MB':>5}{'wall ratio':>18}{'cycle alone: monitor':>22}{'reference':>10}"
          f"{'ratio':>17}")
    for i, name in enumerate(CYCLES):
        print(f"{name:<14}{row([r[i] for r in rounds])}")
    return statistics.median(r[0][0][0] for r in rounds)


def against_rss2email(run: Run, port: int, feeds: int, ours: float) -> None:
    from bench import rss2email

    if not rss2email.available():
        sys.exit("--rss2email: the r2e command is missing; pip install -e '.[bench]'")
    wall, cpu = rss2email.cold_cycle(run, port, feeds)
    print(f"\nrss2email 3.14, cold cycle: {wall:.2f}s wall, {cpu:.1f}s CPU; monitor's median "
          f"cold cycle {ours:.2f}s: monitor is {wall / ours:.1f}x faster")


def row(pairs: list[tuple[Result, Result]]) -> str:
    def mid(values: list[float]) -> float:
        return statistics.median(values)

    ours, ref = [p[0] for p in pairs], [p[1] for p in pairs]
    cols = [mid([r[k] for r in side]) for side in (ours, ref) for k in range(4)]
    wall = sorted(o[0] / max(r[0], 0.001) for o, r in zip(ours, ref, strict=True))
    alone = sorted(o[3] / max(r[3], 0.001) for o, r in zip(ours, ref, strict=True))
    return (f"{cols[0]:>12.2f}s{cols[1]:>6.1f}s{cols[2]:>5.0f}{cols[4]:>10.2f}s"
            f"{cols[5]:>6.1f}s{cols[6]:>5.0f}{mid(wall):>7.1f}x ({wall[0]:.1f}-{wall[-1]:.1f})"
            f"{cols[3]:>21.2f}s{cols[7]:>9.2f}s{mid(alone):>6.1f}x ({alone[0]:.1f}-"
            f"{alone[-1]:.1f})")


def cold(run: Run, port: int, feeds: int, watch_count: int, stored: int = 0) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = monitor_config(folder, port, feeds, watch_count)
        if stored:
            preload(folder / "monitor.db", config, stored)
        w, c, m = run.measure([sys.executable, "-m", "monitor", "--config", str(config),
                               "poll"], folder)
    return (f"{w:7.2f}s wall {c:6.1f}s cpu {m:5.0f} MB  {w / feeds * 1000:6.2f} ms/feed  "
            f"(cycle alone {run.cycle / feeds * 1000:5.2f} ms/feed)")


def preload(db: Path, config: Path, rows: int) -> None:
    subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "check"],
                   check=True, capture_output=True)  # nothing stored; creates no db
    from monitor.store import Store

    Store.open(db).close()
    recent = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 86400))
    with sqlite3.connect(db) as conn:  # a day old: within keep_entries, nothing is pruned
        conn.executemany("INSERT INTO entries (feed, key, title, url, text, first_seen_at) "
                         "VALUES ('old', ?, 'old entry', 'https://old.example/', "
                         "'old text', ?)", ((f"id:old-{i}", recent) for i in range(rows)))


def growth(run: Run, port: int) -> None:
    print("\ngrowth (monitor, cold cycle)")
    for feeds in (100, 1000, 5000):
        print(f"  {feeds:>5} feeds, 50 watches      {cold(run, port, feeds, 50)}")
    for count in (1, 100, 1000):
        print(f"  1000 feeds, {count:>4} watches     {cold(run, port, 1000, count)}")
    print(f"  1000 feeds, 1M stored entries {cold(run, port, 1000, 50, 1_000_000)}")


def wait_for(url: str, seconds: float = 120) -> None:
    """Until the farm answers (it builds every feed first)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def running_farm(feeds: int, latency: float = 0.0) -> Iterator[tuple[int, int]]:
    """A farm of ``feeds`` feeds serving (its port and process id), stopped afterwards."""
    port = free_port()
    farm = subprocess.Popen([sys.executable, "-m", "bench.farm", "--feeds", str(feeds),
                             "--port", str(port), "--latency", str(latency)])
    try:
        wait_for(f"http://127.0.0.1:{port}/feed/0.xml")
        yield port, farm.pid
    finally:
        farm.terminate()
        farm.wait()


def precompile() -> None:
    """Bytecode for monitor and the bench, as an installed package has it."""
    import compileall

    import monitor

    for folder in (Path(monitor.__file__).parent, Path(__file__).parent):
        compileall.compile_dir(str(folder), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--growth", action="store_true")
    parser.add_argument("--watches", type=int, default=50,
                        help="how many watch rules monitor matches (the reference matches none)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="paired runs of the three cycles; the table gives medians")
    parser.add_argument("--rss2email", action="store_true",
                        help="also time rss2email's cold cycle (about 45 s at 1,000 feeds)")
    args = parser.parse_args()
    precompile()
    farm_feeds = max(args.feeds, 5000 if args.growth else 0)
    with running_farm(farm_feeds, args.latency) as (port, farm_pid):
        run = Run(farm_pid)
        ours = compare(run, port, args.feeds, args.repeat, args.watches)
        if args.rss2email:
            against_rss2email(run, port, args.feeds, ours)
        if args.growth:
            growth(run, port)


if __name__ == "__main__":
    main()
