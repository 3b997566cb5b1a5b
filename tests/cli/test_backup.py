"""`monitor backup`: a consistent, checked copy of the live database, taken while another
connection is writing; the copy restores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.helpers import Item, rss, run_cli, write_config


def test_backup_copies_what_is_committed_while_a_writer_is_busy(tmp_path: Path,
                                                                httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss([Item("1", "Союзные программы")]))
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "w", "keywords": ["союзные программы"]}])
    run_cli("poll", config=config)
    writer = sqlite3.connect(tmp_path / "monitor.db")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE hits SET title = 'uncommitted'")
    result = run_cli("backup", str(tmp_path / "copy.db"), config=config)
    writer.rollback()
    writer.close()
    assert result.returncode == 0, result.stderr
    assert "1 hits" in result.stdout and "integrity check: ok" in result.stdout
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT title FROM hits").fetchall() == [("Союзные программы",)]
    again = run_cli("backup", str(tmp_path / "copy.db"), config=config)
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli("backup", str(tmp_path / "copy.db"), "--force", config=config).returncode == 0

    # restore as documented: the worker stopped, the copy in the database's place
    for extra in tmp_path.glob("monitor.db-*"):
        extra.unlink()
    shutil.copy(tmp_path / "copy.db", tmp_path / "monitor.db")
    assert "Союзные программы" in run_cli("hits", config=config).stdout


def test_backup_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml")
    run_cli("feeds", config=config)
    result = run_cli("backup", str(tmp_path / "no" / "such" / "dir" / "copy.db"), config=config)
    assert result.returncode == 3 and "cannot write the backup" in result.stderr
    assert "Traceback" not in result.stderr
