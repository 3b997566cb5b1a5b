"""Hits that `rematch` stored without alerts can be alerted later: `rematch --alert` covers
them, and `redeliver --hits` alerts chosen ones; ids that name nothing are errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.helpers import Item, rss, run_cli, write_config

ITEMS = [Item("1", "Тексты союзных программ опубликованы", "Тексты 28 союзных программ."),
         Item("2", "Союзные программы утверждены", "Союзные программы.")]


def setup(tmp_path: Path, feed: HTTPServer, hook: HTTPServer) -> Path:
    feed.expect_request("/feed").respond_with_data(rss(ITEMS))
    hook.expect_request("/hook").respond_with_data("ok")
    feeds = [{"name": "news", "url": feed.url_for("/feed")}]
    notifiers = [{"name": "hook", "type": "webhook", "url": hook.url_for("/hook")}]
    config = write_config(tmp_path / "monitor.toml", feeds=feeds, notifiers=notifiers,
                          watches=[{"name": "w", "keywords": ["nothing"]}])
    run_cli("poll", config=config)
    write_config(config, feeds=feeds, notifiers=notifiers,
                 watches=[{"name": "w", "query": '"союзная программа"'}])
    assert "2 new hits" in run_cli("rematch", config=config).stdout  # stored, not alerted
    return config


def hit_ids(config: Path) -> list[str]:
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        return [r[0] for r in conn.execute("SELECT id FROM hits ORDER BY title")]


def test_rematch_alert_covers_hits_stored_earlier(tmp_path: Path, httpserver: HTTPServer,
                                                  webhook_server: HTTPServer) -> None:
    config = setup(tmp_path, httpserver, webhook_server)
    result = run_cli("rematch", "--alert", config=config)
    assert "0 new hits" in result.stdout and "queued 2 alerts" in result.stdout
    assert "sent=2" in result.stdout and len(webhook_server.log) == 2
    again = run_cli("rematch", "--alert", config=config)
    assert "queued 0 alerts" in again.stdout and len(webhook_server.log) == 2  # never twice


def test_hits_stored_under_older_ids_keep_them(tmp_path: Path, httpserver: HTTPServer,
                                               webhook_server: HTTPServer) -> None:
    """A database from before hit ids began with their entry's row id: its hits are
    found by entry and watch, neither stored again nor alerted under another id."""
    config = setup(tmp_path, httpserver, webhook_server)
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        conn.execute("UPDATE hits SET id = 'hit_older' || rowid")
    result = run_cli("rematch", "--alert", config=config)
    assert "0 new hits" in result.stdout and "queued 2 alerts" in result.stdout
    sent = {json.loads(req.get_data())["hit_id"] for req, _ in webhook_server.log}
    assert sent == set(hit_ids(config)) == {"hit_older1", "hit_older2"}


def test_redeliver_hits_alerts_the_chosen_ones(tmp_path: Path, httpserver: HTTPServer,
                                               webhook_server: HTTPServer) -> None:
    config = setup(tmp_path, httpserver, webhook_server)
    first = hit_ids(config)[0]
    result = run_cli("redeliver", "--hits", first, config=config)
    assert result.returncode == 0 and "queued 1 alert" in result.stdout
    assert "sent=1" in run_cli("poll", config=config).stdout
    assert "queued 0 alerts" in run_cli("redeliver", "--hits", first, config=config).stdout


def test_ids_that_name_nothing_are_errors(tmp_path: Path, httpserver: HTTPServer,
                                          webhook_server: HTTPServer) -> None:
    config = setup(tmp_path, httpserver, webhook_server)
    hit = run_cli("redeliver", "--hits", "hit_nope", config=config)
    assert hit.returncode == 1 and "no hit has the id hit_nope" in hit.stderr
    dlv = run_cli("redeliver", "dlv_nope", config=config)
    assert dlv.returncode == 1 and "no delivery has the id dlv_nope" in dlv.stderr
    both = run_cli("redeliver", "--hits", "--dead", config=config)
    assert both.returncode == 2
