"""A snippet's sentence, with the sentence ends found only as far as a span needs, is the
one found with every end of the text known, whatever order the spans come in."""

from __future__ import annotations

import random
import re
from bisect import bisect_left, bisect_right

import pytest

from monitor.match.text import _SENTENCE_END_RE, WORD_RE, Sentences, _starts_sentence, _trim
from monitor.text import single_line
from tests.match.test_gate import needs_corpus, texts


def whole_scan(text: str, start: int, end: int, limit: int = 320) -> str:
    """The snippet as computed from every sentence end of the text (the definition)."""
    found = [(m.start(), m.end()) for m in _SENTENCE_END_RE.finditer(text)]
    starts, ends = [a for a, _ in found], [b for _, b in found]
    window = max(0, start - 2 * limit)
    before = bisect_right(ends, start) - 1
    left = ends[before] if before >= 0 and starts[before] >= window else window
    after = bisect_left(starts, end)
    right = starts[after] + 1 if after < len(starts) else len(text)
    left, right = _trim(left, right, start, end, limit)
    snippet = single_line(text[left:right])
    return ("… " if left > 0 and not _starts_sentence(text, left) else "") + snippet


def check(text: str, rng: random.Random) -> None:
    words = [m.span() for m in WORD_RE.finditer(text)]
    spans = rng.sample(words, min(len(words), 6))  # any order: later spans first too
    sentences = Sentences(text)
    for start, end in spans:
        assert sentences.around(start, end) == whole_scan(text, start, end), (text, start)


@pytest.mark.parametrize("text", [
    "One. Two! Three? Four… «Five.» Six\n\nSeven", "no end at all", "Ends here. ",
    "x" * 700 + ". " + "y " * 400 + "z.  Last word",
])
def test_sentences_found_lazily_are_the_whole_scans(text: str) -> None:
    check(text, random.Random(1))


@needs_corpus
def test_sentences_of_the_corpus_are_the_whole_scans() -> None:
    rng = random.Random(7)
    for _, text in texts()[:3000]:
        check(text, rng)


# the sentence end as first written: the engine's pattern is rewritten for speed
TWO_BRANCHES = re.compile(r"[.!?…]+[\"'»”)]*\s+|\n\s*\n")


def ends(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_the_fast_sentence_end_pattern_finds_the_same_ends() -> None:
    """Every string of sentence-end characters, spaces, line breaks and letters up to 12
    long (random, 30,000 of them), and the awkward ones written out."""
    rng = random.Random(3)
    alphabet = ".!?…\"'»”) \n\t\r\u2028ab"
    cases = ["", ".\n\n", "\n \n", "\n\n.", "a.\n \n b", "…» \n\n\n", "?!\r\n\r\nX"]
    cases += ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(30_000)]
    for text in cases:
        assert ends(_SENTENCE_END_RE, text) == ends(TWO_BRANCHES, text), repr(text)


@needs_corpus
def test_the_fast_sentence_end_pattern_finds_the_same_ends_in_the_corpus() -> None:
    for _, text in texts():
        assert ends(_SENTENCE_END_RE, text) == ends(TWO_BRANCHES, text)
