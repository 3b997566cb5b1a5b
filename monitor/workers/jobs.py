"""What a worker process runs: its set-up (memory limit, watches compiled, an end with the
poller) and its jobs (parse a document, match entries). Imported by the poller only to
name the functions it sends; the parsers and the matcher load in the worker."""

from __future__ import annotations

import os
import resource
import select
import threading
from typing import TYPE_CHECKING

from monitor.models import Entry, PageRule, ParseResult, WatchConfig
from monitor.workers.wire import Matches, WireMatches, WireParse, pack_matches, pack_parse

if TYPE_CHECKING:
    from monitor.match import Matcher


def parse_in_worker(body: bytes, headers: dict[str, str], url: str,
                    match_as: str | None = None, page: PageRule | None = None,
                    skip: frozenset[str] = frozenset()) -> tuple[ParseResult, Matches | None]:
    """Parse (a feed without its items keyed in ``skip``, or a page by its selectors);
    with ``match_as`` (the entries are new, or nearly all) match them in the same job."""
    from monitor.sources.parse import parse_feed  # preloaded in the workers; the poller needn't

    parsed = (_parse_page(body, headers, url, page) if page
              else parse_feed(body, headers, url, skip=skip))
    if match_as is None or not _watches or parsed.error:
        return parsed, None
    return parsed, match_entries(parsed.entries, match_as)


def parse_job(body: bytes, headers: dict[str, str], url: str, match_as: str | None,
              page: PageRule | None, skip: frozenset[str]
              ) -> tuple[WireParse, WireMatches | None]:
    """``parse_in_worker``, its answer packed for the pipe (``wire``)."""
    parsed, matches = parse_in_worker(body, headers, url, match_as, page, skip)
    return pack_parse(parsed), None if matches is None else pack_matches(matches)


def match_job(entries: tuple[Entry, ...], feed: str) -> WireMatches:
    """``match_entries``, its answer packed for the pipe."""
    return pack_matches(match_entries(entries, feed))


def _parse_page(body: bytes, headers: dict[str, str], url: str, page: PageRule) -> ParseResult:
    """A page by its selectors: beautifulsoup4 is imported here, by the first page (90 ms,
    in every worker whose first job it was when a feed's job imported it too)."""
    from monitor.sources.page import parse_page

    return parse_page(body, headers, url, page)


# how much lower a worker's priority is than the poller's (added to its niceness): the
# poller's event loop fetches, stores and hands out the documents, and on 2 cores, with
# three workers ready to run beside it, it got half a core at times and the workers then
# sat idle waiting for their next document. Measured on a cold poll of 1,000 realistic
# feeds, alternated: 8.03 -> 7.61 s (median of 4 pairs); the idle CPU 2.28 -> 1.47 s.
WORKER_NICENESS = 10

_watches: tuple[WatchConfig, ...] = ()  # in a worker: the watches it matches
_matcher: Matcher | None = None


def _exit_with(poller: int) -> None:
    """End this worker as soon as the poller process is gone, even killed with SIGKILL:
    a pool worker would otherwise wait for work forever (and keep the forkserver alive)."""
    try:
        handle = os.pidfd_open(poller)
    except OSError:  # already gone
        os._exit(0)
    select.select([handle], [], [])  # readable once the process has exited
    os._exit(0)


def _worker_matcher() -> Matcher:
    global _matcher
    if _matcher is None:
        from monitor.match import Matcher

        _matcher = Matcher(_watches)
        _matcher.compile()
    return _matcher


def match_entries(entries: tuple[Entry, ...], feed: str) -> Matches:
    """Each entry's matches (in a worker; the watches are compiled on first use). A
    worker matches only a poll's entries, whose title and text are clean already."""
    matcher = _worker_matcher()
    return {e.key: matcher.match(e, feed, cleaned=True) for e in entries}


def start_worker(limit: int, watches: tuple[WatchConfig, ...], poller: int) -> None:
    """A worker's set-up: its memory limit, a lower priority than the poller's, its
    watches compiled, and an end with the poller."""
    global _watches
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.nice(WORKER_NICENESS)
    _watches = watches
    threading.Thread(target=_exit_with, args=(poller,), daemon=True).start()
    if _watches:
        _worker_matcher()
