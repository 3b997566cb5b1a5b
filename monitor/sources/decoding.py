"""Bounded reading of an HTTP body: raw bytes, at most one content-encoding, capped output.

HTTP clients decode each chunk whole (with httpx, a 1.8 KB ``gzip, gzip`` body became
1 GiB in one chunk), so monitor reads the raw stream (``auto_decompress=False``) and
decompresses with ``max_length``: memory stays near the cap whatever the server sends.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator

from monitor.errors import FetchError

IDENTITY = ("", "identity")


def decoder_for(header: str) -> zlib._Decompress | None:
    """A decompressor for the Content-Encoding header, None for identity."""
    codings = [c.strip().lower() for c in header.split(",") if c.strip().lower() not in IDENTITY]
    if len(codings) > 1:
        raise FetchError(f"the server stacked content encodings ({header}); monitor decodes "
                         "at most one", permanent=False)
    if not codings:
        return None
    if codings[0] in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if codings[0] == "deflate":
        return zlib.decompressobj()
    raise FetchError(f"unsupported content encoding {codings[0]!r} (monitor asks for gzip "
                     "or deflate)")


async def read_body(chunks: AsyncIterator[bytes], encoding: str, limit: int) -> bytes:
    """The decoded body; FetchError when it (wire or decoded) exceeds ``limit`` bytes."""
    decoder = decoder_for(encoding)
    out: list[bytes] = []
    wire = size = 0
    async for chunk in chunks:
        wire += len(chunk)
        if wire > limit:
            raise _too_big(limit)
        piece = chunk if decoder is None else _inflate(decoder, chunk, limit - size)
        size += len(piece)
        out.append(piece)
    if decoder is not None:
        out.append(decoder.flush(limit - size + 1))
        size += len(out[-1])
    if size > limit:
        raise _too_big(limit)
    return b"".join(out)


def _inflate(decoder: zlib._Decompress, chunk: bytes, room: int) -> bytes:
    try:
        piece = decoder.decompress(chunk, room + 1)
    except zlib.error as exc:
        raise FetchError(f"the compressed body is corrupt ({exc})") from None
    if len(piece) > room or decoder.unconsumed_tail:
        raise FetchError("the body decompresses to more than max_body_size; refused "
                         "(a compression bomb?)")
    return piece


def _too_big(limit: int) -> FetchError:
    return FetchError(f"the body is larger than max_body_size ({limit:,} bytes)")


_CHARSET = re.compile(r"charset=[\"']?([\w-]+)", re.I)


def declared_charset(headers: dict[str, str], body: bytes = b"") -> str | None:
    """The charset an HTML page declares: its Content-Type header, else a <meta> tag in its
    first 4 KB; None when neither says."""
    found = header_charset(headers)
    if found is None:
        meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
        return meta[1].decode("ascii") if meta else None
    return found


def header_charset(headers: dict[str, str]) -> str | None:
    """The charset the Content-Type header names, if it names one."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    found = _CHARSET.search(content_type)
    return found[1] if found else None
