"""The search box reads a query the way the matcher reads words: a word is found in any
of its forms, whichever form was typed.

Datasette makes a search an FTS5 query with its SQL function ``escape_fts`` (each word or
quoted phrase quoted, all of them required). ``monitor serve`` registers a function of
its own under that name, after Datasette's: each single word may also be its dictionary
form, which the hits' ``forms`` column holds for every form of their words, so
"госсовете" searches ``("госсовете" OR "госсовет")``. Phrases stay as typed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from datasette import hookimpl
from datasette.utils import escape_fts

from monitor.match.search import search_forms
from monitor.match.text import WORD_RE

_QUOTED = re.compile(r'"[^"]*"')

Forms = Callable[[str], str]  # a word -> its dictionary form ("" when it has none)


def any_form_query(query: str, forms: Forms) -> str:
    """The FTS5 query for ``query``: Datasette's, each word also in its dictionary form."""
    bits = _QUOTED.findall(escape_fts(query))
    # nothing to search (a lone quote): an empty phrase, which finds nothing, rather than
    # an empty query, which FTS5 refuses (Datasette showed "Invalid SQL")
    return " AND ".join(_any_form(bit, forms) for bit in bits) or '""'


def _any_form(bit: str, forms: Forms) -> str:
    word = bit[1:-1]
    if not WORD_RE.fullmatch(word):
        return bit  # a phrase, or punctuation: as typed
    form = forms(word)
    return f'({bit} OR "{form}")' if form and form != word.casefold() else bit


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so this one is used
def prepare_connection(conn: sqlite3.Connection) -> None:
    """This module is the plugin ``monitor serve`` registers (Datasette's plugins are
    modules)."""
    conn.create_function("escape_fts", 1, _escape, deterministic=True)


def _escape(query: str | None) -> str:
    return any_form_query(query or "", search_forms)
