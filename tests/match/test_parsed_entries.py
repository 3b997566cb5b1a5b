"""A feed's entries as ``parse_feed`` makes them are clean already (``clean_text`` returns
their title, text and author as they are), so the worker matches them without cleaning
them again (``Matcher.match(..., parsed=True)``) and finds what it finds after cleaning:
checked on hostile text (decomposed letters, marks after spaces, invisible and control
characters, markup), on the feeds under tests/data and on the shared corpus."""

from __future__ import annotations

import json
import random
from html import escape
from pathlib import Path

import pytest

from monitor.match import Matcher
from monitor.models import Entry, WatchConfig
from monitor.settings.load import load_config
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


def hostile_feed(rng: random.Random, items: int = 40) -> bytes:
    def text(size: int) -> str:
        return "".join(rng.choices(PIECES, k=rng.randint(0, size)))

    return rss([Item(f"g{n}", text(12), text(60)) for n in range(items)])


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
            assert matcher.match(entry, "f", parsed=True) == matcher.match(entry, "f")
