"""Plain text shared by every stage: invisible and control characters removed, one line,
visible text of HTML. Feeds, alerts and the command line show text cleaned this way, and
the matcher reads it.
"""

from __future__ import annotations

import html
import re
import unicodedata
import warnings
from collections.abc import Sequence
from typing import Any

_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # a character-class range
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_CONTROL_RE = re.compile(f"[{_CONTROL_CHARS}]")
_ODD_RE = re.compile(f"[{_INVISIBLE_CHARS}{_CONTROL_CHARS}]")  # either kind


def clean_text(text: str) -> str:
    """Remove invisible and control characters; keep everything else as written (NFC).
    What it returns it returns as it is: the matcher relies on that for a poll's entries."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # the usual case, nothing to do: a printable text (no control or invisible character
    # is) needs no search, else one scan for them (isprintable is 2x faster than it)
    if text.isprintable() or _ODD_RE.search(text) is None:
        return text
    text = _CONTROL_RE.sub(" ", text.translate(_INVISIBLE))
    # a removed character may have stood between a letter and its mark ("a\u200b\u0301")
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def single_line(text: str) -> str:
    """One line: runs of whitespace (``str.isspace``, as the regex ``\\s`` has it) made one
    space, ends stripped, and ``clean_text``'s. A printable text's only whitespace is the
    ASCII space (every other one is a separator or a control character), so only its runs
    of spaces are squeezed (``_squeezed``, 4.4 us on 1,300 characters with runs; a split
    and join 12.5 us, a regex substitution 5.2), and a printable NFC line is what
    ``clean_text`` returns as it is. Any other line is joined first, then cleaned (a line
    it leaves as it is needs no second split). The whitespace news text has besides the
    space (no-break spaces, line breaks, tabs) is made spaces first, so a text printable
    but for them takes the fast path: a quarter of bench.poll's texts have a no-break space
    ("2021 г."), and split and join took 25 us of 1,300 characters."""
    printable = text.isprintable()
    if not printable:
        for space in _USUAL_SPACES:
            text = text.replace(space, " ")
        printable = text.isprintable()
    if printable:
        line = (_squeezed(text) if "  " in text else text).strip(" ")
        if line.isascii() or unicodedata.is_normalized("NFC", line):
            return line
    else:
        line = " ".join(text.split())
    cleaned = clean_text(line)
    return line if cleaned == line else " ".join(cleaned.split())


_USUAL_SPACES = ("\xa0", "\n", "\r", "\t")


def _squeezed(text: str) -> str:
    """Each run of spaces made one space: the text between the runs, found with ``find``
    (in a text with Cyrillic letters ``replace`` counts the runs first and then copies,
    4.8 us for 1,300 characters; so, 2-3 us)."""
    parts, start, at = [], 0, text.find("  ")
    while at >= 0:
        parts.append(text[start:at + 1])
        start = at + 2
        while start < len(text) and text[start] == " ":
            start += 1
        at = text.find("  ", start)
    parts.append(text[start:])
    return "".join(parts)


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


def sources(feeds: Sequence[Any]) -> str:
    """``17 feeds and 2 pages`` (pages are the sources with a ``page`` rule)."""
    pages = sum(1 for f in feeds if getattr(f, "page", None))
    text = plural(len(feeds) - pages, "feed")
    return f"{text} and {plural(pages, 'page')}" if pages else text


def plural(count: int, noun: str) -> str:
    """``1 watch``, ``2 watches``, ``0 deliveries``: English count and noun."""
    if count == 1:
        return f"1 {noun}"
    if noun.endswith(("ch", "sh", "s", "x")):
        return f"{count} {noun}es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"
