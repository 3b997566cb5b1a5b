"""Plain text, word tokens and sentences: the shared ground of every matcher.

Normalisation is the same for rule terms and for documents, so they always agree:
Unicode casefold, ``ё`` = ``е``, Latin look-alikes inside Cyrillic words folded, soft
hyphens and zero-width characters removed; words are runs of letters and digits
(hyphens, quotes and punctuation split words).
"""

from __future__ import annotations

import html
import re
import unicodedata
import warnings
from dataclasses import dataclass

WORD_RE = re.compile(r"[^\W_]+")
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # a character-class range
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_CONTROL_RE = re.compile(f"[{_CONTROL_CHARS}]")
_ODD_RE = re.compile(f"[{_INVISIBLE_CHARS}{_CONTROL_CHARS}]")  # either kind
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'»”)]*\s+|\n\s*\n")


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


def clean_text(text: str) -> str:
    """Remove invisible and control characters; keep everything else as written."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ODD_RE.search(text) is None:  # the usual case: one scan, nothing to do
        return text
    return _CONTROL_RE.sub(" ", text.translate(_INVISIBLE))


def single_line(text: str) -> str:
    return _SPACE_RE.sub(" ", clean_text(text)).strip()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, entities decoded, block boundaries kept as spaces."""
    if "<" not in markup:
        return html.unescape(markup)
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning  # only where HTML is seen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text(" ")


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
