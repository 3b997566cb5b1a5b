"""Plain text, word tokens and sentences: the shared ground of every matcher.

Normalisation is the same for rule terms and for documents, so they always agree:
Unicode casefold, ``ё`` = ``е``, Latin look-alikes inside Cyrillic words folded, soft
hyphens and zero-width characters removed; words are runs of letters and digits
(hyphens, quotes and punctuation split words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.text import clean_text, single_line

WORD_RE = re.compile(r"[^\W_]+")
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'»”)]*\s+|\n\s*\n")


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
# Latin letters that look Cyrillic, as typed inside Cyrillic words ("медыцынскiх")
_LATIN_LOOKALIKE_RE = re.compile("[aeopcxyik]")
_HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х",
                             "y": "у", "i": "і", "k": "к"})


def normalise_word(word: str) -> str:
    """Casefold, ``ё`` = ``е``; in Cyrillic words Latin look-alikes become Cyrillic and a
    leading Belarusian ``ў`` becomes ``у`` (ўлада = улада)."""
    word = word.casefold().replace("ё", "е")
    if _CYRILLIC_RE.search(word):
        if _LATIN_LOOKALIKE_RE.search(word):
            word = word.translate(_HOMOGLYPHS)
        if word.startswith("ў"):
            word = "у" + word[1:]
    return word


def tokenize(text: str) -> list[Token]:
    return [Token(normalise_word(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def words(text: str) -> tuple[str, ...]:
    """The normalised words of a rule term or phrase."""
    return tuple(t.norm for t in tokenize(clean_text(text)))


def sentence_around(text: str, start: int, end: int, limit: int = 320) -> str:
    """The sentence holding text[start:end], trimmed to about ``limit`` characters."""
    window = max(0, start - 2 * limit)
    left = window
    for m in _SENTENCE_END_RE.finditer(text, window, start):
        left = m.end()
    right_match = _SENTENCE_END_RE.search(text, end)
    right = right_match.start() + 1 if right_match else len(text)
    left, right = _trim(left, right, start, end, limit)
    snippet = single_line(text[left:right])
    return ("… " if left > 0 and not _starts_sentence(text, left) else "") + snippet


def _trim(left: int, right: int, start: int, end: int, limit: int) -> tuple[int, int]:
    if right - left <= limit:
        return left, right
    half = max((limit - (end - start)) // 2, 0)
    new_left = max(left, start - half)
    return new_left, min(right, new_left + limit)


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?…\"'»”)\n"
