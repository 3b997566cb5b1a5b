"""Where outbound requests may go: only http(s), and only global addresses unless allowed.

The check that counts happens on the address actually connected to: ``GuardedBackend``
wraps httpcore's network backend, so every TCP connection (each redirect hop, each
re-resolution; so DNS rebinding and spellings like ``http://2130706433/`` or
``http://[::ffff:127.0.0.1]/``) is checked against its peer address before a byte is
sent. ``check_url`` also checks the names up front, for a clear early error.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """One request failed; the message is for the user. ``permanent``: retrying won't help."""

    def __init__(self, message: str, *, http_status: int | None = None,
                 permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()  # "host", "host:port" or a CIDR block

    def permits(self, host: str, address: IPAddress, port: int) -> bool:
        if self.allow_private:
            return True
        if address.is_global and not address.is_multicast:
            return True
        return any(_allowed(entry, host, address, port) for entry in self.allow_hosts)

    def refusal(self, host: str, address: IPAddress) -> FetchError:
        return FetchError(f"{host} is {address}, a private, local or reserved address; "
                          "allow it with allow_hosts (or allow_private_networks = true)",
                          permanent=True)


def _allowed(entry: str, host: str, address: IPAddress, port: int) -> bool:
    if "/" in entry:
        try:
            return address in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    name, _, wanted_port = entry.rpartition(":") if _has_port(entry) else (entry, "", "")
    names = {host.lower().strip("[]"), str(address)}
    return name.lower().strip("[]") in names and (not wanted_port or int(wanted_port) == port)


def _has_port(entry: str) -> bool:
    head, sep, tail = entry.rpartition(":")
    return bool(sep) and tail.isdigit() and (not head.count(":") or head.endswith("]"))


def unmap(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def check_url(url: str, policy: AddressPolicy) -> None:
    """Refuse non-http(s) URLs, and hosts whose addresses the policy does not permit."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url!r} is not an http(s) URL", permanent=True)
    if policy.allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for address in _resolve(parts.hostname, port):
        if not policy.permits(parts.hostname, address, port):
            raise policy.refusal(parts.hostname, address)


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [unmap(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host} ({exc.strerror}); check the URL") from None
    return [unmap(ipaddress.ip_address(info[4][0])) for info in infos]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, checking each connection's peer address."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, policy: AddressPolicy) -> None:
        self.inner = inner
        self.policy = policy

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        stream = await self.inner.connect_tcp(host, port, timeout=timeout,
                                              local_address=local_address,
                                              socket_options=socket_options)
        peer = unmap(ipaddress.ip_address(stream.get_extra_info("server_addr")[0]))
        if not self.policy.permits(host, peer, port):
            await stream.aclose()
            raise self.policy.refusal(host, peer)
        return stream

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        raise FetchError("unix sockets are not allowed", permanent=True)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_client(policy: AddressPolicy, timeout: float, user_agent: str,
                   max_connections: int = 20) -> httpx.AsyncClient:
    """An AsyncClient that never follows redirects, ignores proxy variables, asks only for
    encodings we decode with a size bound, and checks every connection's address."""
    transport = httpx.AsyncHTTPTransport(
        trust_env=False, retries=0,
        limits=httpx.Limits(max_connections=max_connections))
    pool = transport._pool  # httpcore.AsyncConnectionPool (httpx 0.28)
    pool._network_backend = GuardedBackend(pool._network_backend, policy)
    return httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False,
                             timeout=httpx.Timeout(timeout),
                             headers={"User-Agent": user_agent,
                                      "Accept-Encoding": "gzip, deflate"})
