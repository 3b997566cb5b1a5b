"""A damaged database is named as such, with how to check and recover it (exit 3, no
traceback), and healthcheck fails on it; the reading commands work on a database file and
directory monitor cannot write to."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers import Item, rss, run_cli, write_config

ITEM = Item("u1", "Союзные программы опубликованы", "Тексты союзных программ опубликованы.")


@pytest.fixture
def config(tmp_path: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/feed").respond_with_data(rss([ITEM]))
    path = write_config(tmp_path / "monitor.toml",
                        feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                        watches=[{"name": "w", "keywords": ["союзные программы"]}])
    assert run_cli("poll", config=path).returncode == 0
    return path


DAMAGING = {
    "not a database": lambda data: b"this is not an SQLite file at all" * 200,
    "malformed": lambda data: data[:4096] + b"\xff" * (len(data) - 4096),
}


@pytest.mark.parametrize("damage", sorted(DAMAGING))
@pytest.mark.parametrize("command", [["feeds"], ["hits"], ["deliveries"], ["rematch"],
                                     ["healthcheck"], ["poll"]])
def test_a_damaged_database_is_named_with_the_way_to_recover(config: Path, damage: str,
                                                              command: list[str]) -> None:
    db = config.parent / "monitor.db"
    with sqlite3.connect(db) as conn:  # everything into the main file, the WAL emptied
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.write_bytes(DAMAGING[damage](db.read_bytes()))
    result = run_cli(*command, config=config)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "the database file is damaged" in result.stderr
    assert "PRAGMA integrity_check" in result.stderr and ".recover" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and directories unwritable, even for root (the immutable attribute)."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a directory read-only")
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def test_reading_commands_work_on_a_read_only_database(config: Path) -> None:
    """A copy of the database (a backup, a volume mounted read-only): no WAL files beside
    it, and none can be made."""
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = config.parent / "backup"
    copy.mkdir()
    shutil.copy(config.parent / "monitor.db", copy / "monitor.db")
    with read_only(copy, copy / "monitor.db"):
        for command in (["hits"], ["hits", "--json"], ["feeds"], ["deliveries"]):
            result = run_cli("--db", str(copy / "monitor.db"), *command, config=config)
            assert result.returncode == 0, (command, result.stderr)
            assert result.stdout.strip()
        hits = run_cli("--db", str(copy / "monitor.db"), "hits", config=config).stdout
        assert "Союзные программы опубликованы" in hits
    assert sorted(p.name for p in copy.iterdir()) == ["monitor.db"]
