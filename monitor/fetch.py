"""All outbound HTTP for feeds: bounded, polite, conditional.

One shared ``httpx.AsyncClient`` (built by the CLI) is passed in. Every request has a
total deadline, a body-size cap, redirects followed by this code (each hop checked),
only http(s), and - unless allowed - no private, loopback or link-local addresses.
Failures come back as ``FetchResult(status="error", error=...)`` in plain words.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from monitor.models import FeedState, FetchResult

MAX_REDIRECTS = 5
REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 30.0
    max_body_size: int = 15_000_000
    allow_private_networks: bool = False
    user_agent: str = "monitor"


class FetchError(Exception):
    """One request failed; the message is for the user. ``permanent``: retrying won't help."""

    def __init__(self, message: str, *, http_status: int | None = None,
                 permanent: bool = False) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.permanent = permanent


def make_client(opts: FetchOptions, concurrency: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,  # proxies from the environment are not trusted implicitly
        timeout=httpx.Timeout(opts.timeout),
        headers={"User-Agent": opts.user_agent},
        limits=httpx.Limits(max_connections=max(concurrency, 1) * 2),
    )


async def fetch_feed(client: httpx.AsyncClient, state: FeedState,
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
        return FetchResult("error", state.url, exc.http_status, error=str(exc))
    except httpx.HTTPError as exc:
        return _error(state.url, describe_http_error(exc))


async def _get(client: httpx.AsyncClient, url: str, headers: dict[str, str],
               opts: FetchOptions) -> FetchResult:
    for _ in range(MAX_REDIRECTS + 1):
        if opts.allow_private_networks:
            check_url(url, allow_private=True)
        else:
            await asyncio.to_thread(check_url, url, False)
        async with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code in REDIRECT_CODES and "location" in resp.headers:
                url = urljoin(url, resp.headers["location"])  # the 3xx body is never read
                continue
            return await _result(resp, url, opts)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects; use the final URL in the config")


async def _result(resp: httpx.Response, url: str, opts: FetchOptions) -> FetchResult:
    status = resp.status_code
    if status == 304:
        return FetchResult("not_modified", url, status)
    if not 200 <= status < 300:
        raise FetchError(f"HTTP {status} {resp.reason_phrase}".strip() + _status_hint(status),
                         http_status=status)
    body = await read_capped(resp, opts.max_body_size)
    return FetchResult("ok", url, status, body, dict(resp.headers),
                       resp.headers.get("etag"), resp.headers.get("last-modified"))


async def read_capped(resp: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"the body is larger than max_body_size ({limit:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


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


def check_url(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts that resolve to non-global IPs."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url!r} is not an http(s) URL", permanent=True)
    if allow_private:
        return
    for address in _resolve(parts.hostname, parts.port):
        if not address.is_global:
            raise FetchError(f"{parts.hostname} resolves to {address}, a private or local "
                             "address; set allow_private_networks = true to allow it",
                             permanent=True)


def _resolve(host: str, port: int | None) -> list[ipaddress.IPv4Address |
                                                        ipaddress.IPv6Address]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        return [_unmap(literal)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host} ({exc.strerror}); check the URL") from None
    return [_unmap(ipaddress.ip_address(info[4][0])) for info in infos]


def _unmap(addr: ipaddress.IPv4Address | ipaddress.IPv6Address
           ) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        return addr.ipv4_mapped
    return addr


def describe_http_error(exc: httpx.HTTPError) -> str:
    """Plain words for a transport failure."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({detail}); the host is down or the URL is wrong"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__}); the server is slow or unreachable"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return f"the server broke the HTTP exchange ({detail})"
    return f"request failed ({type(exc).__name__}: {detail})"


def _error(url: str, message: str) -> FetchResult:
    return FetchResult("error", url, error=message)
