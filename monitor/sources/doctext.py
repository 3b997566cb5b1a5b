"""Text of what monitor fetches as evidence, in the parse workers (memory-limited, with a
deadline): PDF (pypdf), DOCX (python-docx), RTF and ODT (our own readers), a legal
portal's act page (HTML), and an article's main text (trafilatura) with the document
links in its body."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

from monitor.sources.decoding import declared_charset
from monitor.sources.documents import is_document_link, may_hold_documents
from monitor.sources.entities import entity_refusal
from monitor.sources.links import entry_link
from monitor.text import clean_text, html_to_text

MAX_TEXT = 200_000
MAX_PAGES = 200
MAX_XML = 50 * 2**20  # an ODT's content.xml, unpacked
_ODT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def document_text(body: bytes, kind: str) -> str:
    """The document's text ("" for a kind without a reader: Word 97's doc)."""
    if kind == "html":
        return html_to_text(body.decode("utf-8", "replace"))[:MAX_TEXT]
    reader = READERS.get(kind)
    return clean_text(reader(body))[:MAX_TEXT] if reader else ""


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PAGES])


def _docx_text(body: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)


def _rtf_text(body: bytes) -> str:
    from monitor.sources.rtf import rtf_text

    return rtf_text(body, MAX_TEXT)


def odt_text(body: bytes) -> str:
    """An OpenDocument text's paragraphs and headings, one per line."""
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(body)) as odt:
        if odt.getinfo("content.xml").file_size > MAX_XML:
            raise ValueError("its content.xml is over 50 MB unpacked")
        xml = odt.read("content.xml")
    refusal = entity_refusal(xml)  # as for feeds (a real ODT declares no entities)
    if refusal:
        raise ValueError(refusal)
    root = ElementTree.fromstring(xml)
    blocks = (e for e in root.iter() if e.tag in (f"{_ODT}p", f"{_ODT}h"))
    return "\n".join("".join(_runs(block)) for block in blocks)


# the kinds of document whose text is read (each reader's text is cleaned and cut to
# MAX_TEXT by ``document_text``)
READERS: dict[str, Callable[[bytes], str]] = {
    "pdf": _pdf_text, "docx": _docx_text, "rtf": _rtf_text, "odt": odt_text}


def _runs(element: Any) -> Iterator[str]:
    """A paragraph's text: its spans, spaces (``text:s``), tabs and line breaks; the
    paragraphs of a note inside it are blocks of their own."""
    yield element.text or ""
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":  # text:c spaces (a count of our own past 100, or none, is one)
            count = child.get(f"{_ODT}c", "1")
            yield " " * (int(count) if count.isdigit() and int(count) <= 100 else 1)
        elif tag in ("tab", "line-break"):
            yield "\t" if tag == "tab" else "\n"
        elif tag not in ("p", "h", "note"):
            yield from _runs(child)
        yield child.tail or ""


def article(body: bytes, headers: dict[str, str], url: str) -> tuple[str, tuple[str, ...]]:
    """The main text of an article page (trafilatura, comments left out, precision first)
    and the document links in its body (not in navigation, header or footer)."""
    import trafilatura

    from monitor.sources.page import soup_of

    html = _decoded(body, headers)
    text = trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
    if not may_hold_documents(body):  # no second parse of a page that names no document
        return clean_text(text)[:MAX_TEXT], ()
    soup = soup_of(body, headers)
    links = (entry_link(url, str(a["href"])) for a in soup.find_all("a", href=True))
    return clean_text(text)[:MAX_TEXT], tuple(dict.fromkeys(
        link for link in links if link and is_document_link(link)))


def _decoded(body: bytes, headers: dict[str, str]) -> str:
    name = declared_charset(headers, body) or "utf-8"
    try:
        return body.decode(name, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")
