"""Pure formatting of the documents a hit's entry carries: email lines and HTML, and the
webhook's ``documents`` list (url, content_type, size, sha256)."""

from __future__ import annotations

import html
import json
from typing import Any

from monitor.models import Alert

MAX_DOCUMENTS = 20


def documents(alert: Alert) -> list[dict[str, Any]]:
    found = json.loads(alert.documents or "[]")
    return [d for d in found if d and d.get("url")][:MAX_DOCUMENTS]


def _name(d: dict[str, Any]) -> str:
    return str(d["url"]).rstrip("/").rsplit("/", 1)[-1] or str(d["url"])


def _about(d: dict[str, Any]) -> str:
    return f"{d.get('content_type') or 'unknown type'}, {d.get('size') or 0:,} bytes"


def document_lines(alert: Alert) -> list[str]:
    lines = []
    for d in documents(alert):
        lines += [f"Document:  {_name(d)} ({_about(d)})", f"           {d['url']}",
                  f"           sha256 {d.get('sha256') or ''}"]
    return lines


def document_html(alert: Alert) -> str:
    e = html.escape
    return "".join(
        f'<p>Document: <a href="{e(d["url"], quote=True)}">{e(_name(d))}</a> ({e(_about(d))},'
        f" sha256 {e(d.get('sha256') or '')})</p>"
        for d in documents(alert) if str(d["url"]).startswith(("http://", "https://")))
