"""``concurrency`` and ``host_concurrency`` count feeds being fetched: a fetched feed that
is still being parsed, matched or followed to its articles holds no fetch slot, so it
never holds up the fetches of the others (in a 10%-changed cycle the changed feeds waited
for the parse workers to start while holding every slot, and the unchanged ones queued)."""

from __future__ import annotations

import threading
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.helpers import Item, rss, run_cli, write_config


def test_a_feed_busy_after_its_fetch_does_not_hold_its_fetch_slot(tmp_path: Path) -> None:
    other_fetched = threading.Event()
    article_waited: list[bool] = []

    def other_feed(request: Request) -> Response:
        other_fetched.set()
        return Response(rss([Item("b1", "Другая лента")]), content_type="application/rss+xml")

    def article(request: Request) -> Response:
        # the first feed is past its fetch: answer once the other feed has been fetched
        # (before the fetch timeout: a feed holding its slot would hold the other back)
        article_waited.append(other_fetched.wait(20))
        return Response("<html><body><article><p>Текст статьи о союзных программах."
                        "</p></article></body></html>", content_type="text/html")

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()  # (its port is known from here on)
    server.expect_request("/a").respond_with_data(
        rss([Item("a1", "Союзные программы", link=server.url_for("/article"))]),
        content_type="application/rss+xml")
    server.expect_request("/article").respond_with_handler(article)
    server.expect_request("/b").respond_with_handler(other_feed)
    try:
        config = write_config(
            tmp_path / "monitor.toml",
            monitor={"concurrency": 1, "host_concurrency": 1, "fetch_timeout": "60s"},
            feeds=[{"name": "a", "url": server.url_for("/a"), "full_text": True},
                   {"name": "b", "url": server.url_for("/b")}],
            watches=[{"name": "union", "keywords": ["союзные программы"]}])
        done = run_cli("poll", config=config)
    finally:
        other_fetched.set()
        server.stop()
    assert done.returncode == 0, done.stderr
    assert article_waited == [True]  # the other feed was fetched meanwhile
