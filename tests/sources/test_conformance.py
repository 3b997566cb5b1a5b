"""Every file of feedparser's conformance corpus and of the real-feed corpus, served over
local HTTP (with its ``Header:`` lines) to the real poller in one pass: nothing crashes,
every well-formed feed yields its entries, every ill-formed one ends as an explained error
or a partial result. Skips when ../shared/corpus is absent (a user's fresh clone)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from monitor.sources.parse import parse_feed
from tests.helpers import CORPUS, run_cli, write_config

FEEDPARSER = CORPUS / "feedparser"
REAL = CORPUS / "realfeeds"


def cases() -> list[dict]:
    if not FEEDPARSER.exists():
        pytest.skip("../shared/corpus is absent (a user's fresh clone)")
    with (FEEDPARSER / "cases.jsonl").open(encoding="utf-8") as fh:
        found = [json.loads(line) for line in fh]
    for row in map(json.loads, (REAL / "manifest.jsonl").open(encoding="utf-8")):
        found.append({"path": row["file"], "root": "realfeeds", "category": "realfeeds",
                      "headers": {}, "items": row["items"]})
    return found


def serve(routes: dict[str, tuple[Path, dict[str, str]]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            path, headers = routes[self.path]
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            self.send_response(int(headers.get("Status", "200")))
            for name, value in headers.items():
                if name != "Status":
                    self.send_header(name, value.replace("http://localhost:8097", base))
            if "Content-Type" not in headers:
                self.send_header("Content-Type", "application/xml")
            body = path.read_bytes()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[dict], Path]]:
    rows = cases()
    routes = {}
    for i, row in enumerate(rows):
        root = REAL if row.get("root") == "realfeeds" else FEEDPARSER
        row["name"], row["file"] = f"c{i:04d}", root / row["path"]
        routes[f"/{row['path']}"] = (row["file"], row.get("headers") or {})
    server = serve(routes)
    port = server.server_address[1]
    tmp = tmp_path_factory.mktemp("conformance")
    config = write_config(tmp / "monitor.toml",
                          monitor={"allow_private_networks": False, "concurrency": 16,
                                   "allow_hosts": [f"127.0.0.1:{port}"]},
                          feeds=[{"name": r["name"], "url": f"http://127.0.0.1:{port}/{r['path']}"}
                                 for r in rows],
                          watches=[{"name": "w", "keywords": ["the"]}])
    result = run_cli("poll", config=config, timeout=900)
    server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    yield rows, tmp / "monitor.db"


def feed_rows(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        return {name: (status, error, count) for name, status, error, count in conn.execute(
            "SELECT f.name, f.last_status, f.last_error, "
            "(SELECT count(*) FROM entries e WHERE e.feed = f.name) FROM feeds f")}


def test_every_file_is_polled_and_recorded(polled: tuple[list[dict], Path]) -> None:
    rows, db = polled
    found = feed_rows(db)
    assert len(rows) > 2100
    for row in rows:
        status, error, _ = found[row["name"]]
        assert status in ("ok", "not_modified", "error"), row["path"]
        assert status != "error" or error, row["path"]  # every error is explained


def test_well_formed_feeds_yield_their_entries(polled: tuple[list[dict], Path]) -> None:
    rows, db = polled
    found = feed_rows(db)
    wrong = []
    for row in rows:
        status, error, stored = found[row["name"]]
        headers = {k: v for k, v in (row.get("headers") or {}).items() if k != "Status"}
        if not row["category"].startswith(("wellformed", "realfeeds")) or "Status" in (
                row.get("headers") or {}):
            continue
        expected = parse_feed(row["file"].read_bytes(), headers, "http://example.org/")
        if status == "error" or stored != len({e.key for e in expected.entries}):
            wrong.append((row["path"], status, error, stored, len(expected.entries)))
    assert wrong == [], wrong[:10]


def test_real_feeds_keep_their_items(polled: tuple[list[dict], Path]) -> None:
    rows, db = polled
    found = feed_rows(db)
    for row in rows:
        if row["category"] == "realfeeds" and row["items"]:
            assert found[row["name"]][2] >= 0.9 * row["items"], row["path"]
