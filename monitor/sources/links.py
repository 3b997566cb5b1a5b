"""Links as monitor keeps them: absolute http(s) only, fragment dropped, scheme and host
lowercased; and the feeds a web page advertises. Light (no parser): the poller and the CLI
use it without loading feedparser."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from monitor.text import single_line

# An absolute http(s) link already in the form ``entry_link`` would give it: lowercase
# host, printable ASCII, no userinfo, params, fragment or empty query.
_PLAIN_LINK_RE = re.compile(r"https?://[a-z0-9.\-]+(?::[0-9]+)?(?:/[!\"$-:<->@-~]*)?"
                            r"(?:\?[!\"$-~]+)?\Z")


def entry_link(feed_url: str, link: str) -> str:
    """The entry's link resolved against the feed URL, made safe (``safe_link``); most links
    are already in that form, and a pattern check spares the URL parsing."""
    if _PLAIN_LINK_RE.match(link):
        return link
    return safe_link(urljoin(feed_url, link))


def safe_link(url: str) -> str:
    """The link if it is an absolute http(s) URL (fragment dropped), else empty."""
    url = single_line(url)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_ALTERNATE = re.compile(r"rel=[\"']?alternate", re.I)
_FEED_TYPE = re.compile(r"type=[\"']?application/(?:rss|atom)\+xml", re.I)
_HREF = re.compile(r"href=[\"']([^\"']+)", re.I)


def advertised_feeds(html: bytes, base: str) -> list[str]:
    """The feeds a page advertises (``<link rel="alternate" type="application/rss+xml">``,
    or Atom), as safe absolute links, in page order."""
    found = []
    for tag in _LINK_TAG.findall(html[:200_000].decode("utf-8", "replace")):
        href = _HREF.search(tag) if _ALTERNATE.search(tag) and _FEED_TYPE.search(tag) else None
        link = entry_link(base, href[1]) if href else ""
        if link:
            found.append(link)
    return found
