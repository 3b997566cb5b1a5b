"""Which links are documents: by extension, by a legal portal's act-page address, by an
enclosure's type, or by the first bytes of what was fetched. Pure."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from monitor.sources.bytescan import holds_any

EXTENSIONS = {"pdf": "application/pdf", "doc": "application/msword",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "rtf": "application/rtf", "odt": "application/vnd.oasis.opendocument.text"}
_ACT_PAGES = (re.compile(r"^https?://(?:www\.)?pravo\.by/document/\?guid=", re.I),
              re.compile(r"^https?://publication\.pravo\.gov\.ru/(?:document|Document)/"
                         r"(?:View/)?\d+", re.I))
_SIGNATURES = ((b"%PDF-", "pdf"), (b"{\\rtf", "rtf"), (b"\xd0\xcf\x11\xe0", "doc"))


_HINT = re.compile(r"\.(?:pdf|docx?|rtf|odt)\b|pravo\.|/document|<enclosure", re.I)
_BYTES_HINTS = (b".pdf", b".doc", b".rtf", b".odt", b"pravo.", b"/document", b"<enclosure")


def may_hold_documents(text: str | bytes) -> bool:
    """A cheap first look: could this text, URL or feed body name a document at all?"""
    if isinstance(text, bytes):  # a whole feed: one pass over it lowered, 0.12 ms for
        # 100 KB (a substring test per hint 0.43 ms, a regex 1.3 ms)
        return holds_any(_BYTES_HINTS)(text.lower())
    return _HINT.search(text) is not None


def is_document_link(url: str, content_type: str = "") -> bool:
    """A link that names a document: .pdf/.doc/.docx/.rtf/.odt, an act page of pravo.by or
    publication.pravo.gov.ru, or an enclosure of a document type."""
    path = urlsplit(url).path.lower()
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    return (extension in EXTENSIONS or any(p.match(url) for p in _ACT_PAGES)
            or content_type.split(";")[0].strip().lower() in EXTENSIONS.values())


def sniff(body: bytes, url: str = "", content_type: str = "") -> str:
    """The document's kind from its first bytes ("pdf", "docx", "odt", "doc", "rtf"), else
    from its address or declared type, else "html" for a page or "" when unknown."""
    for signature, kind in _SIGNATURES:
        if body.startswith(signature):
            return kind
    if body.startswith(b"PK\x03\x04"):
        return "odt" if b"opendocument.text" in body[:200] else "docx"
    declared = {v: k for k, v in EXTENSIONS.items()}.get(content_type.split(";")[0].strip())
    if declared:
        return declared
    if body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    path = urlsplit(url).path.lower()
    return path.rsplit(".", 1)[-1] if path.rsplit(".", 1)[-1] in EXTENSIONS else ""
