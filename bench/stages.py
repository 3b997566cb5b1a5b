"""Where a cold poll's CPU goes, per feed and per stage (issue 17's profile).

    python -m bench.stages [--feeds 200] [--watches 50]

First each stage timed on its own (CPU time, best of three, no profiler) on the farm's
documents with ``bench.poll``'s watches: parse (fastfeedparser alone, then monitor's
whole parse with its clean text, links, dates and documents check), match (the gate's
scan, then the whole match with evaluation and explanations; and the engine without the
gate), pickling the worker's answer both ways, the plan (decide) and the store (each
feed's save in a fresh database, grouped commits as a poll does). Then two profiles:

- the worker's job, run here in one process under cProfile on the farm's documents:
  the first poll's ``parse_in_worker`` (parse, then match every entry), plus pickling
  its answer both ways, as the pipe between worker and poller does;
- the poller's main process, a real ``monitor poll`` cold cycle under cProfile with a
  CPU clock (time waiting for the network or a worker is not counted): fetch, event
  loop, plan, store, the new stages, imports.

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
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.farm import Farm
from bench.poll import monitor_config, running_farm

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
    ("event loop", ("asyncio", "select.epoll")),
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
    from monitor.workers import jobs

    jobs._watches = tuple(load_config(config).watches)
    jobs._worker_matcher()  # compiled once per worker, before the first job
    bodies = [farm.body(n)[0] for n in range(feeds)]
    profile = cProfile.Profile()  # one process, never waiting: wall time is CPU time
    profile.enable()
    for n, body in enumerate(bodies):
        answer = jobs.parse_in_worker(body, {"content-type": "application/rss+xml"},
                                      f"http://farm/{n}.xml", f"f{n}")
        pickle.loads(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
    profile.disable()
    return by_stage(pstats.Stats(profile), WORKER_STAGES)


def poller_profile(feeds: int, watch_count: int) -> Counter[str]:
    with running_farm(feeds) as (port, _), tempfile.TemporaryDirectory() as tmp:
        config = monitor_config(Path(tmp), port, feeds, watch_count)
        out = Path(tmp) / "poller.prof"
        subprocess.run([sys.executable, "-m", "bench.stages", "--poller-child", str(config),
                        str(out)], check=True, capture_output=True)
        return by_stage(pstats.Stats(str(out)), POLLER_STAGES)


def show(title: str, stages: Counter[str], feeds: int) -> None:
    total = sum(stages.values())
    print(f"\n{title}: {total / feeds * 1000:.2f} ms per feed under cProfile")
    for name, seconds in stages.most_common():
        print(f"  {name:<42}{seconds / feeds * 1000:7.2f} ms  {seconds / total:6.1%}")


def poller_child(config: str, out: str) -> None:
    """Run ``monitor poll`` here, profiled by CPU time, and save the profile."""
    from monitor.cli import main as monitor

    profile = cProfile.Profile(time.process_time)
    sys.argv = ["monitor", "--config", config, "poll"]
    profile.enable()
    try:
        monitor()
    except SystemExit:
        pass
    finally:
        profile.disable()
        profile.dump_stats(out)


def best_of(fn: Callable[[], object], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def direct(farm: Farm, feeds: int, config: Path) -> list[tuple[str, float]]:
    """(stage, CPU seconds for all the feeds), each stage timed on its own."""
    import fastfeedparser

    from monitor.match import Matcher
    from monitor.settings.load import load_config
    from monitor.sources.parse import parse_feed

    bodies = [farm.body(n)[0] for n in range(feeds)]
    headers = {"content-type": "application/rss+xml"}
    parsed = [parse_feed(b, headers, f"http://farm/{n}.xml") for n, b in enumerate(bodies)]
    entries = [e for p in parsed for e in p.entries]
    watches = tuple(load_config(config).watches)
    gated, plain = Matcher(watches), Matcher(watches, gated=False)
    for matcher in (gated, plain):  # compiled, and their vocabularies learnt
        [matcher.match(e, "f") for e in entries]
    gate = gated.gate
    assert gate is not None
    answers = [(p, {e.key: gated.match(e, "f") for e in p.entries}) for p in parsed]
    return [
        ("parse: fastfeedparser alone", best_of(lambda: [fastfeedparser.parse(b) for b in bodies])),
        ("parse: monitor's parse_feed", best_of(lambda: [
            parse_feed(b, headers, f"http://farm/{n}.xml") for n, b in enumerate(bodies)])),
        ("match: the gate's scan", best_of(lambda: [
            gate.words(f"{e.title}\n{e.text}\n") for e in entries])),
        ("match: whole (scan, evaluate, explain)", best_of(lambda: [
            gated.match(e, "f") for e in entries])),
        ("match: whole, without the gate", best_of(lambda: [
            plain.match(e, "f") for e in entries])),
        ("pickling the answer (both ways)", best_of(lambda: [
            pickle.loads(pickle.dumps(a, pickle.HIGHEST_PROTOCOL)) for a in answers])),
        *store_stages(answers),
    ]


def store_stages(answers: list[tuple[Any, dict[str, Any]]]) -> list[tuple[str, float]]:
    """The plan (decide) and the save of each feed, in a fresh database."""
    from datetime import UTC, datetime

    from monitor.decide import plan_update
    from monitor.models import FeedState, FetchResult
    from monitor.store import Store

    now = datetime(2026, 12, 1, tzinfo=UTC)
    def plans() -> list[Any]:
        return [plan_update(FeedState(f"f{n}", f"http://farm/{n}.xml"),
                            FetchResult("ok", f"http://farm/{n}.xml", 200), parsed, set(),
                            now=now, interval=600, first_poll="store")
                for n, (parsed, _) in enumerate(answers)]
    updates = plans()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "stages.db")
        start = time.process_time()
        for n, (update, (_, matches)) in enumerate(zip(updates, answers, strict=True)):
            if n % 200 == 0:
                store.end_group()
                store.begin_group()
            store.save_update(update, matches, {}, ())
        store.end_group()
        saved = time.process_time() - start
        store.close()
    return [("plan (decide)", best_of(plans)), ("store: save each feed", saved)]


def show_direct(rows: list[tuple[str, float]], feeds: int) -> None:
    print(f"\neach stage on its own, CPU ms per feed (best of 3, {feeds} feeds of 50 items)")
    for name, seconds in rows:
        print(f"  {name:<42}{seconds / feeds * 1000:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--watches", type=int, default=50)
    parser.add_argument("--poller-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.poller_child:
        return poller_child(*args.poller_child)
    farm = Farm(args.feeds, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        config = monitor_config(Path(tmp), 1, args.feeds, args.watches)
        show_direct(direct(farm, args.feeds, config), args.feeds)
        worker = worker_profile(farm, args.feeds, config)
    random.seed(1)
    show(f"worker job (parse + match of {args.feeds} first polls, {args.watches} watches)",
         worker, args.feeds)
    show("poller main process (monitor poll, cold cycle)",
         poller_profile(args.feeds, args.watches), args.feeds)


if __name__ == "__main__":
    main()
