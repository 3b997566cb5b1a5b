"""Frozen dataclasses that move forward through the pipeline stages.

Dicts appear only at the edges (TOML, database rows, JSON payloads). The three values
that cross from the parse workers to the poller, in thousands a poll (``Entry``,
``Match``, ``ParseResult``), are named tuples instead: just as immutable, and unpickled
3.5x faster than frozen dataclasses (0.14 against 0.48 ms per feed of 50 entries; see
README, "Polling speed"); on the pipe itself they are plain tuples (``workers.wire``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

FetchStatus = Literal["ok", "not_modified", "error"]
PollStatus = Literal["ok", "not_modified", "error", "cancelled"]


def iso(moment: datetime) -> str:
    """How times are stored and shown: ISO 8601 in UTC, to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """The moment a stored ``iso`` string stands for (UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_time(text: str | None, zone: str = "UTC", missing: str = "") -> str:
    """A stored time as a reader wants it: ``2021-09-10 12:00 +03`` in ``zone`` (an IANA
    name); ``missing`` when there is none."""
    if not text:
        return missing
    moment = parse_iso(text).astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname()}"


def stable_id(prefix: str, *parts: str) -> str:
    """An id that is the same every time for the same parts (deliveries, digests)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
    return f"{prefix}_{digest}"


def hit_id(entry_id: int, watch: str) -> str:
    """A hit's id: its stored entry's row id in 8 hex digits, then a digest of the watch.
    The same for a hit however often it is found (a hit is its entry and its watch, and
    an entry with hits is never deleted, so its row id is never another's); and since new
    entries have the highest row ids, a batch of new hits lands at the end of the hits' id
    index instead of all over it (a purely hashed id made a cold poll of 5,000 feeds 12%
    slower: README, "Polling speed")."""
    return f"hit_{entry_id:08x}{_watch_digest(watch)}"


@lru_cache(maxsize=4096)
def _watch_digest(watch: str) -> str:
    """16 hex digits of the watch's name, computed once per watch (hashing the feed, the
    item and the watch for every hit was half the cost of making a cold poll's hit rows)."""
    return hashlib.sha256(watch.encode()).hexdigest()[:16]


class StoryMark(NamedTuple):
    """Which story a new entry tells, and its signature (for the entries to come)."""

    key: str
    story: str
    tense: str
    terms: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A document an entry carries, as fetched: evidence kept by its SHA-256."""

    entry_key: str
    url: str  # as linked
    final_url: str = ""
    kind: str = ""  # "pdf" | "docx" | "doc" | "rtf" | "odt" | "html" (an act page) | ""
    content_type: str = ""
    size: int = 0
    sha256: str = ""
    path: str = ""  # the archived copy
    text: str = ""
    error: str = ""  # why it could not be fetched or read ("" when fine)


@dataclass(frozen=True)
class PageRule:
    """How a page without a feed is read: CSS selectors of its item links, and of each
    link's title and date within the link's container."""

    links: str
    title: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str
    interval: float  # seconds
    fetch_timeout: float | None = None  # None: the [monitor] setting
    max_body_size: int | None = None
    full_text: bool = False  # fetch each new entry's article and match its text
    page: PageRule | None = None  # a page source ([[pages]]) instead of a feed
    first_poll: str | None = None  # None: the [monitor] setting


@dataclass(frozen=True)
class WatchConfig:
    name: str
    keywords: tuple[str, ...]
    feeds: tuple[str, ...] = ()  # empty: all feeds
    notify: tuple[str, ...] | None = None  # None: all notifiers
    query: str = ""  # the rule; empty: the keywords, as an OR of phrases
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    delivery: str | None = None  # "immediate" | "digest": overrides the notifiers' mode
    extract: str | None = None  # "date": keep one answer (the announced date) from the hits
    require: str | None = None  # "document": hit only entries that carry a document


@dataclass(frozen=True)
class FeedState:
    """What the database remembers about a feed between polls."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    ever_succeeded: bool = False
    body_hash: str | None = None  # sha256 of the last body parsed
    failing_since: str | None = None  # first failure of the current run of failures
    failing_alerted: bool = False  # the "source is failing" alert went out for this run


@dataclass(frozen=True)
class FetchResult:
    status: FetchStatus
    url: str
    http_status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    error: str = ""
    retry_after: float | None = None  # seconds the server asked us to wait (429/503)
    gone: bool = False  # HTTP 410: the feed was removed for good
    moved_to: str | None = None  # reached only through permanent redirects (301/308)


class Entry(NamedTuple):
    """One feed item, cleaned: plain single-line title, plain text, http(s) link only."""

    key: str
    title: str
    url: str
    published: str | None  # ISO 8601 UTC
    text: str  # summary and content as plain text
    author: str = ""
    documents: tuple[str, ...] = ()  # links to documents (PDF, DOCX, act pages) it carries
    doc_text: str = ""  # the text of its fetched documents (the ``doc:`` query field)

    def with_documents(self, links: tuple[str, ...], texts: Iterable[str]) -> Entry:
        """The entry carrying these documents, their texts (those read) its ``doc:`` text:
        the one way a poll, ``rematch`` and ``test-rule`` make it."""
        return self._replace(documents=links, doc_text="\n\n".join(t for t in texts if t))


class ParseResult(NamedTuple):
    entries: tuple[Entry, ...]
    error: str = ""  # non-empty: the document is unusable
    warning: str = ""  # non-empty: usable, but something was off


class Match(NamedTuple):
    """Why a watch matched an entry: the words as written, and where."""

    watch: str
    terms: tuple[str, ...]
    snippet: str


@dataclass(frozen=True)
class FeedUpdate:
    """The decision for one polled feed, ready for one transaction."""

    feed: str
    status: FetchStatus
    checked_at: str
    next_check_at: str
    error: str = ""
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    entries: tuple[Entry, ...] = ()
    alert: bool = True  # False: store hits of this update without sending them
    body_hash: str | None = None  # None: keep the stored one
    disabled: bool = False  # HTTP 410: stop polling until the URL changes
    event: str | None = None  # "source_failing" | "source_recovered": alert about the feed
    moved_to: str | None = None  # the feed answered through permanent redirects to this URL
    summarised: frozenset[str] = frozenset()  # entry keys alerted in the first-poll summary
    documents: tuple[Document, ...] = ()  # documents fetched for the new entries
    stories: tuple[StoryMark, ...] = ()  # the story of each new matched entry
    seconds: float | None = None  # how long the poll took, fetch to match


@dataclass(frozen=True)
class PollSummary:
    feed: str
    status: PollStatus
    new_entries: int = 0
    hits: int = 0
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Alert:
    """One pending delivery: a hit rendered for one notifier."""

    delivery_id: str
    hit_id: str
    notifier: str
    watch: str
    feed: str
    title: str
    url: str
    published: str | None
    matched_at: str
    matched_terms: tuple[str, ...]
    snippet: str
    author: str = ""
    created_at: str = ""  # when the delivery row was written (its age decides give-up)
    kind: str = "hit"  # "hit" | "source_failing" | "source_recovered" | "answer"
    details: str = ""  # for "answer": the change, as JSON (see monitor.answers)
    documents: str = "[]"  # the entry's documents, JSON: url, content_type, size, sha256
