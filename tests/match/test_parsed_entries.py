"""A poll's entries are clean already (``clean_text`` returns their title, text and author
as they are): those of a feed as ``parse_feed`` makes them, of a page as ``parse_page``
does, with an article's text as ``article`` reads it. So a worker matches them without
cleaning them again (``Matcher.match(..., cleaned=True)``) and finds what it finds after
cleaning: checked on hostile text (decomposed letters, marks after spaces, invisible and
control characters, markup), on the feeds and pages under tests/data and on the shared
corpus."""

from __future__ import annotations

import json
import random
from html import escape
from pathlib import Path

import pytest

from monitor.match import Matcher
from monitor.models import Entry, PageRule, WatchConfig
from monitor.settings.load import load_config
from monitor.sources.doctext import article
from monitor.sources.page import parse_page
from monitor.sources.parse import MAX_TEXT, parse_feed
from monitor.text import clean_text
from tests.helpers import CORPUS, DATA, Item, rss

ROOT = Path(__file__).resolve().parents[2]
# pieces of text that cleaning changes, or that sit next to what it changes
PIECES = ["a", "й", "и\u0306", "e\u0301", "\u0301", "é", "ё", "ß", "Ω", "\u212b", " ", "  ",
          "\u00a0", "\u2003", "\u3000", "\u200b", "\u00ad", "\ufeff", "\u2060", "\x07", "\x1b",
          "\x7f", "\x85", "\n", "\r\n", "\t", ".", "…", "<b>", "</b>", "<p>", "<br/>", "&amp;",
          "&#769;", "&nbsp;", "союзн", "программ", "Union", "\U0001f600", "\ud7a3", "\u1100",
          "\u1161"]


def pieces(rng: random.Random, size: int) -> str:
    return "".join(rng.choices(PIECES, k=rng.randint(0, size)))


def hostile_feed(rng: random.Random, items: int = 40) -> bytes:
    return rss([Item(f"g{n}", pieces(rng, 12), pieces(rng, 60)) for n in range(items)])


def hostile_page(rng: random.Random, items: int = 20) -> bytes:
    """A page of items (a date, a link with a title, a text) and an article's paragraphs,
    all of hostile text."""
    rows = "".join(f'<li><span class="date">{pieces(rng, 4)}</span> <a href="/d/{n}'
                   f'{escape(pieces(rng, 3), quote=True)}">{pieces(rng, 12)}</a> '
                   f"<p>{pieces(rng, 60)}</p></li>" for n in range(items))
    paragraphs = "".join(f"<p>{pieces(rng, 80)}</p>" for _ in range(8))
    return (f"<html><head><title>t</title></head><body><ul>{rows}</ul>"
            f"<article>{paragraphs}</article></body></html>").encode()


def assert_clean(entry: Entry) -> None:
    for value in (entry.title, entry.text, entry.author):
        assert clean_text(value) == value, (entry.key, value)


def entries_of(body: bytes) -> list[Entry]:
    return [e for fast in (True, False) for e in parse_feed(body, {}, "https://x.example/f",
                                                            fast=fast).entries]


def test_hostile_entries_are_parsed_clean() -> None:
    rng = random.Random(17)
    for _ in range(30):
        for entry in entries_of(hostile_feed(rng)):
            assert_clean(entry)


def test_an_entry_cut_at_its_longest_is_clean() -> None:
    for tail in ("e\u0301", "и\u0306", "\u0301\u0301", " \u0301"):
        body = "x" * (MAX_TEXT - len(tail) // 2 - 1) + tail * 4
        for entry in entries_of(rss([Item("1", "t", escape(body))])):
            assert_clean(entry)


def test_the_feeds_under_tests_data_are_parsed_clean() -> None:
    for path in sorted((DATA / "feeds").glob("*.rss")):
        for entry in entries_of(path.read_bytes()):
            assert_clean(entry)


def assert_page_clean(body: bytes) -> None:
    for rule in (PageRule("li", "a", ".date"), PageRule("a"), PageRule("ul.documents li")):
        for entry in parse_page(body, {}, "https://x.example/p/", rule).entries:
            assert_clean(entry)
    text, _ = article(body, {}, "https://x.example/a")
    assert clean_text(text) == text
    joined = f"clean text\n\n{text}".strip()  # an entry with its article (evidence.py)
    assert clean_text(joined) == joined


def test_hostile_pages_and_articles_are_read_clean() -> None:
    rng = random.Random(19)
    for _ in range(20):
        assert_page_clean(hostile_page(rng))


def test_the_pages_under_tests_data_are_read_clean() -> None:
    for path in sorted((DATA / "pages").glob("*.html")):
        assert_page_clean(path.read_bytes())


@pytest.mark.skipif(not (CORPUS / "feedparser").exists(), reason="../shared/corpus is absent")
def test_the_corpus_feeds_are_parsed_clean_and_match_the_same_uncleaned() -> None:
    matcher = Matcher(load_config(ROOT / "config" / "monitor.toml").watches
                      + (WatchConfig("any", keywords=("the", "и", "і", "programs")),))
    rows = [json.loads(line) for line in (CORPUS / "realfeeds" / "manifest.jsonl").open()]
    paths = [CORPUS / "realfeeds" / r["file"] for r in rows]
    cases = [json.loads(line) for line in (CORPUS / "feedparser" / "cases.jsonl").open()]
    paths += [CORPUS / "feedparser" / c["path"] for c in cases]
    for path in paths:
        for entry in parse_feed(path.read_bytes(), {}, "https://x.example/f").entries:
            assert_clean(entry)
            assert matcher.match(entry, "f", cleaned=True) == matcher.match(entry, "f")
