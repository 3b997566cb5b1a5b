"""Matching throughput: monitor's full language vs two literal baselines, in one run.

    python -m bench.match [--watches 1000] [--entries 100000] [--seed 1]

Entries are built from ../shared/corpus/news (titles and texts of Channel One, RIA and
TASS items, recombined so that each entry is distinct). Watches mix Russian and English
terms, phrases, AND/OR, NEAR and wildcards drawn from the same vocabulary. Baselines see
the same literal terms: a naive loop (``any(term in text)`` per watch) and a word-bounded
Aho-Corasick scan (pyahocorasick). Prints entries/s and the ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from monitor.match import Matcher
from monitor.models import Entry, WatchConfig

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news"
WORD = re.compile(r"[^\W\d_]{5,}")


def load_items() -> list[tuple[str, str]]:
    if not CORPUS.exists():
        sys.exit("../shared/corpus/news is absent")
    items = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            items.append((item["title"], (item.get("text") or "")[:1500]))
    return items


def make_entries(items: list[tuple[str, str]], n: int, rng: random.Random) -> list[Entry]:
    return [Entry(str(i), rng.choice(items)[0], "", None, rng.choice(items)[1])
            for i in range(n)]


def vocabulary(items: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for title, text in items[:8000]:
        tokens = WORD.findall(f"{title} {text}".lower())
        words.update(tokens)
        pairs.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    common = [w for w, c in words.most_common(6000)[200:]]  # skip the very commonest
    return common, [p for p, c in pairs.most_common(3000) if c >= 3]


def make_watches(words: list[str], pairs: list[str], n: int,
                 rng: random.Random) -> list[tuple[WatchConfig, list[str]]]:
    """(watch, the literal terms a baseline gets for it)."""
    out = []
    for i in range(n):
        kind = i % 10
        a, b = rng.choice(words), rng.choice(words)
        if kind < 4:
            query, literals = a, [a]
        elif kind < 6:
            p = rng.choice(pairs)
            query, literals = f'"{p}"', [p]
        elif kind < 7:
            query, literals = f"{a} AND {b}", [a, b]
        elif kind < 8:
            query, literals = f"({a} OR {b}) NOT {rng.choice(words)}", [a, b]
        elif kind < 9:
            query, literals = f"{a} NEAR/5 {b}", [a, b]
        else:
            query, literals = f"{a[:5]}*", [a[:5]]
        out.append((WatchConfig(f"w{i}", (), query=query), literals))
    return out


def naive(entries: list[Entry], watches: list[list[str]]) -> int:
    hits = 0
    for e in entries:
        text = f"{e.title}\n{e.text}".lower()
        hits += sum(any(t in text for t in terms) for terms in watches)
    return hits


def aho(entries: list[Entry], watches: list[list[str]]) -> int:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    owners: dict[str, set[int]] = {}
    for i, terms in enumerate(watches):
        for t in terms:
            owners.setdefault(t, set()).add(i)
    for term, ids in owners.items():
        automaton.add_word(term, (len(term), frozenset(ids)))
    automaton.make_automaton()
    hits = 0
    for e in entries:
        text = f"{e.title}\n{e.text}".lower()
        found: set[int] = set()
        for end, (length, ids) in automaton.iter(text):
            start = end - length + 1
            if (start == 0 or not text[start - 1].isalnum()) and (
                    end + 1 == len(text) or not text[end + 1].isalnum()):
                found |= ids
        hits += len(found)
    return hits


def ours(entries: list[Entry], matcher: Matcher) -> int:
    return sum(len(matcher.match(e, "feed")) for e in entries)


def timed(label: str, fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    hits = fn(*args)
    seconds = time.perf_counter() - start
    print(f"  {label:<36} {seconds:7.2f} s  {len(args[0]) / seconds:>9,.0f} entries/s  "
          f"({hits:,} watch hits)")
    return len(args[0]) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    items = load_items()
    entries = make_entries(items, args.entries, rng)
    words, pairs = vocabulary(items)
    watches = make_watches(words, pairs, args.watches, rng)
    started = time.perf_counter()
    matcher = Matcher([w for w, _ in watches])
    matcher.compile()
    print(f"{args.watches} watches compiled in {time.perf_counter() - started:.2f} s; "
          f"{len(entries):,} entries")
    literals = [lits for _, lits in watches]
    base = timed("naive any(term in text)", naive, entries, literals)
    ac = timed("Aho-Corasick, word-bounded (literal)", aho, entries, literals)
    full = timed("monitor (forms, phrases, NEAR, ...)", ours, entries, matcher)
    print(f"ratio: {full / base:.1f}x the naive loop (target >= 5x), "
          f"{full / ac:.2f} of Aho-Corasick (target >= 0.25)")


if __name__ == "__main__":
    main()
