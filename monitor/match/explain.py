"""Explanations: the words of a match as written, and the sentences they stand in."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from monitor.match.text import WORD_RE

if TYPE_CHECKING:
    from monitor.match.engine import Doc, Occ


def explain(occs: list[Occ], doc: Doc, most: int = 2) -> tuple[tuple[str, ...], str]:
    """The matched words as written, and the (first ``most``) sentences they stand in."""
    spans = _spans(occs, doc)
    terms = tuple(dict.fromkeys(doc.raw[f][s:e] for f, s, e in spans))
    sentences: dict[str, None] = {}
    for f, s, e in sorted(spans, key=lambda s: (s[0] != "text", s[1])):
        if f != "url" and len(sentences) < most:
            sentences[doc.sentence(f, s, e)] = None
    return terms, " … ".join(sentences)


def _spans(occs: list[Occ], doc: Doc) -> list[tuple[str, int, int]]:
    spans = set()
    for occ in occs:
        if occ.field != "feed":
            text, tokens = doc.raw[occ.field], doc.words(occ.field)
            spans.add((occ.field, token_span(text, tokens, occ.first)[0],
                       token_span(text, tokens, occ.last)[1]))
    return sorted(spans, key=lambda s: (s[0] != "title", s[1]))


def token_span(text: str, tokens: list[str], i: int) -> tuple[int, int]:
    """Where the i-th word of ``text`` (``tokens = WORD_RE.findall(text)``) stands: the
    (n+1)-th standalone occurrence of that word, n being its repeats before i. A word is a
    maximal run of ``isalnum`` characters, exactly what WORD_RE finds."""
    word, skip, pos = tokens[i], tokens[:i].count(tokens[i]), -1
    while (pos := text.find(word, pos + 1)) >= 0:
        end = pos + len(word)
        if not ((pos and text[pos - 1].isalnum()) or (end < len(text) and text[end].isalnum())):
            if not skip:
                return pos, end
            skip -= 1
    match = next(islice(WORD_RE.finditer(text), i, None))  # not reached; kept as a guard
    return match.span()
