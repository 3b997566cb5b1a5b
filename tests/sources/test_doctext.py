"""Documents' text in the formats government sites publish beside PDF and DOCX: RTF (code
pages told by the document or by each font, \\uN characters, the groups that are not text
left out) and ODT (paragraphs, headings, spaces, tabs; a note's paragraphs apart)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.sources.doctext import document_text
from monitor.sources.documents import sniff
from tests.helpers import DATA, odt_with

RTF = sorted((DATA / "documents").glob("*.rtf"))


@pytest.mark.parametrize("path", RTF, ids=[p.stem for p in RTF])
def test_rtf_text(path: Path) -> None:
    body = path.read_bytes()
    assert sniff(body) == "rtf"
    assert document_text(body, "rtf") == path.with_suffix(".txt").read_text("utf-8")


def test_rtf_text_stops_at_the_limit_and_survives_a_torn_end() -> None:
    body = b"{\\rtf1\\ansi " + b"word " * 100_000 + b"\\par}"
    assert 200_000 <= len(document_text(body, "rtf")) <= 200_010
    assert document_text(b"{\\rtf1\\ansi \\'d2\\'e5 torn \\", "rtf") == "Òå torn "
    odd = b"{\\rtf1\\ansi\\ansicpg99999\\uc-2 \\'d2\\u1090?x\\bin-5 y}"
    assert document_text(odd, "rtf") == "Òт?xy"  # an unknown code page, negative counts


def test_odt_text() -> None:
    body = odt_with('<text:h>Союзные программы</text:h><text:p>Тексты<text:s text:c="2"/>'
                    '<text:span>28 программ</text:span><text:tab/>опубликованы'
                    '<text:note><text:note-body><text:p>Сноска.</text:p></text:note-body>'
                    '</text:note>.<text:line-break/>Второй ряд</text:p>')
    assert sniff(body) == "odt"
    assert document_text(body, "odt") == ("Союзные программы\nТексты  28 программ\t"
                                          "опубликованы.\nВторой ряд\nСноска.")


def test_odd_space_counts_are_one_space() -> None:
    body = odt_with('<text:p>a<text:s text:c="x"/>b<text:s text:c="999999999"/>c</text:p>')
    assert document_text(body, "odt") == "a b c"


def test_an_odt_that_declares_entities_is_refused_as_a_feed_would_be() -> None:
    laughs = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    with pytest.raises(ValueError, match="declares XML entities"):
        document_text(odt_with("<text:p>&b;</text:p>", doctype=laughs), "odt")


@pytest.mark.parametrize("body", [b"PK\x03\x04 not a zip", odt_with("<text:p>unclosed")],
                         ids=["not a zip", "broken xml"])
def test_a_broken_odt_fails_the_job(body: bytes) -> None:
    """In a worker, that leaves the document archived without text (its hash is evidence)."""
    with pytest.raises(Exception):  # noqa: B017 (zipfile's and ElementTree's own errors)
        document_text(body, "odt")
