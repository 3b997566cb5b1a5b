"""Refuse XML entity declarations that can explode or reach out, before any parser runs.

Allowed: a few internal entities with plain replacement text, and external or parameter
declarations (the XHTML entity sets many feeds declare), which are never fetched: nothing
here resolves them, and feedparser strips the DOCTYPE. Refused: entities whose text
refers to other entities (the billion-laughs shape), and declarations whose total
expansion would exceed 1 MB (the quadratic-blowup shape that feedparser's loose parser
expands).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from monitor.sources.bytescan import found_in

MAX_EXPANSION = 1_000_000
MAX_DECLARATIONS = 50
_DECLARATION = re.compile(rb"""<!ENTITY\s+(%\s*)?([^\s"']+)\s+(?:"([^"]*)"|'([^']*)'|(\S+))""")
MARKS = (b"<!ENTITY", b"\x00")  # what it looks for first
_WIDE = ("<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


def entity_refusal(body: bytes, seen: Collection[bytes] | None = None) -> str:
    """Why the document must not be parsed, or "" when it is safe. ``seen``: which of
    ``MARKS`` the body holds, when that is known (``bytescan.found_in``)."""
    seen = found_in(MARKS)(body) if seen is None else seen
    if b"<!ENTITY" not in seen:
        wide = b"\x00" in seen and any(w in body for w in _WIDE)  # UTF-16 has NULs
        return _refuse("in UTF-16") if wide else ""
    declarations = _DECLARATION.findall(body)
    if len(declarations) > MAX_DECLARATIONS or body.count(b"<!ENTITY") != len(declarations):
        return _refuse("too many or unreadable")
    expansion = 0
    for percent, name, double, single, _external in declarations:
        value = double or single
        if percent or _external:
            continue  # never fetched, never expanded
        if b"&" in value or b"%" in value:
            return _refuse("nested")
        expansion += len(value) * body.count(b"&" + name + b";")
    return _refuse("expanding to more than 1 MB") if expansion > MAX_EXPANSION else ""


def _refuse(what: str) -> str:
    return (f"refused: the document declares XML entities ({what}), the shape of "
            "entity-expansion attacks; ask the publisher for a plain feed")
