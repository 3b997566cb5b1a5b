"""Word forms: the keys under which a word is indexed and a rule term is looked up.

A document word gets its exact key (``x:``) and stem keys chosen by script and letters:
Russian Snowball (``r:``) and the Belarusian stemmer (``b:``) for Cyrillic words
(only one of them when the word has letters of one language only: и, щ, ъ, э-less
Russian; і, ў Belarusian), the inflectional English stemmer (``e:``) for Latin ones.
A rule term matches a word when their keys meet; ``=word`` uses the exact key only.
Keys are cached per distinct word, so the stemmers run once per vocabulary word.
"""

from __future__ import annotations

import re

import Stemmer

from monitor.match import belarusian, english
from monitor.match.text import normalise_word

_RUSSIAN_ONLY = re.compile(r"[ищъ]")
_BELARUSIAN_ONLY = re.compile(r"[іў]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_CACHE_LIMIT = 500_000


class WordForms:
    """Word -> keys, with a bounded cache (one per matcher, not thread-shared)."""

    def __init__(self) -> None:
        self._russian = Stemmer.Stemmer("russian")
        self._cache: dict[str, tuple[str, tuple[str, ...]]] = {}

    def analyse(self, raw: str) -> tuple[str, tuple[str, ...]]:
        """(normalised word, its keys) for a word as it appears in a text."""
        found = self._cache.get(raw)
        if found is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            norm = normalise_word(raw)
            found = self._cache[raw] = (norm, ("x:" + norm, *self.stem_keys(norm)))
        return found

    def stem_keys(self, norm: str) -> tuple[str, ...]:
        if _CYRILLIC.search(norm):
            keys = []
            if not _BELARUSIAN_ONLY.search(norm):
                keys.append("r:" + self._russian.stemWord(norm))
            if not _RUSSIAN_ONLY.search(norm):
                keys.append("b:" + belarusian.stem(norm))
            return tuple(keys)
        if _LATIN.search(norm):
            return ("e:" + english.stem(norm),)
        return ()

    def term_keys(self, norm: str) -> frozenset[str]:
        """Keys of a rule term in its dictionary form, with its zero-ending plural."""
        keys = set(self.stem_keys(norm)) or {"x:" + norm}
        if _CYRILLIC.search(norm) and norm[-1] in "аяое" and len(norm) > 4:
            keys.update(self.stem_keys(norm[:-1]))  # программа -> программ, праграм
        return frozenset(keys)
