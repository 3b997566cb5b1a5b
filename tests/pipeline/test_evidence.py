"""Evidence through local servers: a documents page that gains a PDF gives one alert naming
it, archived with the served file's SHA-256; a PDF enclosure and a DOCX linked from a
full-text article are recorded; a full-text feed hits on the article's words."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.helpers import (
    DATA,
    Item,
    docx_with_text,
    odt_with,
    pdf_with_text,
    rss,
    run_cli,
    write_config,
)

PAGE = (DATA / "pages" / "documents.html").read_text(encoding="utf-8")
PDF = pdf_with_text("Texts of the 28 Union State programs, approved in Moscow")
DOCX = docx_with_text("Тексты 28 союзных программ Союзного государства")
NEW = ('<li class="doc"><span class="date">29.11.2024</span> '
       '<a href="/files/28-programs.pdf">Тексты 28 союзных программ</a></li>')


def rows(config: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        return conn.execute(sql).fetchall()


def page_config(tmp_path: Path, httpserver: HTTPServer, hook: HTTPServer) -> Path:
    path = write_config(
        tmp_path / "monitor.toml",
        watches=[{"name": "texts", "query": '"союзная программа"', "require": "document"}],
        notifiers=[{"name": "hook", "type": "webhook", "url": hook.url_for("/hook")}])
    path.write_text(path.read_text("utf-8") + '\n[[pages]]\nname = "docs"\n'
                    f'url = "{httpserver.url_for("/documents/")}"\nlinks = "ul.documents li"\n'
                    'title = "a"\ndate = ".date"\n', "utf-8")
    return path


def test_a_page_gains_a_pdf_one_alert_names_it_archived_by_sha256(
        tmp_path: Path, httpserver: HTTPServer, webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("ok")
    httpserver.expect_request("/documents/").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/files/28-programs.pdf").respond_with_data(
        PDF, content_type="application/pdf")
    config = page_config(tmp_path, httpserver, webhook_server)
    run_cli("poll", config=config)  # the first poll records what is there
    httpserver.clear()
    httpserver.expect_request("/documents/").respond_with_data(
        PAGE.replace("<!--ITEMS-->", NEW), content_type="text/html")
    httpserver.expect_request("/files/28-programs.pdf").respond_with_data(
        PDF, content_type="application/pdf")
    run_cli("poll", config=config)
    run_cli("poll", config=config)  # nothing new the second time
    [(request, _)] = webhook_server.log
    payload = json.loads(request.get_data())
    sha = hashlib.sha256(PDF).hexdigest()
    assert payload["documents"] == [{"url": httpserver.url_for("/files/28-programs.pdf"),
                                     "content_type": "application/pdf", "size": len(PDF),
                                     "sha256": sha}]
    archived = tmp_path / "documents" / f"{sha}.pdf"
    assert hashlib.sha256(archived.read_bytes()).hexdigest() == sha
    assert rows(config, "SELECT kind, sha256, path FROM documents") == [
        ("pdf", sha, str(archived))]
    listed = json.loads(run_cli("documents", "--json", config=config).stdout)
    assert [d["sha256"] for d in listed] == [sha] and listed[0]["text_chars"] > 40
    shown = run_cli("documents", config=config).stdout
    assert f"sha256 {sha}, text: {listed[0]['text_chars']:,} characters" in shown
    assert [r.path for r, _ in httpserver.log].count("/files/28-programs.pdf") == 1


def test_an_enclosure_and_a_docx_in_a_full_text_article_are_recorded(
        tmp_path: Path, httpserver: HTTPServer) -> None:
    article = ('<html><body><nav><a href="/files/menu.docx">menu</a></nav><article>'
               "<h1>Союзные программы</h1><p>" + "Правительства утвердили тексты программ. " * 20
               + '</p><p><a href="/files/programs.docx">Тексты программ (DOCX)</a></p>'
               "</article></body></html>")
    feed = rss([Item("a", "Опубликованы программы", "Кратко.",
                     link=httpserver.url_for("/news/a"))]).replace(
        b"</item>", b'<enclosure url="' + httpserver.url_for("/files/a.pdf").encode()
        + b'" type="application/pdf" length="1"/></item>', 1)
    httpserver.expect_request("/feed").respond_with_data(feed)
    httpserver.expect_request("/news/a").respond_with_data(article, content_type="text/html")
    httpserver.expect_request("/files/a.pdf").respond_with_data(PDF)
    httpserver.expect_request("/files/programs.docx").respond_with_data(DOCX)
    config = write_config(tmp_path / "monitor.toml", feeds=[
        {"name": "news", "url": httpserver.url_for("/feed"), "full_text": True}],
        watches=[{"name": "docs", "query": 'doc:"союзная программа" OR doc:"union state"'}])
    run_cli("poll", config=config)
    assert sorted(rows(config, "SELECT kind, url FROM documents")) == [
        ("docx", httpserver.url_for("/files/programs.docx")),
        ("pdf", httpserver.url_for("/files/a.pdf"))]
    assert rows(config, "SELECT watch FROM hits") == [("docs",)]  # matched in the documents


def test_rematch_and_test_rule_read_the_stored_documents(tmp_path: Path,
                                                        httpserver: HTTPServer) -> None:
    """A `doc:` watch written after the documents were archived finds what they say."""
    feed = rss([Item("a", "Опубликованы программы", "Кратко.")]).replace(
        b"</item>", b'<enclosure url="' + httpserver.url_for("/files/a.pdf").encode()
        + b'" type="application/pdf" length="1"/></item>', 1)
    httpserver.expect_request("/feed").respond_with_data(feed)
    httpserver.expect_request("/files/a.pdf").respond_with_data(PDF)
    feeds = [{"name": "news", "url": httpserver.url_for("/feed")}]
    config = write_config(tmp_path / "monitor.toml", feeds=feeds,
                          watches=[{"name": "w", "keywords": ["nothing"]}])
    run_cli("poll", config=config)
    query = 'doc:"union state"'
    write_config(config, feeds=feeds,
                 watches=[{"name": "texts", "query": query, "require": "document"}])
    tested = run_cli("test-rule", query, "--feed", "news", config=config)
    assert tested.returncode == 0 and "Union State" in tested.stdout, tested.stdout
    assert "1 new hit" in run_cli("rematch", config=config).stdout
    [(snippet,)] = rows(config, "SELECT snippet FROM hits WHERE watch = 'texts'")
    assert "Union State programs" in snippet


def test_rtf_and_odt_documents_are_read_and_matched(tmp_path: Path,
                                                   httpserver: HTTPServer) -> None:
    rtf = (DATA / "documents" / "ansicpg1251.rtf").read_bytes()
    odt = odt_with("<text:p>Тексты союзных программ Союзного государства</text:p>")
    links = [httpserver.url_for(f"/files/{name}") for name in ("a.rtf", "b.odt", "c.doc")]
    httpserver.expect_request("/feed").respond_with_data(rss(
        [Item(k, f"Документ {k}", f'<a href="{link}">Текст</a>') for k, link in zip(
            "abc", links, strict=True)]))
    httpserver.expect_request("/files/a.rtf").respond_with_data(rtf)
    httpserver.expect_request("/files/b.odt").respond_with_data(odt)
    httpserver.expect_request("/files/c.doc").respond_with_data(b"\xd0\xcf\x11\xe0" + bytes(60))
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "news", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "texts", "query": 'doc:"союзная программа"'}])
    run_cli("poll", config=config)
    assert sorted(rows(config, "SELECT kind, url FROM documents")) == [
        ("doc", links[2]), ("odt", links[1]), ("rtf", links[0])]
    assert sorted(rows(config, "SELECT snippet FROM hits")) == [
        ("Тексты 28 союзных программ опубликованы.",),
        ("Тексты союзных программ Союзного государства",)]
    shown = run_cli("documents", config=config).stdout
    assert "no text read (a Word 97 file: doc: cannot match it)" in shown
    assert shown.count(", text: ") == 2


def test_a_full_text_feed_hits_on_the_article_not_the_summary(tmp_path: Path,
                                                              httpserver: HTTPServer) -> None:
    body = "Лукашенко и Путин обсудили экономику. " * 10
    article = (f"<html><body><article><h1>Встреча</h1><p>{body}</p><p>Тексты 28 союзных "
               f"программ опубликуют в декабре.</p><p>{body}</p></article></body></html>")
    httpserver.expect_request("/feed").respond_with_data(
        rss([Item("a", "Встреча в Минске", "Президенты встретились.",
                  link=httpserver.url_for("/news/a"))]))
    httpserver.expect_request("/news/a").respond_with_data(article, content_type="text/html")
    feeds = [{"name": "news", "url": httpserver.url_for("/feed"), "full_text": True}]
    config = write_config(tmp_path / "monitor.toml", feeds=feeds,
                          watches=[{"name": "texts", "query": '"союзная программа"'}])
    run_cli("poll", config=config)
    [(snippet,)] = rows(config, "SELECT snippet FROM hits")
    assert "союзных программ" in snippet


def test_the_email_lists_each_document_with_type_size_link_and_sha256() -> None:
    from monitor.models import Alert
    from monitor.notify import render

    docs = json.dumps([{"url": "https://soyuz.example/files/28-programs.pdf",
                        "content_type": "application/pdf", "size": 123456, "sha256": "ab" * 32}])
    alert = Alert("dlv_1", "hit_1", "desk", "texts", "docs", "Тексты 28 союзных программ",
                  "https://soyuz.example/files/28-programs.pdf", None, "2024-11-29T00:00:00Z",
                  ("союзных программ",), "Тексты 28 союзных программ", documents=docs)
    text = render.text_body(alert)
    assert "Document:  28-programs.pdf (application/pdf, 123,456 bytes)" in text
    assert "sha256 " + "ab" * 32 in text
    assert 'href="https://soyuz.example/files/28-programs.pdf"' in render.html_body(alert)
