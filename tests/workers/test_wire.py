"""A worker's answer packed for the pipe (plain tuples) comes back as the same entries and
matches, as named tuples, through a real pickle round trip."""

from __future__ import annotations

import pickle

from monitor.models import Entry, Match, ParseResult
from monitor.sources.parse import parse_feed
from monitor.workers.wire import pack_matches, pack_parse, unpack_matches, unpack_parse
from tests.helpers import DATA


def test_entries_and_matches_come_back_the_same_and_as_named_tuples() -> None:
    parsed = parse_feed((DATA / "feeds" / "union-programs.rss").read_bytes(), {},
                        "https://soyuz.example/rss")
    parsed = parsed._replace(warning="a warning", entries=(
        *parsed.entries, Entry("k", "t", "u", None, "x", documents=("https://d/1.pdf",),
                               doc_text="доклад")))
    matches = {e.key: [Match("w", ("Союзных", "программ"), "…snippet")] for e in
               parsed.entries[:2]} | {parsed.entries[2].key: []}
    back = unpack_parse(pickle.loads(pickle.dumps(pack_parse(parsed), 5)))
    again = unpack_matches(pickle.loads(pickle.dumps(pack_matches(matches), 5)))
    assert len(parsed.entries) >= 3 and back == parsed and again == matches
    assert type(back) is ParseResult and all(type(e) is Entry for e in back.entries)
    assert all(type(m) is Match for found in again.values() for m in found)
    assert back.entries[-1].doc_text == "доклад" and again[parsed.entries[0].key][0].terms
