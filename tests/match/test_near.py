"""NEAR/n counts only the words between two matches (``evaluate._close`` reads the gap,
not every word of the field): the same answer as numbering every word, for every pair of
spans of whole words (one word or a phrase, either order, overlapping or not) in texts
full of odd separators and in the shared corpus."""

from __future__ import annotations

import random
from bisect import bisect_right

from monitor.match.engine import Doc, Occ
from monitor.match.evaluate import _close
from monitor.match.query import Near, Terms, Word
from monitor.match.text import WORD_RE
from tests.match.test_gate import needs_corpus, texts

PIECES = ["a", "bb", "ёж", "ў", "7", "_", " ", "  ", "-", "—", ".", ", ", "\n", "«", "»",
          "'", "\u00a0", "\u0301", "x_y", "Ⅻ", "²"]


def by_numbers(text: str, a: Occ, b: Occ, distance: int, ordered: bool) -> bool:
    """The definition: every word of the text numbered, and the words between counted."""
    starts = [m.start() for m in WORD_RE.finditer(text)]

    def number(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    a_first, a_last, b_first, b_last = (number(a[1]), number(a[2] - 1), number(b[1]),
                                        number(b[2] - 1))
    if b_first > a_last:
        return b_first - a_last - 1 <= distance
    return not ordered and a_first > b_last and a_first - b_last - 1 <= distance


def check(text: str, rng: random.Random, pairs: int) -> None:
    words = [m.span() for m in WORD_RE.finditer(text)]
    if not words:
        return
    doc = Doc({}, "", text, clean=False)
    leaf = Terms((Word("x"),), ("text",), "x")
    for _ in range(pairs):
        spans = []
        for _side in range(2):
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.choice((0, 0, 1, 2)))  # a phrase
            spans.append(("text", words[first][0], words[last][1]))
        for distance in (0, 1, 2, 3, 5, 10):
            for ordered in (False, True):
                node = Near(leaf, leaf, distance, ordered)
                assert _close(*spans, node, doc) == by_numbers(text, *spans, distance,
                                                               ordered), (text, spans)


def test_near_counts_the_words_between_as_numbering_every_word_does() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        check("".join(rng.choices(PIECES, k=rng.randint(1, 40))), rng, 4)


@needs_corpus
def test_near_on_the_corpus_counts_as_numbering_every_word_does() -> None:
    rng = random.Random(12)
    for title, text in texts()[:1500]:
        check(f"{title}\n{text}", rng, 6)
