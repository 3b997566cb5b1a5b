"""OPML in and out, and feed discovery, pure: listparser reads OPML from bytes (never a
URL: monitor fetches), xml.etree writes OPML 2.0, a site page's advertised feeds and the
common feed paths are candidates for ``monitor feeds add``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit, urlunsplit

from monitor.sources.links import advertised_feeds

COMMON_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml",
                "/rss/all", "/feed/")


class Found(NamedTuple):
    url: str
    title: str


def read_opml(body: bytes) -> list[Found]:
    """The feeds of an OPML file (nested outlines too)."""
    import listparser

    parsed = listparser.parse(body)
    return [Found(f.url, f.title or "") for f in parsed.feeds if f.url]


def write_opml(feeds: list[tuple[str, str]], title: str = "monitor feeds") -> str:
    """OPML 2.0 with one outline per (name, url)."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = title
    body = ET.SubElement(root, "body")
    for name, url in feeds:
        ET.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def same_url(url: str) -> str:
    """A URL as compared for duplicates: scheme and host lowercased, "www." and a trailing
    slash dropped, http and https alike."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit(("http", host, parts.path.rstrip("/"), parts.query, ""))


def name_for(url: str, taken: set[str]) -> str:
    """A config name from the URL (host and path), unique among ``taken``."""
    parts = urlsplit(url)
    text = f"{parts.netloc.lower().removeprefix('www.')}{parts.path}"
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def advertised(html: bytes, base: str) -> list[str]:
    """The feeds a page advertises (``sources.links.advertised_feeds``), then the common
    feed paths of its site."""
    common = [urljoin(base, path) for path in COMMON_PATHS]
    return list(dict.fromkeys(advertised_feeds(html, base) + common))


def toml_feed(name: str, url: str) -> str:
    return f'\n[[feeds]]\nname = "{name}"\nurl = "{url}"\n'
