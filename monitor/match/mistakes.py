"""Words of a query that are probably mistaken operators: refused with a suggestion rather
than silently searched for (``union or council`` would otherwise need all three words)."""

from __future__ import annotations

import re

OPERANDS_END = ("word", "phrase", "rparen")
OPERANDS_START = ("word", "phrase", "lparen", "field")
_SYMBOLS = {"&": "AND", "&&": "AND", "|": "OR", "||": "OR", "!": "NOT", "XOR": "OR",
            "NOR": "OR", "ANDNOT": "AND NOT", "AND_NOT": "AND NOT"}


def operator_mistake(text: str, between_terms: bool) -> str:
    """Why a word of a query is probably a mistaken operator ("" when it is not)."""
    quoted = f'"{text}"'
    if text in _SYMBOLS:
        return (f"{text!r} is not an operator; did you mean {_SYMBOLS[text]}? (write "
                f"{quoted} to search the word)")
    near = re.fullmatch(r"(O?NEAR)\W*(\d*)\w*", text)
    if near:
        distance = near.group(2) or "5"
        return (f"{text!r} is not an operator; did you mean {near.group(1)}/{distance}? "
                "(NEAR takes the most words allowed between, like NEAR/5, or S for the same "
                "sentence: NEAR/S)")
    if between_terms and text.lower() in ("and", "or", "not"):
        return (f"{text!r} between two terms is read as a word; did you mean "
                f"{text.upper()}? Operators are written in capitals (write {quoted} to "
                "search the word)")
    return ""
