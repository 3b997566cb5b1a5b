"""The address guard on IPv6 forms that carry an IPv4 address (cases in
tests/data/embedded_ipv6.tsv), checked the way connections are: by ``permits``, and through
a real aiohttp session whose connector refuses before connecting."""

from __future__ import annotations

import asyncio
import ipaddress
from pathlib import Path

import pytest

from monitor.errors import FetchError
from monitor.sources.netguard import AddressPolicy, check_url, guarded_session

DATA = Path(__file__).resolve().parents[1] / "data" / "embedded_ipv6.tsv"
CASES = [line.split("\t") for line in DATA.read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]


@pytest.mark.parametrize(("address", "permitted", "why"), CASES, ids=[c[2] for c in CASES])
def test_embedded_ipv4_is_checked_like_ipv4(address: str, permitted: str, why: str) -> None:
    ip = ipaddress.ip_address(address)
    assert AddressPolicy().permits("example.org", ip, 443) == (permitted == "yes"), why


@pytest.mark.parametrize("address", [c[0] for c in CASES if c[1] == "no"])
def test_urls_with_embedded_private_addresses_are_refused(address: str) -> None:
    with pytest.raises(FetchError, match="private, local or reserved"):
        check_url(f"http://[{address}]/feed", AddressPolicy())


def test_the_connector_refuses_them_too() -> None:
    async def get() -> None:
        async with guarded_session(AddressPolicy(), "monitor-test") as session:
            await session.get("http://[64:ff9b::7f00:1]:9/", allow_redirects=False)

    with pytest.raises(FetchError, match="private, local or reserved"):
        asyncio.run(get())


def test_the_exception_tree_has_one_root() -> None:
    from monitor.errors import MonitorError

    assert issubclass(FetchError, MonitorError)


def test_a_failed_connection_names_the_host_and_why() -> None:
    """aiohttp's own text for it shows the request's TLS context object
    (``ssl:<ssl.SSLContext object at 0x…>``); the user reads host, port and reason."""
    import aiohttp

    from monitor.sources.netguard import describe_http_error, tls_for
    from tests.conftest import free_port

    url = f"https://127.0.0.1:{free_port()}/feed"  # nothing listens there

    async def get() -> Exception:
        async with guarded_session(AddressPolicy(allow_private=True), "monitor-test") as s:
            try:
                await s.get(url, ssl=tls_for(url), allow_redirects=False)
            except aiohttp.ClientError as exc:
                return exc
        raise AssertionError(f"{url} answered")

    text = describe_http_error(asyncio.run(get()))
    assert text.startswith(f"cannot connect ({url[8:-5]}: "), text
    assert "SSLContext" not in text and "ssl:" not in text, text
