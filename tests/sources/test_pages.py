"""Pages without feeds: the links a selector finds become entries; the first poll records
them without alerting; a new link is news; navigation, header and footer never count."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.models import PageRule
from monitor.sources.page import parse_page
from tests.helpers import DATA, run_cli, write_config

PAGE = (DATA / "pages" / "documents.html").read_text(encoding="utf-8")
NEW = ('<li class="doc"><span class="date">29.11.2024</span> <a href="/documents/28-programs.pdf">'
       'Тексты 28 союзных программ</a></li>')
RULE = {"links": "ul.documents li", "title": "a", "date": ".date"}


def test_a_page_gives_its_item_links_and_nothing_from_nav_header_or_footer() -> None:
    parsed = parse_page(PAGE.replace("<!--ITEMS-->", NEW).encode(), {},
                        "https://soyuz.example/documents/",
                        PageRule("ul.documents li", "a", ".date"))
    assert [(e.url, e.title, e.published) for e in parsed.entries] == [
        ("https://soyuz.example/documents/28-programs.pdf", "Тексты 28 союзных программ",
         "2024-11-29T00:00:00Z"),
        ("https://soyuz.example/documents/main-directions.html",
         "Основные направления реализации положений Договора о создании Союзного государства",
         "2021-09-10T00:00:00Z")]
    assert parsed.entries[0].documents == ("https://soyuz.example/documents/28-programs.pdf",)
    everything = parse_page(PAGE.encode(), {}, "https://soyuz.example/", PageRule("a"))
    assert all("contacts" not in e.url and "programs.pdf" not in e.url and
               e.url != "https://soyuz.example/" for e in everything.entries)


def test_a_selector_that_finds_nothing_is_a_recorded_error() -> None:
    parsed = parse_page(PAGE.encode(), {}, "https://soyuz.example/", PageRule("ul.missing a"))
    assert parsed.entries == () and "found no links" in (parsed.error or "")


@pytest.fixture
def config(tmp_path: Path, httpserver: HTTPServer, webhook_server: HTTPServer) -> Path:
    httpserver.expect_request("/documents/").respond_with_data(
        PAGE, content_type="text/html; charset=utf-8")
    webhook_server.expect_request("/hook").respond_with_data("ok")
    return _write(tmp_path, httpserver, webhook_server)


def _write(tmp_path: Path, httpserver: HTTPServer, webhook_server: HTTPServer) -> Path:
    path = write_config(
        tmp_path / "monitor.toml",
        watches=[{"name": "texts", "query": '"союзная программа" OR "основные направления"'}],
        notifiers=[{"name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook")}])
    page = "\n".join(f'{k} = "{v}"' for k, v in {
        "name": "soyuz-docs", "url": httpserver.url_for("/documents/"), **RULE}.items())
    path.write_text(path.read_text(encoding="utf-8") + f"\n[[pages]]\n{page}\n", "utf-8")
    return path


def test_first_poll_records_then_a_new_link_alerts_once(config: Path, httpserver: HTTPServer,
                                                        webhook_server: HTTPServer) -> None:
    assert "new=1" in run_cli("poll", config=config).stdout
    assert webhook_server.log == []  # the links already there are not news
    httpserver.clear()
    httpserver.expect_request("/documents/").respond_with_data(
        PAGE.replace("<!--ITEMS-->", NEW), content_type="text/html; charset=utf-8")
    assert "new=1" in run_cli("poll", config=config).stdout
    assert "new=0" in run_cli("poll", config=config).stdout
    [(request, _)] = webhook_server.log
    assert b"28-programs.pdf" in request.get_data()
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (2,)


def test_check_refuses_a_bad_selector(tmp_path: Path) -> None:
    path = write_config(tmp_path / "monitor.toml")
    path.write_text(path.read_text(encoding="utf-8") + '\n[[pages]]\nname = "p"\n'
                    'url = "https://example.org/"\nlinks = "ul >> a"\n', "utf-8")
    result = run_cli("check", "--no-connect", config=path)
    assert result.returncode == 2 and "pages[0].links: 'ul >> a' is not a CSS selector" \
        in result.stderr
