"""TLS on feed fetches: certificates are verified (against certifi's bundle) though the
context is built only when the first https URL is fetched, not at start-up."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator

import pytest
import trustme
from pytest_httpserver import HTTPServer

from monitor.models import FeedState
from monitor.sources.fetch import FetchOptions, fetch_feed, make_client
from monitor.sources.netguard import AddressPolicy, tls_context, tls_for

FEED = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.fixture
def https_server() -> Iterator[HTTPServer]:
    """An https server whose certificate a private CA signed (no public CA vouches)."""
    cert = trustme.CA().issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    server.expect_request("/feed.xml").respond_with_data(FEED, content_type="application/rss+xml")
    yield server
    server.clear()
    server.stop()


def fetch(url: str):  # type: ignore[no-untyped-def]
    opts = FetchOptions(timeout=10, policy=AddressPolicy(allow_private=True))

    async def run():  # type: ignore[no-untyped-def]
        async with make_client(opts, 2) as client:
            return await fetch_feed(client, FeedState("f", url), opts)

    return asyncio.run(run())


def test_an_https_feed_with_a_certificate_no_public_ca_signed_is_refused(
        https_server: HTTPServer) -> None:
    result = fetch(https_server.url_for("/feed.xml"))
    assert result.status == "error"
    assert "TLS failed" in result.error and "certificate is not valid" in result.error


def test_the_same_server_over_http_is_fetched_without_any_tls_context(
        httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    tls_context.cache_clear()
    result = fetch(httpserver.url_for("/feed.xml"))
    assert result.status == "ok" and result.body == FEED
    assert tls_context.cache_info().currsize == 0  # never built: no https URL


def test_https_urls_get_certifis_context_and_http_urls_none() -> None:
    assert tls_for("HTTPS://example.org/feed") is tls_context()
    assert tls_context().verify_mode == ssl.CERT_REQUIRED and tls_context().check_hostname
    assert tls_for("http://example.org/feed") is True
