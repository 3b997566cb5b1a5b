"""The words an entry's language has been seen with, each analysed once: which used keys it
carries and which watches are anchored on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the matcher needs to know about one vocabulary word (cached per word)."""

    keys: tuple[str, ...]  # only keys some watch uses, incl. "p:" for matching prefixes
    watches: frozenset[int]  # watches anchored on this word


NO_WATCHES: frozenset[int] = frozenset()
USELESS = WordInfo((), NO_WATCHES)  # shared by every word that carries no used key


class Vocabulary:
    """Every word seen so far -> WordInfo; and the set of words that carry a used key."""

    def __init__(self, analyse: Callable[[str], WordInfo], limit: int = 500_000) -> None:
        self.analyse = analyse
        self.limit = limit
        self.known: dict[str, WordInfo] = {}
        self.known_words: set[str] = set()
        self.useful_words: set[str] = set()

    def info(self, raw: str) -> WordInfo:
        found = self.known.get(raw)
        return found if found is not None else self._learn(raw)

    def useful(self, words: set[str]) -> set[str]:
        """The given words that carry a used key (new words analysed once)."""
        if not words.issubset(self.known_words):
            for raw in words - self.known_words:
                self._learn(raw)
        return words.intersection(self.useful_words)

    def _learn(self, raw: str) -> WordInfo:
        if len(self.known) >= self.limit:
            self.known.clear()
            self.known_words.clear()
            self.useful_words.clear()
        info = self.known[raw] = self.analyse(raw)
        self.known_words.add(raw)
        if info.keys:
            self.useful_words.add(raw)
        return info
