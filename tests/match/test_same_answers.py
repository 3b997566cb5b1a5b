"""The matcher gives the answers it gave before the gate and the offset-based explanations
(issue 17): the watch, the terms and the snippet of every match of 4,500 corpus entries
(a third of them with look-alike Latin letters and ё) against 300 watches per language,
kept as one digest per entry in ``tests/data/match_answers.tsv``, written by the engine
before those changes. A changed answer fails with the entry and what it gives now.

    python -m tests.match.test_same_answers   # rewrite the file (only for a wanted change)
"""

from __future__ import annotations

import hashlib
import json
import random
import sys

import pytest

from monitor.match import Matcher
from monitor.models import Entry, WatchConfig
from tests.helpers import CORPUS, DATA
from tests.match.test_gate import texts, watches

ANSWERS = DATA / "match_answers.tsv"
pytestmark = pytest.mark.skipif(not (CORPUS / "news").exists(),
                                reason="../shared/corpus is absent")


def sample() -> list[Entry]:
    rng = random.Random(3)
    pool = texts()
    out = [Entry(str(i), rng.choice(pool)[0], "", None, rng.choice(pool)[1][:1500])
           for i in range(3000)]
    return out + [Entry(f"v{i}", e.title.replace("о", "o"), "", None, e.text.replace("е", "ё"))
                  for i, e in enumerate(out[:1500])]


def rule_sets() -> dict[str, list[WatchConfig]]:
    """300 watches per language, from that language's corpus words."""
    rng = random.Random(2)
    out = {}
    for language, pick in (("en", str.isascii), ("ru", _russian), ("be", _belarusian)):
        words = sorted({w.lower() for t in texts() for w in t[1].split()
                        if len(w) >= 5 and w.isalpha() and pick(w)})
        out[language] = watches(rng.sample(words, 300))
    return out


def _russian(word: str) -> bool:
    return not word.isascii() and not set("іў") & set(word.lower())


def _belarusian(word: str) -> bool:
    return bool(set("іў") & set(word.lower()))


def answers() -> list[tuple[str, str, str]]:
    """(language, entry key, digest of its matches) for every entry and rule set."""
    entries = sample()
    out = []
    for language, configs in rule_sets().items():
        matcher = Matcher(configs)
        for e in entries:
            found = [[m.watch, list(m.terms), m.snippet] for m in matcher.match(e, "feed")]
            text = json.dumps(found, ensure_ascii=False)
            out.append((language, e.key, hashlib.sha256(text.encode()).hexdigest()[:16]))
    return out


def test_answers_are_the_same_as_before() -> None:
    kept = [line.split("\t") for line in ANSWERS.read_text().splitlines()
            if not line.startswith("#")]
    now = answers()
    assert len(now) == len(kept) == 13_500
    changed = [(a[0], a[1]) for a, b in zip(now, kept, strict=True) if list(a) != b]
    assert not changed, f"{len(changed)} answers changed, first: {changed[:5]}"


if __name__ == "__main__":
    rows = answers()
    ANSWERS.write_text("# language\tentry\tdigest of its matches (tests/match/"
                       "test_same_answers.py)\n" + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in rows))
    print(f"wrote {len(rows)} rows to {ANSWERS}", file=sys.stderr)
