"""The first look at a fetched feed for documents (``may_hold_documents`` on its bytes):
any hint, in any case, anywhere in the body (Cyrillic around it), says yes; a body
without one says no, and its items are not looked at for documents."""

from __future__ import annotations

import pytest

from monitor.sources.documents import may_hold_documents
from monitor.sources.parse import parse_feed
from tests.helpers import Item, rss

HINTS = [".pdf", ".PDF", ".Docx", ".doc", ".rtf", ".ODT", "pravo.by", "Pravo.gov.ru",
         "/document/", "/DOCUMENT", "<enclosure", "<Enclosure"]
AROUND = "Тексты союзных программ опубликованы".encode()


@pytest.mark.parametrize("hint", HINTS)
def test_a_hint_anywhere_in_any_case_is_seen(hint: str) -> None:
    for body in (hint.encode() + AROUND, AROUND + hint.encode() + AROUND,
                 AROUND * 500 + hint.encode()):
        assert may_hold_documents(body), (hint, body[:40])


def test_a_body_without_a_hint_is_passed_over() -> None:
    for body in (b"", AROUND * 500, b"portable document format, pdf and docs",
                 b".pd f . doc"):
        assert not may_hold_documents(body), body[:40]


def test_a_feed_linking_a_pdf_in_capitals_gives_its_document() -> None:
    doc = rss([Item("a", "Тексты программ", "Опубликованы.",
                    link="https://soyuz.example/files/28-PROGRAMS.PDF"),
               Item("b", "Другое", "Без документов.")])
    entries = parse_feed(doc, {}, "https://soyuz.example/rss").entries
    assert [e.documents for e in entries] == [("https://soyuz.example/files/28-PROGRAMS.PDF",), ()]
