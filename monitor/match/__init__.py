"""The match stage: compiled watch rules applied to entries, with explanations.

``Matcher`` is built once per config load and is pure: it reads an entry and returns
one :class:`~monitor.models.Match` per watch that matched, saying which words matched
and in which sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.match.keywords import KeywordWatch, compile_keywords, make_document
from monitor.models import Entry, Match, WatchConfig


class Matcher:
    def __init__(self, watches: Iterable[WatchConfig]) -> None:
        self.watches: tuple[KeywordWatch, ...] = tuple(compile_keywords(w) for w in watches)

    def match(self, entry: Entry, feed: str) -> list[Match]:
        relevant = [w for w in self.watches if w.applies_to(feed)]
        if not relevant:
            return []
        doc = make_document(entry.title, entry.text)
        return [m for m in (w.match(doc) for w in relevant) if m is not None]


__all__ = ["Matcher"]
