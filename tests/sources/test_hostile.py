"""Hostile servers and inputs: every poll ends within its deadline + 1 s, memory stays
bounded, the feed's error is recorded, and the other feeds of the same poll get their
entries. Each protection has a case here that fails without it."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from monitor.sources.netguard import AddressPolicy, FetchError, guarded_session
from tests.helpers import Item, rss, write_config
from tests.sources import hostile

DEADLINE = 2.0
GOOD = rss([Item("g1", "good one"), Item("g2", "good two")])


def poll_measured(config: Path) -> tuple[str, int]:
    """Run `monitor poll`; return its output and its peak memory (KiB)."""
    code = ("import atexit, resource, runpy, sys; atexit.register(lambda: sys.stderr.write("
            "'MAXRSS=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)); "
            f"sys.argv = ['monitor', '--config', {str(config)!r}, 'poll']; "
            "runpy.run_module('monitor', run_name='__main__', alter_sys=True)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=config.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout, int(re.search(r"MAXRSS=(\d+)", result.stderr).group(1))  # type: ignore


def summary(output: str, feed: str) -> tuple[str, float, str]:
    line = next(x for x in output.splitlines() if x.startswith(feed + " "))
    m = re.match(rf"{feed}\s+(\w+)\s+new=\d+\s+hits=\d+\s+([\d.]+)s\s*(.*)", line)
    assert m, line
    return m.group(1), float(m.group(2)), m.group(3)


@pytest.fixture
def good(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/good").respond_with_data(GOOD)
    return httpserver


def run_case(tmp_path: Path, good: HTTPServer, url: str, extra_hosts: list[str],
             **monitor: object) -> tuple[str, float, str, int]:
    hosts = [f"127.0.0.1:{good.port}", *extra_hosts]
    config = write_config(tmp_path / "monitor.toml",
                          monitor={"allow_private_networks": False, "allow_hosts": hosts,
                                   "fetch_timeout": f"{DEADLINE:g}s", "max_body_size": "1MB",
                                   **monitor},
                          feeds=[{"name": "hostile", "url": url},
                                 {"name": "good", "url": good.url_for("/good")}],
                          watches=[{"name": "w", "keywords": ["good"]}])
    output, rss_kib = poll_measured(config)
    status, seconds, error = summary(output, "hostile")
    assert summary(output, "good")[0] == "ok" and "new=2" in output  # the others unaffected
    return status, seconds, error, rss_kib


@pytest.fixture(scope="module")
def baseline_rss(tmp_path_factory: pytest.TempPathFactory) -> int:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/good").respond_with_data(GOOD)
    server.start()
    try:
        tmp = tmp_path_factory.mktemp("baseline")
        config = write_config(tmp / "monitor.toml",
                              feeds=[{"name": "good", "url": server.url_for("/good")}],
                              watches=[{"name": "w", "keywords": ["good"]}])
        return poll_measured(config)[1]
    finally:
        server.stop()


RAW_CASES = [
    ("drip", hostile.drip, "within 2s"),
    ("stall", hostile.stall, "within 2s"),
    ("lying-length", hostile.lying_length, "broke the HTTP exchange"),
    ("endless", hostile.endless, "larger than max_body_size"),
]


@pytest.mark.parametrize(("name", "handler", "expected"), RAW_CASES)
def test_raw_hostile_servers(tmp_path: Path, good: HTTPServer, baseline_rss: int, name: str,
                             handler, expected: str) -> None:  # type: ignore[no-untyped-def]
    server = hostile.RawServer(handler)
    try:
        status, seconds, error, rss_kib = run_case(tmp_path, good, server.url(),
                                                   [f"127.0.0.1:{server.port}"])
    finally:
        server.close()
    assert status == "error" and expected in error, error
    assert seconds <= DEADLINE + 1
    assert rss_kib - baseline_rss < 50 * 1024


def http_case(name: str, httpserver: HTTPServer) -> tuple[str, str]:
    """Register the hostile endpoint; return its path and the expected error words."""
    cases = {
        "gzip-bomb": (Response(hostile.gzip_bomb(1 << 30), headers={
            "Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}),
            "decompresses to more than max_body_size"),
        "stacked-encoding": (Response(hostile.gzip_bomb(1 << 20), headers={
            "Content-Encoding": "gzip, gzip"}), "stacked content encodings"),
        "html-login": (Response("<!doctype html><html><body><form>Login</form></body></html>",
                                content_type="text/html"), "not a feed: the server sent an HTML"),
        "billion-laughs": (Response(hostile.billion_laughs()), "declares XML entities"),
        "quadratic": (Response(hostile.quadratic_blowup()), "declares XML entities"),
        "server-error": (Response("oops", status=500), "HTTP 500"),
        "redirect-loop": (Response("", status=302, headers={"Location": "/redirect-loop"}),
                          "more than 5 redirects"),
    }
    response, expected = cases[name]
    httpserver.expect_request(f"/{name}").respond_with_response(response)
    return f"/{name}", expected


@pytest.mark.parametrize("name", ["gzip-bomb", "stacked-encoding", "html-login",
                                  "billion-laughs", "quadratic", "server-error",
                                  "redirect-loop"])
def test_hostile_documents(tmp_path: Path, good: HTTPServer, baseline_rss: int,
                           name: str) -> None:
    path, expected = http_case(name, good)
    status, seconds, error, rss_kib = run_case(tmp_path, good, good.url_for(path), [])
    assert status == "error" and expected in error, error
    assert seconds <= DEADLINE + 1
    assert rss_kib - baseline_rss < 50 * 1024


def test_redirect_to_a_private_address_is_refused(tmp_path: Path, good: HTTPServer) -> None:
    other = HTTPServer(host="127.0.0.1", port=0)
    other.expect_request("/internal").respond_with_data(GOOD)
    other.start()
    try:
        good.expect_request("/jump").respond_with_data(
            "", status=301, headers={"Location": other.url_for("/internal")})
        status, _, error, _ = run_case(tmp_path, good, good.url_for("/jump"), [])
        assert status == "error" and "private, local or reserved" in error
        assert len(other.log) == 0  # not a single byte reached it
    finally:
        other.stop()


@pytest.mark.parametrize("spelling", ["2130706433", "[::ffff:127.0.0.1]", "0x7f.0.0.1",
                                      "localhost"])
def test_loopback_spellings_are_refused(tmp_path: Path, good: HTTPServer,
                                        spelling: str) -> None:
    target = HTTPServer(host="127.0.0.1", port=0)
    target.expect_request("/feed").respond_with_data(GOOD)
    target.start()
    try:
        url = f"http://{spelling}:{target.port}/feed"
        status, _, error, _ = run_case(tmp_path, good, url, [])
        assert status == "error" and ("private" in error or "cannot resolve" in error), error
        assert len(target.log) == 0
    finally:
        target.stop()


async def _direct_get(url: str, policy: AddressPolicy | None = None) -> int:
    async with (guarded_session(policy or AddressPolicy(), "test") as session,
                session.get(url, allow_redirects=False) as resp):
        return resp.status


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_connect_time_guard_checks_the_peer_address(good: HTTPServer, host: str) -> None:
    """Even a request that skipped the up-front check cannot reach a private address,
    whether the URL names an IP literal or a name that resolves to one."""
    import asyncio

    url = good.url_for("/good").replace("127.0.0.1", host)
    with pytest.raises(FetchError, match="private, local or reserved"):
        asyncio.run(_direct_get(url))
    assert len(good.log) == 0
    allowed = AddressPolicy(allow_hosts=(f"{host}:{good.port}",))
    assert asyncio.run(_direct_get(url, allowed)) == 200


@pytest.mark.parametrize("header", ["120", "date"])
def test_retry_after_is_honoured(tmp_path: Path, good: HTTPServer, header: str) -> None:
    value = "120" if header == "120" else format_datetime(
        datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    good.expect_request("/busy").respond_with_data("slow down", status=429,
                                                   headers={"Retry-After": value})
    status, _, error, _ = run_case(tmp_path, good, good.url_for("/busy"), [])
    assert status == "error" and "429" in error
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        next_check = conn.execute("SELECT next_check_at FROM feeds WHERE name = 'hostile'"
                                  ).fetchone()[0]
    wait = datetime.fromisoformat(next_check.replace("Z", "+00:00")) - datetime.now(UTC)
    assert wait.total_seconds() > 100


def test_gone_feed_is_disabled_until_its_url_changes(tmp_path: Path, good: HTTPServer) -> None:
    good.expect_request("/gone").respond_with_data("gone", status=410)
    status, _, error, _ = run_case(tmp_path, good, good.url_for("/gone"), [])
    assert status == "error" and "410" in error
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        assert conn.execute("SELECT last_status, disabled FROM feeds WHERE name = 'hostile'"
                            ).fetchone() == ("gone", 1)


def test_identical_body_is_not_parsed_again(tmp_path: Path, good: HTTPServer) -> None:
    good.expect_request("/same").respond_with_data(GOOD)  # no ETag, no Last-Modified
    run_case(tmp_path, good, good.url_for("/same"), [])
    output, _ = poll_measured(tmp_path / "monitor.toml")
    assert summary(output, "hostile")[0] == "not_modified"


def test_proxy_variables_are_ignored(good: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set in the environment would see (and could redirect) every request."""
    import asyncio

    proxy = HTTPServer(host="127.0.0.1", port=0)
    proxy.expect_request("/good").respond_with_data("from the proxy")
    proxy.start()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
            monkeypatch.setenv(name, proxy.url_for("/"))
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        allowed = AddressPolicy(allow_hosts=(f"127.0.0.1:{good.port}",))
        assert asyncio.run(_direct_get(good.url_for("/good"), allowed)) == 200
        assert len(proxy.log) == 0 and len(good.log) == 1
    finally:
        proxy.stop()


def test_a_document_too_slow_to_parse_is_cut_off_at_the_deadline(
        tmp_path: Path, good: HTTPServer, baseline_rss: int) -> None:
    """Valid XML, but 400,000 items: feedparser would need many seconds."""
    body = (b"<rss version='2.0'><channel><title>t</title>"
            + b"<item><title>x</title></item>" * 400_000 + b"</channel></rss>")
    good.expect_request("/slow-parse").respond_with_data(body)
    status, seconds, error, rss_kib = run_case(tmp_path, good, good.url_for("/slow-parse"), [],
                                               max_body_size="20MB")
    assert status == "error" and "parsing took longer" in error, error
    assert seconds <= DEADLINE + 1
    assert rss_kib - baseline_rss < 50 * 1024
