"""Where a cold poll's CPU goes, per feed and per stage (issue 17's profile).

    python -m bench.stages [--feeds 200] [--watches 50]

Two profiles of the same shape as ``bench.poll`` (farm feeds of 50 items, the same
keyword watches):

- the worker's job, run here in one process under cProfile on the farm's documents:
  the first poll's ``parse_in_worker`` (parse, then match every entry), plus pickling
  its answer both ways, as the pipe between worker and poller does;
- the poller's main process, a real ``monitor poll`` cold cycle under cProfile (fetch,
  event loop, plan, store, the new stages, imports).

Each function's own time goes to one stage by its module; a built-in (``re``, ``set``,
``str`` methods) goes to the stages of its callers, in proportion. Prints milliseconds
per feed and shares. cProfile slows pure-Python code more than C code: read the shares,
and ``bench.poll`` for the real wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.farm import Farm
from bench.poll import free_port, monitor_config, wait_for

# (stage, module path fragments); the first that a function's file contains wins
WORKER_STAGES = [
    ("decode", ("sources/decoding", "encodings/", "codecs")),
    ("parse", ("fastfeedparser", "feedparser", "lxml", "sources/parse", "sources/fastparse",
               "sources/entities", "sources/links", "sources/documents", "dateutil",
               "email/", "_strptime", "urllib/", "html/")),
    ("clean text", ("monitor/text.py",)),
    ("search forms", ("match/search", "pymorphy3", "dawg_python")),
    ("word forms", ("match/forms", "match/belarusian", "match/english", "match/mistakes")),
    ("explain", ("match/explain",)),
    ("tokenise+normalise", ("match/text",)),
    ("match", ("monitor/match/",)),
    ("pickling", ("pickle", "copyreg")),
]
POLLER_STAGES = [
    ("imports", ("<frozen importlib", "importlib")),
    ("worker pipe (unpickle)", ("multiprocessing", "pickle", "copyreg")),
    ("store", ("sqlite", "monitor/store/")),
    ("fetch (aiohttp)", ("aiohttp", "yarl", "multidict", "socket", "selectors", "zlib",
                         "gzip", "sources/fetch", "sources/netguard", "ssl")),
    ("event loop", ("asyncio",)),
    ("new stages (evidence, stories, answers)", ("pipeline/evidence", "pipeline/stories",
                                                 "pipeline/answers", "monitor/answers/")),
    ("plan (decide)", ("monitor/decide",)),
    ("config, cli, logging", ("monitor/settings", "monitor/cli", "logging", "click",
                              "tomllib", "monitor/scheduler")),
    ("pipeline", ("monitor/pipeline", "monitor/workers")),
]


def stage_of(func: tuple[str, int, str], stages: list[tuple[str, tuple[str, ...]]]) -> str:
    where = func[0] if func[0] != "~" else func[2]
    for name, parts in stages:
        if any(p in where for p in parts):
            return name
    return "other"


def by_stage(stats: pstats.Stats, stages: list[tuple[str, tuple[str, ...]]]) -> Counter[str]:
    """Own time per stage; a built-in's own time is shared among its callers' stages."""
    table = stats.stats  # type: ignore[attr-defined]
    out: Counter[str] = Counter()
    for func, (_, _, own, _, callers) in table.items():
        if func[0] != "~" or not callers:
            out[stage_of(func, stages)] += own
            continue
        total = sum(c[2] for c in callers.values()) or 1.0
        for caller, (_, _, part, _) in callers.items():
            out[_builtin_stage(func, caller, stages)] += own * part / total
    return out


def _builtin_stage(func: tuple[str, int, str], caller: tuple[str, int, str],
                   stages: list[tuple[str, tuple[str, ...]]]) -> str:
    if "pickle" in func[2] or "recv" in func[2] or "send" in func[2]:
        own = stage_of(func, stages)
        if own != "other":
            return own
    return stage_of(caller, stages)


def worker_profile(farm: Farm, feeds: int, config: Path) -> Counter[str]:
    from monitor.settings.load import load_config
    from monitor.workers import pool

    pool._watches = tuple(load_config(config).watches)
    pool._worker_matcher()  # compiled once per worker, before the first job
    bodies = [farm.body(n)[0] for n in range(feeds)]
    profile = cProfile.Profile()
    profile.enable()
    for n, body in enumerate(bodies):
        answer = pool.parse_in_worker(body, {"content-type": "application/rss+xml"},
                                      f"http://farm/{n}.xml", f"f{n}")
        pickle.loads(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
    profile.disable()
    return by_stage(pstats.Stats(profile), WORKER_STAGES)


def poller_profile(feeds: int, watch_count: int) -> Counter[str]:
    port = free_port()
    farm = subprocess.Popen([sys.executable, "-m", "bench.farm", "--feeds", str(feeds),
                             "--port", str(port)])
    try:
        wait_for(f"http://127.0.0.1:{port}/feed/0.xml")
        with tempfile.TemporaryDirectory() as tmp:
            config = monitor_config(Path(tmp), port, feeds, watch_count)
            out = Path(tmp) / "poller.prof"
            subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "monitor",
                            "--config", str(config), "poll"], check=True,
                           capture_output=True)
            return by_stage(pstats.Stats(str(out)), POLLER_STAGES)
    finally:
        farm.terminate()
        farm.wait()


def show(title: str, stages: Counter[str], feeds: int) -> None:
    total = sum(stages.values())
    print(f"\n{title}: {total / feeds * 1000:.2f} ms per feed under cProfile")
    for name, seconds in stages.most_common():
        print(f"  {name:<42}{seconds / feeds * 1000:7.2f} ms  {seconds / total:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--watches", type=int, default=50)
    args = parser.parse_args()
    farm = Farm(args.feeds, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        config = monitor_config(Path(tmp), 1, args.feeds, args.watches)
        worker = worker_profile(farm, args.feeds, config)
    random.seed(1)
    show(f"worker job (parse + match of {args.feeds} first polls, {args.watches} watches)",
         worker, args.feeds)
    show("poller main process (monitor poll, cold cycle)",
         poller_profile(args.feeds, args.watches), args.feeds)


if __name__ == "__main__":
    main()
