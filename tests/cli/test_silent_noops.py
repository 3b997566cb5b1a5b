"""What used to do nothing silently now says so and exits non-zero; hits can be filtered by
publication time; --json gives matched_terms as a list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers import Item, rss, run_cli, write_config

ITEMS = [Item("old", "Союзные программы в 2021 году", "союзные программы"),
         Item("new", "Союзные программы в 2025 году", "союзные программы",
              pub_date="Mon, 10 Mar 2025 12:00:00 +0000")]


@pytest.fixture
def config(tmp_path: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/feed").respond_with_data(rss(ITEMS))
    path = write_config(tmp_path / "monitor.toml",
                        feeds=[{"name": "news", "url": httpserver.url_for("/feed")}],
                        watches=[{"name": "union", "keywords": ["союзные программы"]}])
    run_cli("poll", config=path)
    return path


def test_an_unknown_watch_in_hits_is_an_error(config: Path) -> None:
    result = run_cli("hits", "--watch", "union-programs", config=config)
    assert result.returncode == 2
    assert "--watch: no watch is named 'union-programs'; known: union" in result.stderr


def test_an_unknown_feed_in_test_rule_is_an_error(config: Path) -> None:
    result = run_cli("test-rule", "союзная программа", "--feed", "tass", config=config)
    assert result.returncode == 2
    assert "--feed: no feed is named 'tass'; known: news" in result.stderr


def test_a_feed_url_with_a_space_is_a_config_error(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "f", "url": "https://example.org/rss feed"}])
    result = run_cli("check", "--no-connect", config=config)
    assert result.returncode == 2 and "feeds[0].url:" in result.stderr


def test_published_since_filters_by_publication_and_since_by_match_time(config: Path) -> None:
    published = run_cli("hits", "--published-since", "2025-01-01", "--json", config=config)
    assert [h["title"] for h in json.loads(published.stdout)] == ["Союзные программы в 2025 году"]
    matched = json.loads(run_cli("hits", "--since", "2025-01-01", "--json", config=config).stdout)
    assert len(matched) == 2  # both were found by monitor today


def test_json_matched_terms_is_a_list(config: Path) -> None:
    [first, _] = json.loads(run_cli("hits", "--json", config=config).stdout)
    assert isinstance(first["matched_terms"], list)
    assert "Союзные программы" in first["matched_terms"]


def test_healthcheck_exit_codes_are_the_documented_ones(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `monitor healthcheck"))
    assert "else 1; 2 when the config is unusable; 3 when the database" in row
    broken = tmp_path / "monitor.toml"
    broken.write_text("[monitor\n", encoding="utf-8")
    assert run_cli("healthcheck", config=broken).returncode == 2
    fresh = write_config(tmp_path / "fresh.toml")
    assert run_cli("healthcheck", config=fresh).returncode == 1  # no cycle finished yet
