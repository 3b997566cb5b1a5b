"""feedparser over bytes we fetched -> clean Entry values; one bozo policy.

Bozo policy: a document with entries is usable even if feedparser complained (the
complaint becomes a warning); a document without entries that feedparser could not
parse, or an HTML page, is an error that says what it was.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from collections import Counter
from collections.abc import Collection
from typing import Any

import feedparser

from monitor.models import Entry, ParseResult
from monitor.sources.bytescan import found_in
from monitor.sources.charset import as_declared, replaced
from monitor.sources.documents import is_document_link, may_hold_documents
from monitor.sources.entities import MARKS, entity_refusal
from monitor.sources.fastparse import FEEDPARSER_MARKS, eligible, parse_fast
from monitor.sources.links import advertised_feeds, entry_link
from monitor.text import html_to_text, single_line

MAX_TEXT = 100_000
_MARKS = MARKS + FEEDPARSER_MARKS
_HREF_RE = re.compile(r"href=[\"']([^\"']+)[\"']", re.IGNORECASE)


def parse_feed(body: bytes, headers: dict[str, str], url: str, fast: bool = True,
               skip: Collection[str] = frozenset()) -> ParseResult:
    """Parse one fetched document; never raises for a bad document. Plain UTF-8 RSS/Atom
    takes the fast parser (see ``fastparse``), everything else feedparser. The items whose
    keys are in ``skip`` (stored already) are left out before their text is cleaned."""
    seen = found_in(_MARKS)(body)  # the rare strings both first checks look for, at once
    headers = _lower(headers)
    refusal = entity_refusal(body, seen)
    if refusal:
        return ParseResult((), error=refusal)
    docs = may_hold_documents(body)  # else no item is looked at for documents
    raw = parse_fast(body) if fast and eligible(body, headers, seen) else None
    if raw is not None:
        entries = _entries(unseen(raw, url, skip), url, docs)
        return ParseResult(entries, warning=replaced(body, entries))
    body, repaired = as_declared(body, headers)
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except Exception as exc:  # feedparser itself failed: contain it
        return ParseResult((), error=f"the feed parser failed ({type(exc).__name__}: {exc})")
    kept = unseen(parsed.entries, url, skip)
    entries = _entries(kept, url, docs)
    if entries or len(kept) < len(parsed.entries) or (
            not parsed.bozo and (parsed.get("version") or parsed.get("feed"))):
        warning = repaired or (_bozo_text(parsed) if parsed.bozo else "")
        return ParseResult(entries, warning=warning)
    return ParseResult((), error=_not_a_feed(body, headers, url, parsed))


def _entries(raws: list[Any], url: str, docs: bool) -> tuple[Entry, ...]:
    return distinct_keys([e for e in (_entry(raw, url, docs) for raw in raws) if e])


def unseen(raws: list[Any], feed_url: str, skip: Collection[str]) -> list[Any]:
    """The items whose key is not in ``skip``. Only a key made of a guid or a link, and
    unique in this document, is known before the item's text is cleaned; an item keyed by
    its content, or sharing its key (see ``distinct_keys``), is always kept."""
    if not skip:
        return raws
    keys = [_early_key(raw, feed_url) for raw in raws]
    counts = Counter(keys)
    return [raw for raw, key in zip(raws, keys, strict=True)
            if not (key and counts[key] == 1 and key in skip)]


def _early_key(raw: Any, feed_url: str) -> str:
    """The item's key when its guid or link makes it (as ``entry_key``), else ""."""
    key = entry_key(raw.get("id", ""), entry_link(feed_url, raw.get("link", "") or ""), "", "")
    return "" if key.startswith("hash:") else key


def distinct_keys(entries: list[Entry]) -> tuple[Entry, ...]:
    """Entries that share a key within one document (every item linking to the home page,
    a reused guid) are told apart by their content, so none of them is lost."""
    counts = Counter(e.key for e in entries)
    return tuple(e if counts[e.key] == 1 else e._replace(key=f"{e.key}#{_content_hash(e)}")
                 for e in entries)


def _content_hash(e: Entry) -> str:
    return hashlib.sha256(f"{e.title}\n{e.text}".encode()).hexdigest()[:16]


def _lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _bozo_text(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return single_line(f"{type(exc).__name__}: {exc}") if exc else "the document is malformed"


def _not_a_feed(body: bytes, headers: dict[str, str], url: str, parsed: Any) -> str:
    """Why a document without entries is no feed (``headers`` lowercased)."""
    content_type = headers.get("content-type", "")
    head = body[:4096].lstrip().lower()
    if "html" in content_type or head.startswith((b"<!doctype html", b"<html")):
        link = next(iter(advertised_feeds(body, url)), "")
        hint = f"; the page advertises a feed at {link}: use that URL" if link else ""
        return f"not a feed: the server sent an HTML page{hint}"
    if not body.strip():
        return "not a feed: the server sent an empty body"
    return f"not a feed: the document could not be parsed ({_bozo_text(parsed)})"


def _entry(raw: Any, feed_url: str, docs: bool = True) -> Entry | None:
    title = single_line(html_to_text(raw.get("title", "")))[:1000]
    link = entry_link(feed_url, raw.get("link", "") or "")
    text = _entry_text(raw)[:MAX_TEXT]
    key = entry_key(raw.get("id", ""), link, title, text)
    if not (title or text or link):
        return None
    author = single_line(raw.get("author", ""))[:200]
    return Entry(key, title, link, _published(raw), text, author,
                 documents=_documents(raw, link, feed_url) if docs else ())


def _documents(raw: Any, link: str, feed_url: str) -> tuple[str, ...]:
    """The documents an item is (its link), attaches (enclosures) or links to (in its
    summary or content)."""
    found = [link] if link and may_hold_documents(link) and is_document_link(link) else []
    for enclosure in raw.get("enclosures", []) or []:
        href = entry_link(feed_url, enclosure.get("href", "") or "")
        if href and is_document_link(href, enclosure.get("type", "") or ""):
            found.append(href)
    html = " ".join([raw.get("summary", "") or ""] +
                    [c.get("value", "") or "" for c in raw.get("content", []) or []])
    for href in _HREF_RE.findall(html) if may_hold_documents(html) else ():
        url = entry_link(link or feed_url, href)
        if url and is_document_link(url):
            found.append(url)
    return tuple(dict.fromkeys(found))


def _entry_text(raw: Any) -> str:
    summary = raw.get("summary", "") or ""
    values = dict.fromkeys([summary, *((c.get("value", "") or "") for c in raw.get("content", []))])
    unique: list[str] = []  # (a content equal to the summary, as is common, is done once)
    for part in (single_line(html_to_text(v)) for v in values):
        if part and not any(part in seen for seen in unique):
            unique = [u for u in unique if u not in part] + [part]
    return "\n\n".join(unique)


def _published(raw: Any) -> str | None:
    if raw.get("published_iso"):  # the fast path's entries carry it ready
        return str(raw["published_iso"])
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    if not stamp:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(stamp)))
    except (OverflowError, ValueError):
        return None


def entry_key(guid: str, link: str, title: str, text: str) -> str:
    """Stable identity: the feed's guid, else the normalised link, else a content hash."""
    guid = single_line(guid or "")
    if guid:
        return "id:" + guid[:500]
    if link:
        return "link:" + link[:500]
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return "hash:" + digest
