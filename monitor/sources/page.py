"""A page without a feed, read by CSS selectors (beautifulsoup4): each item link becomes
an entry; links in navigation, header and footer never do. Runs in the parse workers."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bs4 import BeautifulSoup, Tag

from monitor.models import Entry, PageRule, ParseResult
from monitor.months import month_number
from monitor.sources.decoding import declared_charset
from monitor.sources.documents import is_document_link
from monitor.sources.links import entry_link
from monitor.text import single_line

CHROME = ("nav", "header", "footer", "script", "style", "noscript", "template")


def soup_of(body: bytes, headers: dict[str, str]) -> BeautifulSoup:
    soup = BeautifulSoup(body, "html.parser", from_encoding=declared_charset(headers, body))
    for element in soup.find_all(CHROME):
        element.decompose()
    return soup


def parse_page(body: bytes, headers: dict[str, str], url: str, rule: PageRule) -> ParseResult:
    """Entries for the links the rule selects (first one wins for a repeated link)."""
    try:
        soup = soup_of(body, headers)
        found = [_entry(element, url, rule) for element in soup.select(rule.links)]
    except Exception as exc:  # a broken page is a recorded error, never a crash
        return ParseResult((), error=f"could not read the page ({type(exc).__name__}: {exc})")
    entries = {e.key: e for e in reversed([e for e in found if e is not None])}
    if not entries:
        return ParseResult((), error=f"the selector {rule.links!r} found no links on the "
                           "page; check it with `monitor test-page`")
    return ParseResult(tuple(reversed(entries.values())))


def _entry(element: Any, base: str, rule: PageRule) -> Entry | None:
    link = element if element.name == "a" else element.find("a", href=True)
    if not isinstance(link, Tag) or not link.get("href"):
        return None
    url = entry_link(base, str(link["href"]))
    if not url:
        return None
    box = element if element is not link else (link.parent or link)
    title = _text(box, rule.title) or single_line(link.get_text(" ")) or url
    docs = (url,) if is_document_link(url) else ()
    return Entry("link:" + url[:500], title, url, _date(_text(box, rule.date)),
                 single_line(box.get_text(" "))[:2000], documents=docs)


def _text(box: Any, selector: str | None) -> str:
    found = box.select_one(selector) if selector else None
    return single_line(found.get_text(" ")) if found is not None else ""


def _date(text: str) -> str | None:
    """ISO 8601 UTC midnight of 2024-12-06, 06.12.2024 or 6 декабря 2024 / 6 December 2024."""
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    parts = (int(m[1]), int(m[2]), int(m[3])) if m else None
    if parts is None and (m := re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    if parts is None and (m := re.search(r"(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{4})", text)):
        month = month_number(m[2].lower())
        parts = (int(m[3]), month, int(m[1])) if month else None
    try:
        return date(*parts).isoformat() + "T00:00:00Z" if parts else None
    except ValueError:
        return None
