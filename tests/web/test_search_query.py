"""The query `monitor serve` runs for what is typed in Datasette's search box: each word
also in its dictionary form (the forms the hits' `forms` column holds), phrases as typed.
The real Datasette serving it is in tests/cli/test_serve.py."""

from __future__ import annotations

import sqlite3

import pytest

from monitor.match.search import search_forms
from monitor.web.search import any_form_query, prepare_connection
from tests.helpers import data_rows

CASES = [(row[0], row[1]) for row in data_rows("search_queries.tsv")]


@pytest.mark.parametrize(("typed", "fts"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_the_query_for_what_is_typed(typed: str, fts: str) -> None:
    assert any_form_query(typed, search_forms) == fts


def test_fts5_runs_it_and_finds_every_form() -> None:
    conn = sqlite3.connect(":memory:")
    prepare_connection(conn)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, forms)")
    conn.execute("INSERT INTO t VALUES ('Заседание Высшего госсовета', 'заседание высокий "
                 "госсовет')")
    found = [conn.execute("SELECT count(*) FROM t WHERE t MATCH escape_fts(?)",
                          [typed]).fetchone()[0] for typed in
             ("госсовете", "Высшем госсовете", "госсовета", "госсоветы совета", '"а б"',
              '"')]
    assert found == [1, 1, 1, 0, 0, 0]  # a lone quote finds nothing, and is no error
