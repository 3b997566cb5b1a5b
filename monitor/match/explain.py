"""Explanations: the words of a match as written, and the sentences they stand in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.match.engine import Doc, Occ


def explain(occs: list[Occ], doc: Doc, most: int = 2) -> tuple[tuple[str, ...], str]:
    """The matched words as written (the title's first), and the (first ``most``)
    sentences they stand in (the text's first)."""
    spans = sorted({o for o in occs if o[0] != "feed"}, key=_title_first)
    raw = doc.raw
    terms = tuple(dict.fromkeys([raw[f][s:e] for f, s, e in spans]))
    sentences: dict[str, None] = {}
    for f, s, e in sorted(spans, key=_text_first) if len(spans) > 1 else spans:
        if len(sentences) >= most:
            break
        if f != "url":
            sentences[doc.sentence(f, s, e)] = None
    return terms, " … ".join(sentences)


def _title_first(span: Occ) -> tuple[bool, int, int]:
    return span[0] != "title", span[1], span[2]


def _text_first(span: Occ) -> tuple[bool, int, int]:
    return span[0] != "text", span[1], span[2]
