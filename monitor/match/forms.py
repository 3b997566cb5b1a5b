"""Word forms: the keys under which a word is indexed and a rule term is looked up.

A document word gets its exact key (``x:``) and word-form keys chosen by script and
letters: Russian lemmas (``r:``, pymorphy3's dictionary analyser; or the Snowball
stemmer, chosen by measurement in ``bench/accuracy.py``) and the Belarusian stemmer
(``b:``) for Cyrillic words. A word spelt as only one language spells (и, щ, ъ, те, ть,
ре… Russian; і, ў Belarusian) gets that language's keys; any other word those of its
text's language, by the same test, and both when the text has neither or both kinds
("Саюзныя праграмы зацверджаныя" has no і or ў and is Belarusian). Latin words get the
inflectional English stemmer's (``e:``). A rule term matches a word when their keys meet;
``=word`` uses the exact key only. Keys are cached per distinct word, so the analysers run
once per vocabulary word.
"""

from __future__ import annotations

import re
from typing import Any

from monitor.match import belarusian, english
from monitor.match.text import CYRILLIC_RE, has_cyrillic, normalise_word
from monitor.morph import analyser

# Russian-only: и, щ, ъ, and a soft т, д, р or a soft-written ч, ш, ж (те, ть, ре, че, же),
# which Belarusian spells це, ць, рэ, чэ, жэ: 11 of 17,029 Cyrillic tokens of the Belarusian
# treebank (quoted Russian words) have one; 20 of 5,198 Russian news titles have none
_RUSSIAN_ONLY = re.compile(r"[ищъ]|[тдрчшж][еёюяь]")
_BELARUSIAN_ONLY = re.compile(r"[іўІЎ]")
# the same test on text as written (lowercasing a long text first cost more than the test)
_RUSSIAN_ONLY_ANY_CASE = re.compile(r"[ищъИЩЪ]|[тдрчшжТДРЧШЖ][еёюяьЕЁЮЯЬ]")
_LATIN = re.compile(r"[a-z]")


class WordForms:
    """Word -> keys. Not cached here: the matcher's vocabulary caches what it needs.

    Russian lemmas come from a table of every form of every Russian rule term, built when
    the terms are compiled (pymorphy3 paradigms): a text word then costs one look-up, and
    gets exactly the lemmas pymorphy3 would give it, among those any rule uses.
    """

    def __init__(self, russian: str = "lemmas") -> None:
        self._lexicon = RussianLexicon() if russian == "lemmas" else None
        self._snowball = _snowball() if self._lexicon is None else None

    def analyse(self, raw: str, lang: str = "ru+be") -> tuple[str, tuple[str, ...]]:
        """(normalised word, its keys) for a word of a text in ``lang`` ("ru", "be" or
        "ru+be": see ``text_language``): every reading its letters and its text allow."""
        norm = normalise_word(raw)
        return norm, ("x:" + norm, *self.stem_keys(norm, lang))

    def stem_keys(self, norm: str, lang: str = "ru+be") -> tuple[str, ...]:
        if CYRILLIC_RE.search(norm):
            if _BELARUSIAN_ONLY.search(norm) or (lang == "be" and
                                                 not _RUSSIAN_ONLY.search(norm)):
                return ("b:" + belarusian.stem(norm),)
            russian = self._russian_keys(norm)
            if _RUSSIAN_ONLY.search(norm) or lang == "ru":
                return russian
            return (*russian, "b:" + belarusian.stem(norm))
        if _LATIN.search(norm):
            full, noun = english.text_stems(norm)
            return ("e:" + full,) if full == noun else ("e:" + full, "e:" + noun)
        return ()

    def _russian_keys(self, norm: str) -> tuple[str, ...]:
        if self._lexicon is not None:
            return tuple("r:" + lemma for lemma in self._lexicon.lemmas(norm))
        return ("r:" + self._stem(norm),)

    def _stem(self, norm: str) -> str:
        assert self._snowball is not None
        return str(self._snowball.stemWord(norm))

    def forms_of(self) -> dict[str, list[str]]:
        """Russian lemma -> every form the lexicon knows of it ({} with Snowball stems)."""
        return self._lexicon.forms_of() if self._lexicon is not None else {}

    def term_keys(self, norm: str) -> frozenset[str]:
        """Keys of a rule term as an editor writes it (a dictionary form, usually)."""
        keys: set[str] = set()
        if CYRILLIC_RE.search(norm):
            if not _BELARUSIAN_ONLY.search(norm):
                keys.update("r:" + form for form in self._russian_term(norm))
            if not _RUSSIAN_ONLY.search(norm):
                keys.update("b:" + s for s in belarusian.term_stems(norm))
        elif _LATIN.search(norm):
            keys.add("e:" + english.term_stem(norm))
        return frozenset(keys) or frozenset({"x:" + norm})

    def _russian_term(self, norm: str) -> tuple[str, ...]:
        if self._lexicon is not None:
            return self._lexicon.learn(norm)
        stem = self._stem(norm)
        if norm[-1] in "аяое" and len(norm) > 4:  # программа -> программ (gen. pl.)
            return stem, self._stem(norm[:-1])
        return (stem,)


class RussianLexicon:
    """Form -> lemmas, for the lemmas of the rule terms seen so far (pymorphy3)."""

    def __init__(self) -> None:
        self._analyser = analyser()
        self._forms: dict[str, set[str]] = {}

    def lemmas(self, form: str) -> tuple[str, ...]:
        found = self._forms.get(form)
        return tuple(sorted(found)) if found else ()

    def forms_of(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for form, lemmas in self._forms.items():
            for lemma in lemmas:
                out.setdefault(lemma, []).append(form)
        return out

    def learn(self, term: str) -> tuple[str, ...]:
        """The term's lemmas, with every form of each added to the table. A term that
        is itself a dictionary form keeps only that reading ("выборы", not "выбор")."""
        parses = self._analyser.parse(term)
        chosen = [p for p in parses if normalise_word(p.normal_form) == term] or parses
        lemmas = set()
        for parse in chosen:
            # a superlative is its own word here: "высший" (supreme) is not "высокий" (high)
            degree = next((g for g in ("Supr", "COMP") if g in parse.tag), None)
            lemma = term if degree else normalise_word(parse.normal_form)
            lemmas.add(lemma)
            for form in parse.lexeme:
                same = degree in form.tag if degree else (
                    normalise_word(form.normal_form) == lemma)
                if same:
                    self._forms.setdefault(normalise_word(form.word), set()).add(lemma)
            self._forms.setdefault(term, set()).add(lemma)
        return tuple(sorted(lemmas))


def _snowball() -> Any:
    import Stemmer  # only for the Snowball variant (bench/accuracy.py compares it)

    return Stemmer.Stemmer("russian")


def text_language(text: str, cyrillic: bool | None = None) -> str:
    """"ru" when the text has Russian-only spellings (и, щ, ъ, те, ть…) and no
    Belarusian-only letters (і, ў), "be" the other way round, "ru+be" when it has neither
    or both. ``cyrillic``: whether it has a Cyrillic letter, when that is known."""
    if not (has_cyrillic(text) if cyrillic is None else cyrillic):
        return "ru+be"  # most English texts: one scan, no lower()
    russian = bool(_RUSSIAN_ONLY_ANY_CASE.search(text))
    # four searches for a letter: 8x faster than the class over a text that has none
    belarusian = any(letter in text for letter in "іўІЎ")
    return "ru" if russian and not belarusian else "be" if belarusian and not russian \
        else "ru+be"
