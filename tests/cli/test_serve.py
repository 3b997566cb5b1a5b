"""`monitor serve`: the real Datasette on a free port over a database filled from local
feeds: the hits page and its JSON, facets, search in Russian word forms, every canned
query, the Atom feed of a watch (read with feedparser), and the page in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import URLError
from urllib.parse import quote

import feedparser
import pytest
import yaml
from pytest_httpserver import HTTPServer

from monitor.web import METADATA
from tests.conftest import free_port
from tests.helpers import Item, rss, run_cli, write_config

ITEMS = [Item("1", "Заседание Высшего госсовета пройдет 6 декабря",
              "Заседание Высшего госсовета Союзного государства пройдет в Минске."),
         Item("2", "Тексты союзных программ опубликованы", "Тексты 28 союзных программ.")]
pytestmark = pytest.mark.slow  # a real server process (and a browser): runs in CI
QUERIES = sorted(yaml.safe_load(METADATA.read_text("utf-8"))["databases"]["DATABASE"]["queries"])


def get(url: str) -> bytes:
    with urllib.request.urlopen(quote(url, safe=":/?&=._-"), timeout=30) as response:
        return bytes(response.read())


def getjson(url: str) -> object:
    import json

    return json.loads(get(url))


@pytest.fixture
def served(tmp_path: Path, httpserver: HTTPServer) -> Iterator[str]:
    httpserver.expect_request("/feed").respond_with_data(rss(ITEMS))
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "news", "url": httpserver.url_for("/feed")}],
                          watches=[{"name": "council", "query": "госсовет"},
                                   {"name": "programs", "query": '"союзная программа"'}])
    run_cli("poll", config=config)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "serve",
                             "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute for the server to come up on a busy machine
            try:
                get(f"{base}/-/versions.json")
                break
            except (URLError, ConnectionError):
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_hits_json_facets_search_queries_and_atom(served: str) -> None:
    rows = getjson(f"{served}/monitor/hits.json?_shape=array")
    assert {r["watch"] for r in rows} == {"council", "programs"}  # type: ignore[union-attr]
    facets = getjson(f"{served}/monitor/hits.json?_facet=watch")["facet_results"]  # type: ignore[index]
    assert {f["value"] for f in facets["watch"]["results"]} == {"council", "programs"}
    found = getjson(f"{served}/monitor/hits.json?_search=госсовет&_shape=array")
    assert [r["title"] for r in found] == [ITEMS[0].title]  # type: ignore[index]  # "госсовета"
    forms = getjson(f"{served}/monitor/hits.json?_search=программа&_shape=array")
    assert [r["watch"] for r in forms] == ["programs"]  # type: ignore[index]  # "программ"
    for typed, watch in (("госсовете", "council"), ("Высшем госсовете", "council"),
                         ("программами", "programs"), ('"союзных программ"', "programs"),
                         ("госсовете программами", None)):  # a form none of them has
        found = getjson(f"{served}/monitor/hits.json?_search={typed}&_shape=array")
        assert [r["watch"] for r in found] == ([watch] if watch else []), typed  # type: ignore[index]
    for query in QUERIES:
        answer = getjson(f"{served}/monitor/{query}.json?watch=council")
        assert "rows" in answer, query  # type: ignore[operator]
    feed = feedparser.parse(get(f"{served}/monitor/watch_feed.atom?watch=council"))
    assert [e.title for e in feed.entries] == [ITEMS[0].title]
    empty = feedparser.parse(get(f"{served}/monitor/watch_feed.atom?watch=nothing-yet"))
    assert [e.title for e in empty.entries] == ["No hits yet for nothing-yet"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed "
                    "(.ci/run installs it: apt-get install -y chromium)")
def test_the_hits_page_renders_in_a_real_browser(served: str) -> None:
    dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", f"{served}/monitor/hits?_search=госсовет"],
                         capture_output=True, text=True, timeout=120).stdout
    assert ITEMS[0].title in dom and ITEMS[1].title not in dom
    assert 'name="_search"' in dom and "watch" in dom  # the search box and the facets
