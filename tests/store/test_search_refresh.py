"""The search indexes are brought up to date off the poll path: only the rows added since
the last refresh, found by the FTS match afterwards, a hit by any form of its words."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.match.search import search_forms
from monitor.store import Store
from tests.helpers import Item, rss, run_cli, write_config


def test_refresh_indexes_new_rows_once(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(
        rss([Item("1", "Заседание Высшего госсовета перенесли")]))
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "w", "query": "госсовет"}])
    run_cli("poll", config=config)
    store = Store.open(tmp_path / "monitor.db")
    search = ("SELECT h.title FROM hits h JOIN hits_fts ON hits_fts.rowid = h.rowid "
              "WHERE hits_fts MATCH ?")
    assert store.db.execute(search, ["госсовет"]).fetchall() == []  # the poll did not index
    assert store.refresh_search(search_forms) == 2  # the hit and its entry
    assert store.refresh_search(search_forms) == 0
    title = [("Заседание Высшего госсовета перенесли",)]
    assert store.db.execute(search, ["госсовет"]).fetchall() == title  # by its form
    assert store.db.execute(search, ["госсовета"]).fetchall() == title
    forms = store.db.execute("SELECT forms FROM hits").fetchone()[0].split()
    assert {"госсовет", "заседание", "перенести"} <= set(forms)
