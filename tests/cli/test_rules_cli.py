"""Rule-author tools through the real CLI: check, test-rule, rematch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.helpers import DATA, Item, pdf_with_text, rss, run_cli, write_config

ITEMS = [Item("1", "Тексты союзных программ опубликованы", "Сегодня тексты 28 союзных "
              "программ опубликованы на сайте."),
         Item("2", "Weather", "Rain in Minsk.")]


def test_check_names_watch_and_column_of_a_bad_query(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml", watches=[
        {"name": "ok", "query": "a OR b"},
        {"name": "broken", "query": '"союзная программа" AND (текст OR'}])
    result = run_cli("check", config=config)
    assert result.returncode == 2
    assert ("watches[1].query: expected a word, a phrase or '(', found the end of the query "
            "at column 34 (watch 'broken')") in result.stderr


def test_check_fails_when_a_watch_disagrees_with_its_examples(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml", watches=[{
        "name": "w", "query": '"союзная программа"',
        "examples.match": ["Утверждены союзные программы", "Программа телепередач"],
        "examples.no_match": ["Союзных программ нет"]}])
    result = run_cli("check", config=config)
    assert result.returncode == 2
    assert "watches[0].examples.match[1]: watch 'w' does not match 'Программа телепередач'" \
        in result.stderr
    assert "watches[0].examples.no_match[0]: watch 'w' matches 'Союзных программ нет'" \
        in result.stderr
    assert "examples.match[0]" not in result.stderr


def test_test_rule_with_text_file_and_invalid_query(tmp_path: Path) -> None:
    ok = run_cli("test-rule", '"союзная программа"', "--text", "Пять союзных программ.")
    assert ok.returncode == 0 and "MATCH" in ok.stdout and "союзных программ" in ok.stdout
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Union <b>programs</b> approved</p></body></html>")
    assert run_cli("test-rule", '"union program"', "--file", str(page)).returncode == 0
    assert run_cli("test-rule", "nothing", "--text", "something").returncode == 1
    bad = run_cli("test-rule", "(a OR", "--text", "a")
    assert bad.returncode == 2 and "column" in bad.stderr and "^" in bad.stderr


def test_test_rule_reads_documents(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A PDF, DOCX, RTF or ODT is tested on its text, with doc: too; a Word 97 file and a
    broken document are clear errors."""
    pdf = tmp_path / "programs.pdf"
    pdf.write_bytes(pdf_with_text("Texts of the 28 Union State programs"))
    for query in ('"union state program"', 'doc:"union state program"'):
        found = run_cli("test-rule", query, "--file", str(pdf))
        assert found.returncode == 0 and "Union State programs" in found.stdout, found.stdout
    rtf = str(DATA / "documents" / "ansicpg1251.rtf")
    assert run_cli("test-rule", "госсовет", "--file", rtf).returncode == 0
    httpserver.expect_request("/a.pdf").respond_with_data(pdf.read_bytes(),
                                                          content_type="application/pdf")
    config = write_config(tmp_path / "monitor.toml")
    by_url = run_cli("test-rule", "union", "--url", httpserver.url_for("/a.pdf"), config=config)
    assert by_url.returncode == 0, by_url.stderr
    for name, body, says in (("old.doc", b"\xd0\xcf\x11\xe0" + bytes(100), "Word 97"),
                             ("torn.pdf", b"%PDF-1.4 torn", "cannot read this PDF")):
        (tmp_path / name).write_bytes(body)
        failed = run_cli("test-rule", "union", "--file", str(tmp_path / name))
        assert failed.returncode == 2 and says in failed.stderr, failed.stderr
        assert "Traceback" not in failed.stderr


def test_test_rule_over_a_url_and_stored_feed(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss(ITEMS))
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "news", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "w", "keywords": ["weather"]}])
    by_url = run_cli("test-rule", "союзн*", "--url", httpserver.url_for("/feed"), config=config)
    assert by_url.returncode == 0 and "1 of 2 entries match" in by_url.stdout
    run_cli("poll", config=config)
    stored = run_cli("test-rule", "rain", "--feed", "news", config=config)
    assert stored.returncode == 0 and "1 of 2 entries match" in stored.stdout


def test_rematch_records_hits_a_new_rule_would_have_made(tmp_path: Path,
                                                         httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss(ITEMS))
    feeds = [{"name": "news", "url": httpserver.url_for("/feed")}]
    config = write_config(tmp_path / "monitor.toml", feeds=feeds,
                          watches=[{"name": "w", "keywords": ["nothing"]}])
    run_cli("poll", config=config)
    write_config(config, feeds=feeds, watches=[{"name": "w", "query": '"союзная программа"'}])
    first = run_cli("rematch", config=config)
    assert first.returncode == 0 and "1 new hit" in first.stdout
    assert "0 new hits" in run_cli("rematch", config=config).stdout  # never twice
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        assert conn.execute("SELECT count(*) FROM hits").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM deliveries").fetchone() == (0,)


def test_examples_of_a_watch_limited_to_some_feeds_are_checked_by_rule(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "tass-en", "url": "https://tass.com/rss/v2.xml"}],
                          watches=[{"name": "w", "query": '"supreme state council"',
                                    "feeds": ["tass-en"],
                                    "examples.match": ["Supreme State Council to meet"],
                                    "examples.no_match": ["State Duma to meet"]}])
    result = run_cli("check", config=config)
    assert result.returncode == 0, result.stderr


def test_check_flags_words_that_look_like_operators(tmp_path: Path) -> None:
    config = write_config(tmp_path / "monitor.toml", watches=[
        {"name": "lower", "query": "союзная программа or текст"},
        {"name": "xor", "query": "union XOR council"},
        {"name": "near", "query": "union NEAR5 program"}])
    result = run_cli("check", config=config)
    assert result.returncode == 2
    assert "watches[0].query: 'or' between two terms is read as a word; did you mean OR?" \
        in result.stderr
    assert "watches[1].query: 'XOR' is not an operator; did you mean OR?" in result.stderr
    assert "watches[2].query: 'NEAR5' is not an operator; did you mean NEAR/5?" in result.stderr
