"""The plain text of an RTF document (in the parse workers): its paragraphs, with bytes
read in their font's code page (``\\fcharset``; else the document's ``\\ansicpg``), ``\\uN``
characters without their fallbacks, and without the groups that hold no text (font,
colour and style tables, pictures, field instructions, ``\\*`` destinations)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])"
                    rb"|[\r\n]+|([^\\{}\r\n]+)", re.S)
# groups whose words are not the document's text
_HIDDEN = frozenset(b"""colortbl stylesheet info pict header headerl headerr headerf footer
    footerl footerr footerf listtable listoverridetable revtbl rsidtbl generator xmlnstbl
    themedata colorschememapping datastore latentstyles object objdata fldinst filetbl
    bkmkstart bkmkend shppict nonshppict private mmathPr""".split())
_CHARACTERS = {b"par": "\n", b"line": "\n", b"sect": "\n", b"page": "\n", b"row": "\n",
               b"cell": " ", b"tab": "\t", b"emdash": "—", b"endash": "–", b"bullet": "•",
               b"lquote": "‘", b"rquote": "’", b"ldblquote": "“", b"rdblquote": "”"}
_SYMBOLS = {b"~": " ", b"-": "", b"_": "-", b"\\": "\\", b"{": "{", b"}": "}",
            b"\n": "\n", b"\r": "\n"}
# \fcharset numbers -> code pages (0, the default, means the document's \ansicpg)
_CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 134: "gbk", 136: "big5",
             161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256",
             186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250"}


@dataclass(frozen=True)
class _Group:
    hidden: bool = False
    fonts: bool = False  # inside the font table: \fN \fcharsetM define fonts
    font: int = -1
    skip: int = 1  # \ucN: how many fallback characters follow each \uN


class _Reader:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.size = 0  # characters out so far (the caller stops at its limit)
        self.pending = bytearray()  # \'hh bytes, decoded together (multi-byte code pages)
        self.codepage = "cp1252"
        self.charsets: dict[int, str] = {}
        self.defining = -1  # the font the font table is defining
        self.default_font = -1  # \deffN
        self.fallback = 0  # fallback characters still to drop after a \uN

    def text(self, group: _Group, chunk: str) -> None:
        """Characters (a \\uN, a symbol); they end a \\uN's fallback."""
        self.fallback = 0
        if not group.hidden and not group.fonts:
            self.flush(group)
            self.out.append(chunk)
            self.size += len(chunk)

    def raw(self, group: _Group, chunk: bytes) -> None:
        """Bytes in the font's code page (text, \\'hh), less a \\uN's fallback."""
        if self.fallback:
            dropped = min(self.fallback, len(chunk))
            chunk, self.fallback = chunk[dropped:], self.fallback - dropped
        if not group.hidden and not group.fonts:
            self.pending += chunk

    def flush(self, group: _Group) -> None:
        if self.pending:
            font = group.font if group.font >= 0 else self.default_font
            codepage = self.charsets.get(font, self.codepage)
            self.out.append(bytes(self.pending).decode(codepage, "replace"))
            self.size += len(self.pending)
            self.pending.clear()

    def control(self, group: _Group, word: bytes, number: int | None) -> _Group:
        """The group's state after a control word (and any text it stands for)."""
        if word == b"u" and number is not None:
            self.text(group, chr(number % 0x10000))
            self.fallback = group.skip
        elif word in _CHARACTERS:
            self.text(group, _CHARACTERS[word])
        elif word == b"uc" and number is not None:
            return replace(group, skip=max(number, 0))
        elif word == b"ansicpg" and number:
            self.codepage = _codepage(number)
        elif word == b"deff" and number is not None:
            self.default_font = number
        elif word in _HIDDEN:
            return replace(group, hidden=True)
        elif word == b"fonttbl":
            return replace(group, fonts=True)
        elif word == b"f" and number is not None:
            self.defining = number
            return group if group.fonts else replace(group, font=number)
        elif word == b"fcharset" and group.fonts and number in _CHARSETS:
            self.charsets[self.defining] = _CHARSETS[number]
        return group


def _codepage(number: int) -> str:
    """``cpN`` when Python knows it, else Windows' Western one."""
    try:
        return codecs.lookup(f"cp{number}").name
    except LookupError:
        return "cp1252"


def rtf_text(body: bytes, limit: int) -> str:
    """The text of an RTF document, up to about ``limit`` characters."""
    reader, stack, group, pos = _Reader(), [], _Group(), 0
    while pos < len(body) and reader.size < limit:
        token = _TOKEN.match(body, pos)
        if token is None:  # a lone backslash at the end
            break
        pos = token.end()
        word, number, hexa, symbol, brace, plain = token.groups()
        if hexa is not None or plain is not None:
            reader.raw(group, bytes([int(hexa, 16)]) if hexa is not None else plain)
            continue
        reader.flush(group)
        if brace == b"{":
            stack.append(group)
        elif brace == b"}":
            group = stack.pop() if stack else group
        elif symbol == b"*":
            group = replace(group, hidden=True)
        elif symbol is not None:
            reader.text(group, _SYMBOLS.get(symbol, ""))
        elif word == b"bin" and number:
            pos += max(int(number), 0)
        elif word is not None:
            group = reader.control(group, word, int(number) if number else None)
    reader.flush(group)
    return "".join(reader.out)
