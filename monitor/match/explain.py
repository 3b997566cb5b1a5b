"""Explanations: the words of a match as written, and the sentences they stand in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.match.engine import Doc, Occ


def explain(occs: list[Occ], doc: Doc, most: int = 2) -> tuple[tuple[str, ...], str]:
    """The matched words as written, and the (first ``most``) sentences they stand in."""
    spans = _spans(occs, doc)
    terms = tuple(dict.fromkeys(doc.raw[f][s:e] for f, s, e in spans))
    sentences: dict[str, None] = {}
    for f, s, e in sorted(spans, key=lambda s: (s[0] != "text", s[1], s[2])):
        if f != "url" and len(sentences) < most:
            sentences[doc.sentence(f, s, e)] = None
    return terms, " … ".join(sentences)


def _spans(occs: list[Occ], doc: Doc) -> list[tuple[str, int, int]]:
    spans = {o for o in occs if o[0] != "feed"}
    return sorted(spans, key=lambda s: (s[0] != "title", s[1], s[2]))
