"""The sources of the config: ``[[feeds]]`` and ``[[pages]]`` (web pages without a feed,
read by CSS selectors). Both become ``FeedConfig`` values: one schedule, one pipeline."""

from __future__ import annotations

import re
from typing import Any

from monitor.models import FeedConfig
from monitor.settings.checks import check_name
from monitor.settings.keys import read_keys
from monitor.settings.model import Collector, Settings
from monitor.settings.schema import FEED_KEYS


def read_feed(table: dict[str, Any], where: str, settings: Settings, out: Collector) -> FeedConfig:
    values, _ = read_keys(table, FEED_KEYS, where, out)
    check_name(values, where, out)
    url = str(values.get("url", ""))
    if url and not is_http_url(url):
        out.add(f"{where}.url", f"{url!r} is not an http(s) URL; write it like "
                "\"https://example.org/rss\"")
    return FeedConfig(values.get("name", where), url, values.get("interval", settings.interval),
                      values.get("fetch_timeout"), values.get("max_body_size"))




def is_http_url(url: str) -> bool:
    """http(s), a host, and no whitespace anywhere (a pasted URL with a space is a typo)."""
    return bool(re.fullmatch(r"https?://[^/\s?#]+\S*", url, re.IGNORECASE))
