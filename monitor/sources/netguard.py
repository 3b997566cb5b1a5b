"""Where outbound requests may go: only http(s), and only global addresses unless allowed.

The check that counts happens on the addresses actually connected to: ``GuardedConnector``
checks what aiohttp's connector resolved (or the IP literal) before it opens a TCP
connection, for every hop and every re-resolution; so DNS rebinding and spellings like
``http://2130706433/`` or ``http://[::ffff:127.0.0.1]/`` are refused before a byte is
sent. ``check_url`` checks the scheme and numeric hosts up front, for a clear early error.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from monitor.errors import FetchError
from monitor.settings.model import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAME_RE = re.compile(r"[g-wyzG-WYZ_-]")



@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()  # "host", "host:port" or a CIDR block

    @classmethod
    def of(cls, settings: Settings) -> AddressPolicy:
        return cls(settings.allow_private_networks, settings.allow_hosts)

    def permits(self, host: str, address: IPAddress, port: int) -> bool:
        if self.allow_private:
            return True
        if all(a.is_global and not a.is_multicast for a in (address, *embedded(address))):
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


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible ::a.b.c.d


def embedded(address: IPAddress) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address carries and may deliver to: 6to4 (2002::/16),
    Teredo (server and client), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and IPv4-compatible
    (::a.b.c.d). Each must be permitted like the IPv6 address itself."""
    if not isinstance(address, ipaddress.IPv6Address):
        return ()
    found: list[ipaddress.IPv4Address] = []
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in _NAT64) or (address in _COMPATIBLE
                                                  and int(address) > 1):
        found.append(low32)
    return tuple(found)


def check_url(url: str, policy: AddressPolicy) -> None:
    """Refuse non-http(s) URLs, and numeric hosts the policy does not permit. Names are
    left to ``GuardedConnector``, which checks what its own DNS look-up returned: a look-up
    here as well would cost a second query and prove nothing about the connection."""
    _permitted(url, policy)


@functools.lru_cache(maxsize=8192)
def _permitted(url: str, policy: AddressPolicy) -> bool:
    """``check_url``, remembered for the URLs it let through (no DNS is involved, so the
    answer cannot change; a refusal raises and is not remembered). Splitting and checking
    every feed's URL again was a sixth of the poller's work in a poll with nothing new."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url!r} is not an http(s) URL", permanent=True)
    if policy.allow_private:
        return True
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _literal(parts.hostname)
    if address is not None and not policy.permits(parts.hostname, address, port):
        raise policy.refusal(parts.hostname, address)
    return True


def _literal(host: str) -> IPAddress | None:
    """The address a numeric host stands for, in any spelling the C library accepts
    ("2130706433", "0x7f.0.0.1"); None for a name. No DNS query is made."""
    try:
        return unmap(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if _NAME_RE.search(host):  # a letter beyond hex or "x": a name, not a number
        return None
    try:
        infos = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        return None
    return unmap(ipaddress.ip_address(infos[0][4][0]))


class GuardedConnector(aiohttp.TCPConnector):
    """aiohttp's connector, checking every address it is about to connect to: names after
    each resolution (so DNS rebinding is caught) and IP literals alike."""

    def __init__(self, policy: AddressPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy

    async def _resolve_host(self, host: str, port: int,
                            traces: Any = None) -> list[Any]:
        results = await super()._resolve_host(host, port, traces=traces)
        for result in results:
            peer = unmap(ipaddress.ip_address(result["host"]))
            if not self.policy.permits(host, peer, port):
                raise self.policy.refusal(host, peer)
        return results


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Certificates verified against certifi's bundle (the same on every host)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def tls_for(url: str) -> ssl.SSLContext | bool:
    """What a request to ``url`` passes as ``ssl=``: certifi's context for https, built
    on the first https request (importing certifi and reading its bundle is 40-50 ms, a
    tenth of a `monitor poll` with nothing new, and a poll of http feeds never needs it)."""
    return tls_context() if url[:6].lower() == "https:" else True


def guarded_session(policy: AddressPolicy, user_agent: str,
                    max_connections: int = 20) -> aiohttp.ClientSession:
    """A session that checks every connection's address, ignores proxy variables, leaves
    bodies compressed (``decoding`` bounds them) and follows no redirect by itself
    (callers pass ``allow_redirects=False`` and check each hop)."""
    connector = GuardedConnector(policy, limit=max(max_connections, 1),
                                 enable_cleanup_closed=False)  # requests pass ssl=tls_for()
    return aiohttp.ClientSession(connector=connector, trust_env=False, auto_decompress=False,
                                 timeout=aiohttp.ClientTimeout(total=None),
                                 headers={"User-Agent": user_agent,
                                          "Accept-Encoding": "gzip, deflate"})


def describe_http_error(exc: Exception) -> str:
    """Plain words for a transport failure."""
    detail = (_connect_detail(exc) if isinstance(exc, aiohttp.ClientConnectorError)
              else str(exc) or type(exc).__name__)
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve host ({detail}); check the URL"
    if isinstance(exc, aiohttp.ClientSSLError):
        return f"TLS failed ({detail}); the server's certificate is not valid"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect ({detail}); the host is down or the URL is wrong"
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError
                  | aiohttp.ClientResponseError):
        return f"the server broke the HTTP exchange ({detail})"
    return f"request failed ({type(exc).__name__}: {detail})"


def _connect_detail(exc: aiohttp.ClientConnectorError) -> str:
    """``host:port: why`` (aiohttp's own text shows the request's TLS context object)."""
    why = getattr(exc, "certificate_error", None) or exc.strerror or exc.os_error
    return f"{exc.host}:{exc.port}: {why or type(exc).__name__}"
