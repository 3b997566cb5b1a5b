"""What a feed says its encoding is, and a feed that says UTF-8 but has bytes that are not.

Such a feed (one stray byte in a Russian feed is enough) is read as UTF-8 with each bad
byte a U+FFFD and a warning: feedparser, given it as it is, reads the whole document in a
legacy 8-bit charset instead (``iso-8859-2``), and every Cyrillic letter comes out as two
Latin ones, so no watch can match it. A feed that declares no encoding keeps feedparser's
guess, and one that declares another encoding is read in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitor.models import Entry
from monitor.sources.decoding import header_charset

UTF8 = frozenset({"utf-8", "utf8"})
NOT_UTF8 = ("the feed declares UTF-8 but has bytes that are not UTF-8; they read as "
            "\N{REPLACEMENT CHARACTER} (ask the publisher to fix the feed's encoding)")
_DECLARED = re.compile(rb"<\?xml[^>]*encoding=[\"']([\w-]+)[\"']", re.IGNORECASE)


def declared(body: bytes, headers: dict[str, str]) -> set[str]:
    """The encodings the XML declaration and the HTTP charset name, lowercased."""
    xml = _DECLARED.search(body[:4096])
    http = header_charset(headers)
    return {*([xml.group(1).decode().lower()] if xml else []),
            *([http.lower()] if http else [])}


def is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def as_declared(body: bytes, headers: dict[str, str]) -> tuple[bytes, str]:
    """The body for feedparser, and a warning: a feed that declares UTF-8 and nothing
    else, but is not, with each byte that is not a U+FFFD."""
    names = declared(body, headers)
    if not names or names - UTF8 or is_utf8(body):
        return body, ""
    return body.decode("utf-8", "replace").encode(), NOT_UTF8


def replaced(body: bytes, entries: Iterable[Entry]) -> str:
    """The warning for entries the fast parser read from a feed with bytes that are not
    UTF-8 (it reads each as a U+FFFD); "" when there were none."""
    if not any("\ufffd" in e.text or "\ufffd" in e.title for e in entries) or is_utf8(body):
        return ""
    return NOT_UTF8
