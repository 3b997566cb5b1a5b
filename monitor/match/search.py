"""Dictionary forms of a text's words, for full-text search: SQLite's tokenizer does not
know that "госсовета" is "госсовет", so a column of these forms sits beside the text and a
search for the dictionary form finds every form."""

from __future__ import annotations

from functools import lru_cache

from monitor.match import belarusian, english
from monitor.match.forms import _BELARUSIAN_ONLY, _LATIN
from monitor.match.text import CYRILLIC_RE, WORD_RE, normalise_word
from monitor.morph import analyser


def search_forms(text: str) -> str:
    """The distinct dictionary forms (Russian lemma, Belarusian or English stem) of the
    words of ``text`` (already plain text), space-separated; cached per word."""
    return " ".join(dict.fromkeys(form for word in WORD_RE.findall(text)
                                  if (form := _form(word))))


@lru_cache(maxsize=100_000)
def _form(raw: str) -> str:
    word = normalise_word(raw)
    if CYRILLIC_RE.search(word):
        if _BELARUSIAN_ONLY.search(word):
            return belarusian.stem(word)
        return str(analyser().parse(word)[0].normal_form).replace("ё", "е")
    if _LATIN.search(word):
        return english.text_stems(word)[0]
    return word
