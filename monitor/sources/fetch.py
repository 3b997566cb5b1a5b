"""All outbound HTTP for feeds: bounded, polite, conditional.

One shared aiohttp session (``make_client``) is passed in: aiohttp, because its
connection pool costs a fraction of httpx's CPU per request (measured in README,
"Polling speed"). Every request has a
total deadline, a body-size cap, redirects followed by this code (each hop checked),
only http(s), and - unless allowed - no private, loopback or link-local addresses.
Failures come back as ``FetchResult(status="error", error=...)`` in plain words.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import aiohttp

from monitor.models import FeedConfig, FeedState, FetchResult
from monitor.settings.model import Settings
from monitor.sources.decoding import read_body
from monitor.sources.netguard import (
    AddressPolicy,
    FetchError,
    check_url,
    describe_http_error,
    guarded_session,
    tls_for,
)

Client = aiohttp.ClientSession  # what the pipeline is handed, built by make_client
MAX_REDIRECTS = 5
REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 30.0
    max_body_size: int = 15_000_000
    policy: AddressPolicy = AddressPolicy()
    user_agent: str = "monitor"


def options_for(settings: Settings, feed: FeedConfig | None = None) -> FetchOptions:
    """The fetch options of the config, with a feed's own overrides."""
    timeout = (feed and feed.fetch_timeout) or settings.fetch_timeout
    size = (feed and feed.max_body_size) or settings.max_body_size
    return FetchOptions(timeout, size, AddressPolicy.of(settings), settings.user_agent)


def make_client(opts: FetchOptions, concurrency: int) -> Client:
    return guarded_session(opts.policy, opts.user_agent, concurrency)


async def fetch_feed(client: aiohttp.ClientSession, state: FeedState,
                     opts: FetchOptions) -> FetchResult:
    """GET the feed, conditionally; never raises for network or server trouble."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                         "text/xml;q=0.9, */*;q=0.5"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        async with asyncio.timeout(opts.timeout):
            return await _get(client, state.url, headers, opts)
    except TimeoutError:
        return _error(state.url, f"no complete answer within {opts.timeout:g}s (timeout); "
                                 "the server is slow or unreachable")
    except FetchError as exc:
        return FetchResult("error", state.url, exc.http_status, error=str(exc),
                           retry_after=exc.retry_after, gone=exc.http_status == 410)
    except aiohttp.ClientError as exc:
        return _error(state.url, describe_http_error(exc))


async def _get(client: aiohttp.ClientSession, url: str, headers: dict[str, str],
               opts: FetchOptions) -> FetchResult:
    permanent: bool | None = None  # every hop so far was 301/308
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url, opts.policy)
        async with client.get(url, headers=headers, allow_redirects=False,
                              ssl=tls_for(url)) as resp:
            if resp.status in REDIRECT_CODES and "location" in resp.headers:
                url = urljoin(url, resp.headers["location"])  # the 3xx body is never read
                permanent = (permanent is not False) and resp.status in (301, 308)
                continue
            result = await _result(resp, url, opts)
            return replace(result, moved_to=url) if permanent else result
    raise FetchError(f"more than {MAX_REDIRECTS} redirects; use the final URL in the config")


async def _result(resp: aiohttp.ClientResponse, url: str, opts: FetchOptions) -> FetchResult:
    status = resp.status
    if status == 304:
        return FetchResult("not_modified", url, status)
    if not 200 <= status < 300:
        raise FetchError(f"HTTP {status} {resp.reason or ''}".strip() + _status_hint(status),
                         http_status=status, retry_after=retry_after(resp.headers, status))
    body = await read_body(resp.content.iter_chunked(1 << 16),
                           resp.headers.get("content-encoding", ""), opts.max_body_size)
    headers = {k: v for k, v in resp.headers.items() if k.lower() != "content-encoding"}
    return FetchResult("ok", url, status, body, headers,
                       resp.headers.get("etag"), resp.headers.get("last-modified"))


MAX_RETRY_AFTER = 24 * 3600.0


def retry_after(headers: Mapping[str, str], status: int) -> float | None:
    """Seconds the server asks us to wait (429/503; seconds or an HTTP-date), capped."""
    value = headers.get("retry-after", "").strip()
    if status not in (429, 503) or not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return ": the server refuses access (login wall or blocked User-Agent)"
    if status == 404:
        return ": the feed URL does not exist any more; check the outlet's site"
    if status == 410:
        return ": the feed is gone; remove it or find its new URL"
    if status == 429:
        return ": too many requests; it will be retried later"
    return ": server error, retried later" if status >= 500 else ""


def _error(url: str, message: str) -> FetchResult:
    return FetchResult("error", url, error=message)
