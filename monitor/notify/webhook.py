"""Webhook transport: a JSON POST, signed the Standard Webhooks way when a secret is set.

Headers: ``webhook-id`` (the delivery id, the same on every retry), ``webhook-timestamp``
and ``webhook-signature`` = ``v1,`` + base64(HMAC-SHA256(key, "id.timestamp.body")),
where key is the base64-decoded part after ``whsec_`` (a secret that is not base64 is
used as its UTF-8 bytes).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify import render
from monitor.notify.channel import send_each
from monitor.sources.netguard import (
    AddressPolicy,
    FetchError,
    check_url,
    describe_http_error,
    guarded_session,
    tls_for,
)


def secret_key(secret: str) -> bytes:
    raw = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return secret.encode("utf-8")


def sign(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class WebhookNotifier:
    def __init__(self, name: str, options: Mapping[str, Any], *,
                 policy: AddressPolicy | None = None, user_agent: str = "monitor") -> None:
        self.name = name
        self.url: str = options["url"]
        self.key = secret_key(options["secret"]) if options.get("secret") else None
        self.timeout: float = options.get("timeout", 10.0)
        self.policy = policy or AddressPolicy()
        self.user_agent = user_agent

    @property
    def where(self) -> str:
        """The receiver as shown in messages, logs and the database: its host only (a
        webhook URL often is the credential, as Slack's and Teams' are)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"

    def describe(self) -> str:
        return f"webhook POST {self.where}" + (" (signed)" if self.key else " (unsigned)")

    def probe(self) -> None:
        """A webhook cannot be checked without a POST, which would be an alert."""

    def send(self, alert: Alert) -> None:
        self._deliver(alert.delivery_id, render.webhook_payload(alert))

    def send_many(self, alerts: list[Alert]) -> Iterator[tuple[Alert, DeliveryError | None]]:
        return send_each(self, alerts)

    def send_digest(self, digest_id: str, alerts: list[Alert]) -> None:
        self._deliver(digest_id, render.digest_payload(digest_id, alerts))

    def _deliver(self, msg_id: str, payload: dict[str, object]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        try:
            check_url(self.url, self.policy)
            status = asyncio.run(self._post(body, self.headers(msg_id, body)))
        except FetchError as exc:
            raise DeliveryError(str(exc).replace(self.url, self.where),
                                permanent=exc.permanent) from None
        except TimeoutError:
            raise DeliveryError(f"no answer from {self.where} within {self.timeout:g}s") from None
        except aiohttp.ClientError as exc:
            raise DeliveryError(describe_http_error(exc).replace(self.url, self.where)) from None
        if not 200 <= status < 300:
            raise DeliveryError(f"HTTP {status} from {self.where}" + _hint(status),
                                permanent=_permanent(status))

    async def _post(self, body: bytes, headers: dict[str, str]) -> int:
        """POST with a total deadline, connect to last byte; the answer's body is not read."""
        async with (asyncio.timeout(self.timeout),
                    guarded_session(self.policy, self.user_agent, 1) as session,
                    session.post(self.url, data=body, headers=headers, allow_redirects=False,
                                 ssl=tls_for(self.url)) as resp):
            return resp.status

    def headers(self, msg_id: str, body: bytes) -> dict[str, str]:
        stamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": self.user_agent,
                   "webhook-id": msg_id, "webhook-timestamp": str(stamp)}
        if self.key is not None:
            headers["webhook-signature"] = sign(self.key, msg_id, stamp, body)
        return headers


def _permanent(status: int) -> bool:
    """4xx other than 408/425/429, and redirects (not followed: the URL needs fixing)."""
    return (300 <= status < 500) and status not in (408, 425, 429)


def _hint(status: int) -> str:
    return "; redirects are not followed: put the final URL in the config" if (
        300 <= status < 400) else ""
