"""The fast parser path gives exactly feedparser's entries wherever it is taken."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.models import Entry
from monitor.sources.fastparse import _iso, eligible, parse_fast
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


def _iso_in_general(value: str) -> str | None:
    """``_iso`` as it was before its short cut: parsed, made UTC, formatted."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_date_in_fastfeedparsers_form_is_stored_as_the_general_way_stores_it() -> None:
    rng = random.Random(7)
    values = ["2021-09-10T12:00:00+00:00", "0999-01-01T00:00:00+00:00", "not a date",
              "2021-09-10 12:00:00+00:00", "2021-09-10T12:00+00:00", "2021-09-10T12:00:00"]
    for _ in range(3000):
        moment = datetime(1, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(2**36))
        moment = moment.replace(microsecond=rng.choice([0, 0, 500_000]))
        zone = timezone(timedelta(minutes=rng.choice([0, 0, 180, -60, 330])))
        values.append(moment.astimezone(zone).isoformat())
    assert sum(v.endswith("+00:00") and len(v) == 25 for v in values) > 500
    for value in values:
        assert _iso(value) == _iso_in_general(value), value


def test_items_without_a_title_take_the_fast_path_and_read_as_feedparser_reads_them() -> None:
    plain = rss([Item("1", "", "Тексты союзных программ опубликованы."),
                 Item("2", "   ", "Second text."), Item("3", "Titled", "Third text.")])
    missing = plain.replace(b"<title></title>", b"", 1)
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            b'<title>t</title><entry><id>urn:a</id><link href="https://n.example/a"/>'
            b"<summary>No title here.</summary></entry><entry><id>urn:b</id><title></title>"
            b'<link href="https://n.example/b"/><content type="html">&lt;p&gt;Body&lt;/p&gt;'
            b"</content></entry></feed>")
    for body in (plain, missing, atom):
        assert eligible(body, {}) and parse_fast(body) is not None, body[:60]
        same_as_feedparser(body)


def test_items_without_a_link_are_read_by_feedparser() -> None:
    """feedparser takes an item's guid (RSS) or id (Atom) for its missing link."""
    rss_guid = rss([Item("item-1", "Union programs", "Text.")]).replace(
        b"<link>https://news.example.org/item-1</link>", b"")
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            b"<title>t</title><entry><id>urn:a</id><title>T</title><summary>Text.</summary>"
            b"</entry></feed>")
    for body in (rss_guid, atom):
        assert eligible(body, {}) and parse_fast(body) is None, body[:60]
        same_as_feedparser(body)


def same_as_feedparser(body: bytes) -> None:
    fast, slow = parse_feed(body, {}, URL), parse_feed(body, {}, URL, fast=False)
    assert fast.entries and len(fast.entries) == len(slow.entries)
    assert all(entries_equal(a, b) for a, b in zip(fast.entries, slow.entries, strict=True))
