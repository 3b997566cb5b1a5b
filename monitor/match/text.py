"""Plain text, word tokens and sentences: the shared ground of every matcher.

Normalisation is the same for rule terms and for documents, so they always agree:
Unicode casefold, ``ё`` = ``е``, Latin look-alikes inside Cyrillic words folded, soft
hyphens and zero-width characters removed; words are runs of letters and digits
(hyphens, quotes and punctuation split words).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from monitor.text import clean_text, single_line

WORD_RE = re.compile(r"[^\W_]+")
# A sentence end: ``[.!?…]+["'»”)]*\s+`` or a blank line ``\n\s*\n``. Written as one
# leading character class and the rest of each branch (the branches start with different
# characters, so the matches are the same), because a pattern that starts with a class
# lets the regex engine skip ahead to the next candidate character in C: finding a
# text's ends took 21 us per 1,200 characters written as the two branches, 8 us so.
_SENTENCE_END_RE = re.compile(r"[.!?…\n](?:(?<=\n)\s*\n|(?<!\n)[.!?…]*[\"'»”)]*\s+)")


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


# a Cyrillic letter: where normalise_word folds look-alikes (the gate and the language test
# ask the same of a whole text)
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")


_FIRST = 64  # the characters the character class reads first


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` has a Cyrillic letter (U+0400-U+04FF; an entry's language test
    and its gate ask this of the same text, once). A Russian text shows one in its first
    words. An English one has none but is seldom ASCII (’ and —), and the character class
    reads it all at 1.3 ns a character; its UTF-16 bytes are searched for a Cyrillic
    letter's high byte (0x04, at an odd offset) at a third of that."""
    if text.isascii():
        return False
    if CYRILLIC_RE.search(text, 0, _FIRST) is not None:
        return True
    data = text.encode("utf-16-le", "surrogatepass")
    at = data.find(4, 2 * _FIRST + 1)  # (the first characters' high bytes are asked)
    while at >= 0 and not at & 1:  # the low byte of another character (Ą, U+2004)
        at = data.find(4, at + 1)
    return at >= 0


# Latin letters that look Cyrillic, as typed inside Cyrillic words ("медыцынскiх")
_LATIN_LOOKALIKE_RE = re.compile("[aeopcxyik]")
HOMOGLYPH_PAIRS = (("a", "а"), ("e", "е"), ("o", "о"), ("p", "р"), ("c", "с"), ("x", "х"),
                   ("y", "у"), ("i", "і"), ("k", "к"))
_HOMOGLYPHS = str.maketrans(dict(HOMOGLYPH_PAIRS))


def normalise_word(word: str) -> str:
    """Casefold, ``ё`` = ``е``; in Cyrillic words Latin look-alikes become Cyrillic and a
    leading Belarusian ``ў`` becomes ``у`` (ўлада = улада)."""
    word = word.casefold().replace("ё", "е")
    if CYRILLIC_RE.search(word):
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


class Sentences:
    """Where the sentence ends of a text are (found once), and the sentence around a span.

    The ends are the matches of the sentence-end pattern over the text from its start,
    found as far as a span needs (most snippets are in the first sentences); a sentence
    starts after the last end before the span (within ``2 * limit`` characters) and stops
    at the first end after it, trimmed to about ``limit`` characters around the span."""

    def __init__(self, text: str, limit: int = 320) -> None:
        self.text = text
        self.limit = limit
        self._ends = _SENTENCE_END_RE.finditer(text)
        self.starts: list[int] = []
        self.ends: list[int] = []

    def _find_past(self, end: int) -> None:
        """The ends up to the first that starts at or after ``end`` (or the text's end)."""
        while not self.starts or self.starts[-1] < end:
            found = next(self._ends, None)
            if found is None:
                return
            self.starts.append(found.start())
            self.ends.append(found.end())

    def around(self, start: int, end: int) -> str:
        """The sentence holding text[start:end] (a span of whole words)."""
        self._find_past(end)
        text, window = self.text, max(0, start - 2 * self.limit)
        before = bisect_right(self.ends, start) - 1
        left = self.ends[before] if before >= 0 and self.starts[before] >= window else window
        after = bisect_left(self.starts, end)
        right = self.starts[after] + 1 if after < len(self.starts) else len(text)
        left, right = _trim(left, right, start, end, self.limit)
        snippet = single_line(text[left:right])
        return ("… " if left > 0 and not _starts_sentence(text, left) else "") + snippet


# words after which a full stop does not end a sentence: initials and abbreviations
_ABBREVIATIONS = frozenset(
    "г гг т е ст ул им тыс млн млрд руб долл св др пр см рис стр n no mr mrs ms dr st vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co jr sr gen col lt sgt "
    "янв фев февр мар апр июн июл авг сен сент окт нояб дек".split())


def sentence_numbers(text: str) -> list[int]:
    """For each word of ``text`` (``WORD_RE`` order), the number of its sentence. A
    sentence ends at . ! ? … followed by a space and a capital letter (not after an
    initial or a common abbreviation: "В. Путин", "26 февр. 2026 г."), at a blank line, or
    at a semicolon (the items of a news bulletin: "…; пресс-конференция состоится…")."""
    numbers: list[int] = []
    sentence, last_end, last_word = 0, 0, ""
    for m in WORD_RE.finditer(text):
        gap = text[last_end:m.start()]
        if numbers and _ends_sentence(gap, last_word, m.group()):
            sentence += 1
        numbers.append(sentence)
        last_end, last_word = m.end(), m.group()
    return numbers


def _ends_sentence(gap: str, before: str, after: str) -> bool:
    if ";" in gap or re.search(r"\n\s*\n", gap):
        return True
    if not _SENTENCE_END_RE.search(gap) or not after[:1].isupper():
        return False
    initial = len(before) == 1 and before.isalpha() and before.isupper()
    return "." not in gap or not (initial or before.casefold() in _ABBREVIATIONS)


def _trim(left: int, right: int, start: int, end: int, limit: int) -> tuple[int, int]:
    if right - left <= limit:
        return left, right
    half = max((limit - (end - start)) // 2, 0)
    new_left = max(left, start - half)
    return new_left, min(right, new_left + limit)


def _starts_sentence(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1].isspace():  # not text[:pos].rstrip(): a copy per hit
        pos -= 1
    return pos == 0 or text[pos - 1] in ".!?…\"'»”)\n"
