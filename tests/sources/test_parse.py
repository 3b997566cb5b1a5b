"""feedparser over bytes: identity, encodings, hygiene, and the bozo policy."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from pytest_httpserver import HTTPServer

from monitor.sources.links import entry_link, safe_link
from monitor.sources.parse import entry_key, parse_feed
from tests.helpers import CORPUS, Item, rss, run_cli, write_config

URL = "https://news.example.org/feed"


def test_entry_identity_prefers_guid_then_link_then_hash() -> None:
    assert entry_key("urn:1", "https://e.org/a", "t", "x") == "id:urn:1"
    assert entry_key("", "https://e.org/a", "t", "x") == "link:https://e.org/a"
    assert entry_key("", "", "t", "x") == entry_key("", "", "t", "x")
    assert entry_key("", "", "t", "x").startswith("hash:")
    assert entry_key("", "", "t", "x") != entry_key("", "", "t", "y")


def test_links_only_absolute_http() -> None:
    assert safe_link("javascript:alert(1)") == ""
    assert safe_link("HTTPS://News.Example.org/a#frag") == "https://news.example.org/a"
    assert safe_link("/relative") == ""


TRICKY_LINKS = ["http://a.b/c", "https://a.b/c?x=1", "http://a.b/c?", "http://a.b/c#f",
                "http://a.b/c;p", "http://a.b/c;p?q", "HTTP://A.B/c", "http://A.b/", "http://a.b",
                "http://a.b:8080/x", "http://u@a.b/x", "http:///x", "http://a.b/x y",
                "http://a.b/ü", "http://a.b/c?q#", "https://a.b/c?q;r", "http://a.b/c/../d",
                "//a.b/c", "/c", "", "ftp://a.b/c", "http://a.b/c\t", "http://a.b:/c",
                "http://a.b/c\u00ad", " http://a.b/c "]


def real_links() -> list[str]:
    folder = CORPUS / "realfeeds"
    if not folder.exists():
        return []
    links = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parsed = feedparser.parse(path.read_bytes())
            links += [e.get("link", "") for e in parsed.entries]
    return links


def test_the_link_fast_path_gives_what_full_url_parsing_gives() -> None:
    """``entry_link`` skips URL parsing for plain absolute links; it must never change a
    link (entry identity depends on it)."""
    links = TRICKY_LINKS + real_links()
    for base in ("http://feed.example/rss", "https://feed.example/rss"):
        for link in links:
            assert entry_link(base, link) == safe_link(urljoin(base, link)), link
    assert len(links) > 1000 or not (CORPUS / "realfeeds").exists()


def test_titles_are_single_line_plain_text_without_control_characters() -> None:
    doc = rss([Item("1", "Line one\nline\x07 two <b>bold</b>", "body")])
    entry = parse_feed(doc, {}, URL).entries[0]
    assert entry.title == "Line one line two bold"
    assert entry.published == "2021-09-10T09:00:00Z"


def test_html_page_is_not_a_feed_and_names_the_advertised_feed() -> None:
    page = (b"<!doctype html><html><head><link rel='alternate' "
            b"type='application/rss+xml' href='/rss.xml'></head><body>Login</body></html>")
    result = parse_feed(page, {"Content-Type": "text/html"}, URL)
    assert result.error.startswith("not a feed: the server sent an HTML page")
    assert "https://news.example.org/rss.xml" in result.error


def test_empty_and_garbage_bodies_are_errors() -> None:
    assert "empty body" in parse_feed(b"", {}, URL).error
    assert parse_feed(b"\x00\xff<<<", {}, URL).error.startswith("not a feed")


def realfeed(name: str) -> bytes:
    path = CORPUS / "realfeeds" / name
    if not path.exists():
        pytest.skip("../shared/corpus is absent (a user's fresh clone)")
    return path.read_bytes()


def test_windows_1251_feed_comes_out_as_cyrillic() -> None:
    body = realfeed("original/pravda_com_ua_2020-09-29_cp1251.xml")
    result = parse_feed(body, {"Content-Type": "application/rss+xml"}, URL)
    assert len(result.entries) == 20 and not result.error
    text = " ".join(e.title for e in result.entries)
    assert sum("а" <= ch <= "я" for ch in text.lower()) > 100


def test_incremental_polls_of_a_real_feed_store_each_entry_once(tmp_path: Path,
                                                                 httpserver: HTTPServer) -> None:
    folder = CORPUS / "realfeeds" / "timeseries" / "bbc"
    if not folder.exists():
        pytest.skip("../shared/corpus is absent (a user's fresh clone)")
    snapshots = sorted(folder.glob("*.xml"))[:5]
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "bbc", "url": httpserver.url_for("/bbc")}],
                          watches=[{"name": "w", "keywords": ["the"]}])
    keys: set[str] = set()
    for snapshot in snapshots:
        body = snapshot.read_bytes()
        keys |= {e.key for e in parse_feed(body, {}, URL).entries}
        httpserver.clear()
        httpserver.expect_request("/bbc").respond_with_data(body)
        assert run_cli("poll", config=config).returncode == 0
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        stored = conn.execute("SELECT count(*), count(DISTINCT key) FROM entries").fetchone()
        hits = conn.execute("SELECT count(*), count(DISTINCT entry_id) FROM hits").fetchone()
    assert stored == (len(keys), len(keys))
    assert hits[0] == hits[1]  # never two hits of one watch for one entry


ENTITY_CASES = [
    (b'<!DOCTYPE rss [<!ENTITY co "Company">]><rss>&co;</rss>', ""),
    (b'<!DOCTYPE rdf [<!ENTITY % lat1 PUBLIC "-//W3C//ENTITIES" "x.ent"> %lat1;]><rdf/>', ""),
    (b'<!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;">]><r>&b;</r>', "nested"),
    (b'<!DOCTYPE r [<!ENTITY a "' + b"A" * 10_000 + b'">]><r>' + b"&a;" * 200 + b"</r>",
     "more than 1 MB"),
    ('<!DOCTYPE r [<!ENTITY a "x">]><r/>'.encode("utf-16-le"), "UTF-16"),
]


@pytest.mark.parametrize(("body", "refusal"), ENTITY_CASES)
def test_entity_policy(body: bytes, refusal: str) -> None:
    from monitor.sources.entities import entity_refusal

    found = entity_refusal(body)
    assert (refusal in found) if refusal else found == ""


def test_items_sharing_a_link_are_all_kept() -> None:
    doc = rss([Item("", f"story {i}", f"text {i}", link="https://news.example.org/")
               for i in range(5)]).replace(b"<guid></guid>", b"")
    keys = [e.key for e in parse_feed(doc, {}, URL).entries]
    assert len(set(keys)) == 5 and all(k.startswith("link:https://news.example.org/#")
                                       for k in keys)
    assert keys == [e.key for e in parse_feed(doc, {}, URL).entries]  # stable


def test_single_line_treats_every_unicode_space_as_the_regex_s_does() -> None:
    import re
    import sys

    from monitor.text import single_line

    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c)))
    assert single_line(f"{spaces}a{spaces}b\u00adc{spaces}") == "a bc"
    assert re.sub(r"\s+", " ", f" x{spaces}y ").strip() == single_line(f" x{spaces}y ")


def test_clean_text_and_single_line_keep_their_definitions_on_their_fast_paths() -> None:
    """clean_text returns a printable text without searching it, and single_line joins
    whitespace before cleaning: both must give what their definitions give (NFC, invisible
    characters removed, control characters made spaces, NFC again where a removed
    character stood between a letter and its mark; then whitespace made one space), for
    every code point and for mixes of the odd ones."""
    import random
    import re
    import sys
    import unicodedata

    from monitor.text import clean_text, single_line

    invisible = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
    control = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

    def definition(text: str) -> str:
        kept = control.sub(" ", unicodedata.normalize("NFC", text).translate(invisible))
        return unicodedata.normalize("NFC", kept)

    def check(text: str) -> None:
        assert clean_text(text) == definition(text), repr(text)
        assert single_line(text) == " ".join(definition(text).split()), repr(text)

    for code in range(sys.maxunicode + 1):
        check(f"e{chr(code)}b {chr(code)}\u0301")
    odd = ["a", "e", "\u0301", "\u0327", " ", "\t", "\n", "\r", "\x85", "\u2000", "\u3000",
           "\u00a0", "\u00ad", "\u200b", "\u2060", "\ufeff", "\x00", "\x7f", "\x9f", "\x1c",
           "\u212b", "\u0345", "й", "и", "\u0306", "\u200e", "\ue000"]
    rng = random.Random(5)
    for _ in range(20_000):
        check("".join(rng.choice(odd) for _ in range(rng.randint(0, 10))))


def test_items_with_stored_keys_are_left_out_and_the_rest_parse_as_before() -> None:
    doc = rss([Item(f"g{n}", f"story {n}", f"text {n}") for n in range(6)])
    whole = parse_feed(doc, {}, URL).entries
    left = parse_feed(doc, {}, URL, skip={"id:g0", "id:g4", "id:elsewhere"}).entries
    assert left == tuple(e for e in whole if e.key not in {"id:g0", "id:g4"})


def test_items_whose_key_needs_their_text_are_never_left_out() -> None:
    shared = rss([Item("", f"story {i}", f"text {i}", link="https://news.example.org/")
                  for i in range(3)]).replace(b"<guid></guid>", b"")
    whole = parse_feed(shared, {}, URL).entries  # one link: keys made of link and content
    assert parse_feed(shared, {}, URL, skip={"link:https://news.example.org/"}).entries == whole


def test_a_feed_whose_items_are_all_stored_is_still_a_feed() -> None:
    fast = rss([Item("g1", "story", "text")])
    # feedparser's path (a DOCTYPE), and malformed: its entries make it a feed
    slow = fast.replace(b"<rss", b"<!DOCTYPE rss><rss").replace(b"</channel>", b"<b></channel>")
    for doc in (fast, slow):
        result = parse_feed(doc, {}, URL, skip={"id:g1"})
        assert result.entries == () and not result.error


def test_the_fast_paths_control_test_is_the_xml_forbidden_bytes() -> None:
    import re

    from monitor.sources.fastparse import _has_control

    forbidden = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    for byte in range(256):
        body = b"<rss>" + bytes([byte]) + b"</rss>"
        assert _has_control(body) == bool(forbidden.search(body)), byte


STRAY = {"in a text": ("номер 2", b"\xff\xfe 2"), "in a title": ("Заголовок 1", b"\xc3\x28 1"),
         "in a tag": ("<link>https://x.example/3", b"<li\xffnk>https://x.example/3"),
         "a surrogate": ("номер 0", b"\xed\xa0\x80 0"), "overlong": ("номер 0", b"\xc0\xaf 0")}


def stray_byte_feed(where: str, declaration: bytes = b' encoding="utf-8"') -> bytes:
    items = "".join(f"<item><guid>g{i}</guid><link>https://x.example/{i}</link><title>Заголовок "
                    f"{i}</title><description>Текст номер {i}</description></item>"
                    for i in range(4))
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Канал</title>'
            f"{items}</channel></rss>").encode().replace(b'"1.0"', b'"1.0"' + declaration)
    text, stray = STRAY[where]
    return body.replace(text.encode(), stray, 1)


@pytest.mark.parametrize("where", STRAY)
def test_a_feed_declaring_utf8_with_a_stray_byte_keeps_its_cyrillic(where: str) -> None:
    """feedparser alone read such a feed as iso-8859-2: every letter garbled, no match."""
    from monitor.sources.charset import NOT_UTF8

    body = stray_byte_feed(where)
    fast, slow = parse_feed(body, {}, URL), parse_feed(body, {}, URL, fast=False)
    assert fast.entries == slow.entries and fast.warning == slow.warning == NOT_UTF8
    titles = [e.title for e in fast.entries]
    assert len(titles) == 4 and sum(t.startswith("Заголовок ") for t in titles) >= 3
    assert "\ufffd" in "".join(e.title + e.text for e in fast.entries) or where == "in a tag"


def test_a_stray_byte_in_a_feed_that_declares_no_encoding_keeps_feedparsers_guess() -> None:
    body = stray_byte_feed("in a text", declaration=b"")
    assert parse_feed(body, {}, URL).entries == parse_feed(body, {}, URL, fast=False).entries
    labelled = parse_feed(body, {"Content-Type": "application/rss+xml; charset=utf-8"}, URL)
    assert labelled.entries[0].title == "Заголовок 0"  # the HTTP charset declares it
    quoted = parse_feed(body, {"Content-Type": 'application/rss+xml; charset="UTF-8"'}, URL)
    assert quoted.entries == labelled.entries and quoted.warning == labelled.warning != ""
