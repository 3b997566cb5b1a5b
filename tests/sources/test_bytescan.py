"""One pass for several rare strings (``bytescan.found_in``) answers exactly what a
substring test of each would, and the parse's first checks decide the same with it."""

from __future__ import annotations

import random

from monitor.sources.bytescan import found_in
from monitor.sources.entities import MARKS, entity_refusal
from monitor.sources.fastparse import FEEDPARSER_MARKS, eligible
from tests.helpers import CORPUS, DATA, Item, rss
from tests.sources.hostile import billion_laughs, quadratic_blowup
from tests.sources.test_parse import ENTITY_CASES

PATTERNS = MARKS + FEEDPARSER_MARKS + (b"<enc", b"sure", b"ENTITY")  # (overlapping ones)


def test_each_pattern_is_found_exactly_where_a_substring_test_finds_it() -> None:
    rng = random.Random(3)
    pieces = [*PATTERNS, b"<", b"!", b"a", "союз".encode(), b"\x00", b"media:", b"<en"]
    for _ in range(3000):
        body = b"".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        found = found_in(PATTERNS)(body)
        assert {p for p in PATTERNS if p in body} == set(found), body


def bodies() -> list[bytes]:
    feeds = [p.read_bytes() for p in sorted((DATA / "feeds").iterdir()) if p.suffix != ".json"]
    real = sorted((CORPUS / "realfeeds").glob("*"))[:400] if CORPUS.exists() else []
    plain = rss([Item("1", "Union programs", "text")])
    marked = [plain.replace(b"<description>", mark + b"<description>", 1) for mark in (
        b'<enclosure url="https://x.example/a.pdf" type="application/pdf" length="1"/>',
        b"<media:description>caption</media:description>", b"\x00")]
    return [*feeds, *(p.read_bytes() for p in real if p.is_file()), plain, *marked,
            billion_laughs(), quadratic_blowup(), *(body for body, _ in ENTITY_CASES)]


def test_the_first_checks_decide_the_same_with_the_one_pass() -> None:
    checked = bodies()
    decisions = set()
    for body in checked:
        seen = found_in(MARKS + FEEDPARSER_MARKS)(body)
        refusal = entity_refusal(body)
        assert entity_refusal(body, seen) == refusal
        assert eligible(body, {}, seen) == eligible(body, {})
        decisions.add((bool(refusal), eligible(body, {})))
    assert decisions == {(False, True), (False, False), (True, False)}  # each kind is checked
