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
    """Remove invisible and control characters; keep everything else as written."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ODD_RE.search(text) is None:  # the usual case: one scan, nothing to do
        return text
    return _CONTROL_RE.sub(" ", text.translate(_INVISIBLE))


def single_line(text: str) -> str:
    """One line: runs of whitespace (``str.isspace``, as the regex ``\\s`` has it) made one
    space, ends stripped, and ``clean_text``'s. Split and join is 4x a regex substitution;
    a line that is printable (no control or invisible character is) and NFC needs no
    cleaning, a test 1.5x faster than ``clean_text``'s search for odd characters."""
    line = " ".join(text.split())
    if line.isprintable() and (line.isascii() or unicodedata.is_normalized("NFC", line)):
        return line
    return " ".join(clean_text(line).split())


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
