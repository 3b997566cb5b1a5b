"""`monitor stats`, Prometheus metrics of `monitor run --metrics-port`, and the progress
bar of `monitor poll` on a terminal."""

from __future__ import annotations

import io
import json
import urllib.request
from pathlib import Path

from pytest_httpserver import HTTPServer
from rich.console import Console

from monitor.cli.progress import PollProgress
from monitor.models import PollSummary
from monitor.pipeline import CYCLE_FINISHED_KEY
from monitor.store import Store
from monitor.web.metrics import StatsCollector, serve_metrics
from tests.conftest import free_port
from tests.helpers import Item, rss, run_cli, write_config


def filled(tmp_path: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/feed").respond_with_data(
        rss([Item("1", "Союзные программы"), Item("2", "Погода")]))
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "f", "url": httpserver.url_for("/feed")},
                                 {"name": "g", "url": httpserver.url_for("/gone")}],
                          watches=[{"name": "w", "keywords": ["союзные программы"]}])
    run_cli("poll", config=config)
    return config


def test_stats_text_and_json(tmp_path: Path, httpserver: HTTPServer) -> None:
    config = filled(tmp_path, httpserver)
    numbers = json.loads(run_cli("stats", "--json", config=config).stdout)
    assert numbers["feeds_by_status"] == {"ok": 1, "error": 1}
    assert numbers["totals"] == {"entries": 2, "hits": 1}
    assert sum(numbers["hits_per_day"].values()) == 1
    assert {r["name"] for r in numbers["slowest_feeds"]} == {"f", "g"}
    text = run_cli("stats", config=config).stdout
    assert "feeds: " in text and "hits: 1" in text and "slowest feeds: " in text


def test_metrics_are_served_in_prometheus_text(tmp_path: Path, httpserver: HTTPServer) -> None:
    config = filled(tmp_path, httpserver)
    port = free_port()
    serve_metrics(port, StatsCollector(lambda: Store.open_readonly(
        config.parent / "monitor.db"), CYCLE_FINISHED_KEY))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
        text = response.read().decode()
    assert 'monitor_feeds{status="error"} 1.0' in text
    assert "monitor_hits_total 1.0" in text and "monitor_last_cycle_age_seconds" in text


def test_the_progress_bar_counts_feeds_new_entries_hits_and_errors() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with PollProgress(2, console) as update:
        update(PollSummary("f", "ok", new_entries=3, hits=1))
        update(PollSummary("g", "error", error="HTTP 404"))
    assert "new 3  hits 1  errors 1" in out.getvalue() and "2/2" in out.getvalue()
