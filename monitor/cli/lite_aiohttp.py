"""aiohttp, imported without building its two default TLS contexts.

aiohttp builds them as it is imported, loading the system's CA store for each: 55 ms of
every command's start here (0.14 s for the whole import, 0.09 s without). monitor never
uses them: every request it makes passes a context of its own (``netguard.tls_for``,
certifi's, built on the first https request). While aiohttp loads,
``ssl.create_default_context`` and ``SSLContext.set_default_verify_paths`` make bare
contexts that trust no CA at all, so a request that did use one would fail verification,
never pass it; both are as before once aiohttp has loaded. The CLI imports this first,
before anything imports aiohttp (no other thread runs yet).
"""

from __future__ import annotations

import ssl
import sys
from typing import Any


def _bare_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, and trusts no CA


def _no_default_paths(self: ssl.SSLContext) -> None:
    return None


def import_aiohttp() -> None:
    if "aiohttp" in sys.modules:
        return
    create = ssl.create_default_context
    ssl.create_default_context = _bare_context
    ssl.SSLContext.set_default_verify_paths = _no_default_paths  # type: ignore[method-assign]
    try:
        import aiohttp  # noqa: F401
    finally:
        ssl.create_default_context = create
        del ssl.SSLContext.set_default_verify_paths  # (the C method shows through again)
