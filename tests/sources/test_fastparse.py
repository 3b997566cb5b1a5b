"""The fast parser path gives exactly feedparser's entries wherever it is taken."""

from __future__ import annotations

import json

import pytest

from monitor.models import Entry
from monitor.sources.fastparse import eligible, parse_fast
from monitor.sources.parse import parse_feed
from tests.helpers import CORPUS, Item, rss

URL = "https://news.example.org/feed"


def entries_equal(a: Entry, b: Entry) -> bool:
    """Same identity, title, link, date, and text up to whitespace."""
    return (a.key, a.title, a.url, a.published, " ".join(a.text.split())) == (
        b.key, b.title, b.url, b.published, " ".join(b.text.split()))


def real_feeds() -> list[str]:
    manifest = CORPUS / "realfeeds" / "manifest.jsonl"
    if not manifest.exists():
        return []
    return [json.loads(line)["file"] for line in manifest.open(encoding="utf-8")]


@pytest.mark.parametrize("name", real_feeds() or ["absent"])
def test_fast_path_equals_feedparser_on_real_feeds(name: str) -> None:
    if name == "absent":
        pytest.skip("../shared/corpus is absent (a user's fresh clone)")
    body = (CORPUS / "realfeeds" / name).read_bytes()
    fast = parse_feed(body, {}, URL)
    slow = parse_feed(body, {}, URL, fast=False)
    assert len(fast.entries) == len(slow.entries)
    assert all(entries_equal(a, b) for a, b in zip(fast.entries, slow.entries, strict=True))


def test_the_fast_path_is_taken_for_plain_feeds_and_not_for_others() -> None:
    plain = rss([Item("1", "Union programs", "text")])
    assert eligible(plain, {}) and parse_fast(plain) is not None
    assert not eligible(plain.replace(b"utf-8", b"windows-1251"), {})
    assert not eligible(b'<?xml version="1.0"?><rdf:RDF/>', {})
    assert not eligible(plain, {"content-type": "application/rss+xml; charset=koi8-r"})
    assert parse_fast(rss([Item("1", "<b>bold</b> title", "x")])) is None


def test_documents_feedparser_reads_otherwise_are_not_taken_by_the_fast_path() -> None:
    plain = rss([Item("1", "Union programs", "<p>text</p>")])  # (&lt;p&gt; in the text)
    assert eligible(plain, {})
    for mark, instead in ((b"<description>", b'<enclosure url="https://x.example/a.pdf" '
                           b'type="application/pdf" length="1"/><description>'),
                          (b"<description>", b"<media:description>caption"
                           b"</media:description><description>"),
                          (b"<title>Union", b"<title>&lt;b&gt;Union&lt;/b&gt;"),
                          (b"programs", b"pro\x07grams")):
        odd = plain.replace(mark, instead, 1)
        assert odd != plain and not eligible(odd, {}), instead
