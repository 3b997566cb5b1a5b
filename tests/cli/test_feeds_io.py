"""OPML in and out, and adding a feed from a site page, through monitor's own fetcher."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.settings.load import load_config
from monitor.sources.opml import read_opml
from tests.helpers import DATA, Item, rss, run_cli, write_config

EXPORT = DATA / "opml" / "reader-export.opml"


def config_with(tmp_path: Path, feeds: list[dict]) -> Path:
    path = write_config(tmp_path / "monitor.toml", feeds=feeds)
    path.write_text("# my desk's sources, commented\n" + path.read_text("utf-8"), "utf-8")
    return path


def test_a_readers_export_imports_without_duplicates_and_keeps_comments(tmp_path: Path) -> None:
    config = config_with(tmp_path, [{"name": "belta", "url": "http://belta.by/rss"}])
    shown = run_cli("feeds", "import", str(EXPORT), config=config)
    assert shown.returncode == 0 and "2 new feeds, 1 already known" in shown.stderr
    assert 'url = "https://nashaniva.com/rss"' in shown.stdout  # printed, not written
    written = run_cli("feeds", "import", str(EXPORT), "--write", config=config)
    assert "appended to" in written.stderr
    text = config.read_text("utf-8")
    assert text.startswith("# my desk's sources, commented")
    urls = [f.url for f in load_config(config, env={}).feeds]
    assert urls == ["http://belta.by/rss", "https://nashaniva.com/rss",
                    "https://www.kommersant.ru/RSS/news.xml"]
    again = run_cli("feeds", "import", str(EXPORT), config=config)
    assert "0 new feeds, 3 already known" in again.stderr


def test_export_is_opml_that_reads_back(tmp_path: Path) -> None:
    config = config_with(tmp_path, [{"name": "tass-en", "url": "https://tass.com/rss/v2.xml"},
                                    {"name": "belta", "url": "https://www.belta.by/rss"}])
    out = run_cli("feeds", "export", config=config).stdout
    assert [(f.url, f.title) for f in read_opml(out.encode())] == [
        ("https://tass.com/rss/v2.xml", "tass-en"), ("https://www.belta.by/rss", "belta")]


def test_a_broken_opml_file_is_a_clear_error(tmp_path: Path) -> None:
    config = config_with(tmp_path, [])
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline", "utf-8")
    result = run_cli("feeds", "import", str(broken), config=config)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert str(broken) in result.stderr


def test_add_finds_the_feed_a_site_page_advertises(tmp_path: Path,
                                                   httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/news.rss">'
        "</head><body>site</body></html>", content_type="text/html")
    httpserver.expect_request("/news.rss").respond_with_data(rss([Item("1", "x")]))
    config = config_with(tmp_path, [])
    result = run_cli("feeds", "add", httpserver.url_for("/"), "--write", config=config)
    assert result.returncode == 0, result.stderr
    [feed] = tomllib.loads(config.read_text("utf-8"))["feeds"]
    assert feed["url"] == httpserver.url_for("/news.rss")
    nothing = run_cli("feeds", "add", httpserver.url_for("/missing"), config=config)
    assert nothing.returncode == 1 and "no feed found" in nothing.stderr
