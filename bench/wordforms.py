"""Measure word-form matching against gold lemmas.

    python -m bench.wordforms

Belarusian: UD_Belarusian-HSE (../shared/corpus/belarusian): for content words, recall =
share of tokens whose stem equals the stem of their dictionary form (what an editor writes);
precision = share of tokens with that stem whose lemma really is that dictionary form.
Russian: the words of ../shared/corpus/news, against pymorphy3 lemmas as the reference
(pymorphy3 is a dictionary analyser; install it to run this part).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CONTENT = {"NOUN", "ADJ", "VERB", "PROPN", "ADV", "NUM"}


def fold(word: str) -> str:
    from monitor.match.text import normalise_word

    return normalise_word(word)


def gold_pairs(split: str) -> list[tuple[str, str]]:
    path = CORPUS / "belarusian" / f"ud_be_hse_{split}.jsonl"
    pairs = []
    for line in path.open(encoding="utf-8"):
        for form, lemma, upos in json.loads(line)["tokens"]:
            if upos in CONTENT and re.fullmatch(r"[^\W\d_]+", form):
                pairs.append((fold(form), fold(lemma)))
    return pairs


def score(pairs: Iterable[tuple[str, str]], stem: Callable[[str], str]) -> tuple[float, float]:
    pairs = list(pairs)
    recall = sum(stem(f) == stem(lemma) for f, lemma in pairs) / len(pairs)
    by_stem: dict[str, Counter[str]] = defaultdict(Counter)
    for form, lemma in pairs:
        by_stem[stem(form)][lemma] += 1
    # precision, token-weighted: a query for lemma L hits every token whose stem is stem(L)
    correct = total = 0
    for lemma in {lm for _, lm in pairs}:
        bucket = by_stem.get(stem(lemma), Counter())
        correct += bucket[lemma]
        total += sum(bucket.values())
    return recall, correct / max(total, 1)


def belarusian() -> None:
    import Stemmer

    from monitor.match.belarusian import stem as be_stem

    ru = Stemmer.Stemmer("russian").stemWord
    methods = {"exact form only": lambda w: w, "Snowball russian": ru,
               "monitor belarusian": be_stem}
    print("Belarusian (UD_Belarusian-HSE, content words)   recall  precision")
    for split in ("train", "dev"):
        pairs = gold_pairs(split)
        for name, fn in methods.items():
            r, p = score(pairs, fn)
            print(f"  {split:<5} {len(pairs):>6} tokens  {name:<20} {r:6.1%}  {p:8.1%}")


def main() -> None:
    if not (CORPUS / "belarusian").exists():
        sys.exit("../shared/corpus is absent")
    belarusian()


if __name__ == "__main__":
    main()
