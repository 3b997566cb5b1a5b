"""Matching throughput: monitor's full language vs literal baselines, in one run, for a
vocabulary of each language.

    python -m bench.match [--watches 1000] [--entries 30000] [--seed 1] [--vocabulary en ru be]
    python -m bench.match --against 943fb9b [--rounds 3]

Entries are built from ../shared/corpus (titles and texts of Channel One, RIA and TASS
items, and Belarusian treebank sentences, recombined so that each entry is distinct).
For each vocabulary (words and word pairs of that language's items; the commonest 200
skipped) watches mix terms, phrases, AND/OR/NOT, NEAR and wildcards. Baselines see the
same literal terms: a naive loop (``any(term in text)`` per watch) and a word-bounded
Aho-Corasick scan (pyahocorasick). monitor runs twice: looking up every word of an entry
(the engine before the gate) and through the gate (``monitor.match.gate``); both must
give the same hits. Prints entries/s and the ratios.

``--against REV`` instead compares this checkout's matcher with git revision REV's, side by
side on the same entries and watches (``bench/against.py``): 943fb9b is the engine as it
was when issue 17 asked for 1.7x.
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

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WORD = re.compile(r"[^\W\d_]{5,}")
Item = tuple[str, str, str]  # language, title, text


def load_items() -> list[Item]:
    if not (CORPUS / "news").exists():
        sys.exit("../shared/corpus/news is absent")
    items = []
    for path in sorted((CORPUS / "news").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            items.append((path.name[:2], item["title"], (item.get("text") or "")[:1500]))
    for path in sorted((CORPUS / "belarusian").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            text = json.loads(line)["text"]
            items.append(("be", text[:120], text))
    return items


def make_entries(items: list[Item], n: int, rng: random.Random) -> list[Entry]:
    return [Entry(str(i), rng.choice(items)[1], "", None, rng.choice(items)[2])
            for i in range(n)]


def vocabulary(items: list[Item], language: str) -> tuple[list[str], list[str]]:
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for _, title, text in [i for i in items if i[0] == language][:8000]:
        tokens = WORD.findall(f"{title} {text}".lower())
        words.update(tokens)
        pairs.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    common = [w for w, c in words.most_common(6000)[200:]]  # skip the very commonest
    return common, [p for p, c in pairs.most_common(3000) if c >= 2]


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


def timed(label: str, fn, *args) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    hits = fn(*args)
    seconds = time.perf_counter() - start
    print(f"  {label:<40} {seconds:7.2f} s  {len(args[0]) / seconds:>9,.0f} entries/s  "
          f"({hits:,} watch hits)")
    return len(args[0]) / seconds, hits


def compare(language: str, items: list[Item], entries: list[Entry], count: int,
            rng: random.Random, against: tuple[str, int] | None = None) -> None:
    words, pairs = vocabulary(items, language)
    watches = make_watches(words, pairs, count, rng)
    if against is not None:
        return compare_revisions(language, items, entries, [w for w, _ in watches], against)
    configs = [w for w, _ in watches]
    before, gated = Matcher(configs, gated=False), Matcher(configs)
    started = time.perf_counter()
    before.compile()
    gated.compile()
    print(f"\n{language} vocabulary: {count} watches compiled (twice) in "
          f"{time.perf_counter() - started:.2f} s; {len(entries):,} entries")
    literals = [lits for _, lits in watches]
    base, _ = timed("naive any(term in text)", naive, entries, literals)
    ac, _ = timed("Aho-Corasick, word-bounded (literal)", aho, entries, literals)
    ours(entries[:2000], before)  # both vocabularies warmed alike
    ours(entries[:2000], gated)
    old, old_hits = timed("monitor, every word looked up", ours, entries, before)
    new, new_hits = timed("monitor, through the gate", ours, entries, gated)
    same = "same hits" if old_hits == new_hits else "DIFFERENT HITS"
    print(f"  ratio: gate {new / old:.2f}x the engine without it ({same}); "
          f"{new / base:.1f}x the naive loop, {new / ac:.2f} of Aho-Corasick")


def compare_revisions(language: str, items: list[Item], entries: list[Entry],
                      watches: list[WatchConfig], against: tuple[str, int]) -> None:
    from bench.against import against as run

    extra = make_entries(items, len(entries), random.Random(len(entries)))
    print(f"\n{language} vocabulary: {len(watches)} watches, {len(entries):,} entries, "
          f"side by side, median of {against[1]} rounds")
    run(against[0], {"entries": [(e.key, e.title, e.text) for e in entries],
                     "extra": [(e.key, e.title, e.text) for e in extra],
                     "watches": [(w.name, w.query) for w in watches]}, against[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--vocabulary", nargs="+", default=["en", "ru", "be"],
                        choices=["en", "ru", "be"])
    parser.add_argument("--against", metavar="REV",
                        help="time this checkout's matcher against the one of git revision "
                             "REV, side by side (e.g. 943fb9b, the engine before issue 17)")
    parser.add_argument("--rounds", type=int, default=3, help="side-by-side rounds (--against)")
    args = parser.parse_args()
    items = load_items()
    entries = make_entries(items, args.entries, random.Random(args.seed))
    against = (args.against, args.rounds) if args.against else None
    for language in args.vocabulary:
        compare(language, items, entries, args.watches, random.Random(args.seed), against)


if __name__ == "__main__":
    main()
