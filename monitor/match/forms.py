"""Word forms: the keys under which a word is indexed and a rule term is looked up.

A document word gets its exact key (``x:``) and word-form keys chosen by script and
letters: Russian lemmas (``r:``, pymorphy3's dictionary analyser; or the Snowball
stemmer, chosen by measurement in ``bench/accuracy.py``) and the Belarusian stemmer
(``b:``) for Cyrillic words (only one of them when the word has letters of one language
only: и, щ, ъ Russian; і, ў Belarusian), the inflectional English stemmer (``e:``) for
Latin ones. A rule term matches a word when their keys meet; ``=word`` uses the exact key
only. Keys are cached per distinct word, so the analysers run once per vocabulary word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import Stemmer

from monitor.match import belarusian, english
from monitor.match.text import normalise_word

_RUSSIAN_ONLY = re.compile(r"[ищъ]")
_BELARUSIAN_ONLY = re.compile(r"[іўІЎ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")


class WordForms:
    """Word -> keys. Not cached here: the matcher's vocabulary caches what it needs."""

    def __init__(self, russian: str = "lemmas") -> None:
        self._russian = _lemmas() if russian == "lemmas" else _snowball()

    def analyse(self, raw: str, lang: str = "ru") -> tuple[str, tuple[str, ...]]:
        """(normalised word, its keys) for a word of a text in ``lang`` ("ru" or "be":
        the language of a Cyrillic text, see ``text_language``)."""
        norm = normalise_word(raw)
        return norm, ("x:" + norm, *self.stem_keys(norm, lang))

    def stem_keys(self, norm: str, lang: str) -> tuple[str, ...]:
        if _CYRILLIC.search(norm):
            if _BELARUSIAN_ONLY.search(norm) or (lang == "be" and not _RUSSIAN_ONLY.search(norm)):
                return ("b:" + belarusian.stem(norm),)
            return tuple("r:" + form for form in self._russian(norm, False))
        if _LATIN.search(norm):
            full, noun = english.stem(norm), english.noun_stem(norm)
            return ("e:" + full,) if full == noun else ("e:" + full, "e:" + noun)
        return ()

    def term_keys(self, norm: str) -> frozenset[str]:
        """Keys of a rule term as an editor writes it (a dictionary form, usually)."""
        keys: set[str] = set()
        if _CYRILLIC.search(norm):
            if not _BELARUSIAN_ONLY.search(norm):
                keys.update("r:" + form for form in self._russian(norm, True))
            if not _RUSSIAN_ONLY.search(norm):
                keys.update("b:" + s for s in belarusian.term_stems(norm))
        elif _LATIN.search(norm):
            keys.add("e:" + english.term_stem(norm))
        return frozenset(keys) or frozenset({"x:" + norm})


def text_language(text: str) -> str:
    """"be" when the text has Belarusian-only letters (і, ў), else "ru"."""
    return "be" if _BELARUSIAN_ONLY.search(text) else "ru"


RussianForms = Callable[[str, bool], tuple[str, ...]]


def _lemmas() -> RussianForms:
    """Every lemma pymorphy3 sees in a word; for a rule term, prefer the readings in
    which the term already is a dictionary form ("выборы" the elections, not "выбор")."""
    import pymorphy3

    analyser = pymorphy3.MorphAnalyzer()

    def forms(word: str, as_term: bool) -> tuple[str, ...]:
        parses = analyser.parse(word)
        lemmas = {normalise_word(p.normal_form) for p in parses}
        if as_term and word in lemmas:
            return (word,)
        return tuple(sorted(lemmas))

    return forms


def _snowball() -> RussianForms:
    stemmer = Stemmer.Stemmer("russian")

    def forms(word: str, as_term: bool) -> tuple[str, ...]:
        base = (stemmer.stemWord(word),)
        if as_term and word[-1] in "аяое" and len(word) > 4:
            return (*base, stemmer.stemWord(word[:-1]))
        return base

    return forms
