"""Cases that are data: each tests/data/feeds/NAME.rss (or .atom) with its expected entries
in NAME.expected.json, and the publication dates in tests/data/feed_dates.tsv. A new case
is a new file or a new line."""

from __future__ import annotations

import json

import pytest

from monitor.sources.parse import parse_feed
from tests.helpers import DATA, Item, data_rows, rss

FEEDS = sorted(p for p in (DATA / "feeds").iterdir() if p.suffix in (".rss", ".atom"))
HEADERS = {"content-type": "application/xml"}


@pytest.mark.parametrize("path", FEEDS, ids=[p.name for p in FEEDS])
def test_feed_gives_its_expected_entries(path) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_feed(path.read_bytes(), HEADERS, "https://soyuz.example/rss")
    expected = json.loads(path.with_name(f"{path.stem}.expected.json").read_text("utf-8"))
    assert parsed.error == ""
    fields = [e._asdict() for e in parsed.entries]  # the fields the case names
    assert [{k: f[k] for k in want} for f, want in zip(fields, expected, strict=False)] \
        == expected and len(fields) == len(expected)


@pytest.mark.parametrize(("written", "stored"), data_rows("feed_dates.tsv"))
def test_publication_dates(written: str, stored: str) -> None:
    parsed = parse_feed(rss([Item("g1", "title", "text", pub_date=written)]), HEADERS,
                        "https://soyuz.example/rss")
    assert parsed.entries[0].published == (None if stored == "none" else stored)
