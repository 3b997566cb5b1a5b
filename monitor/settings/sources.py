"""The sources of the config: ``[[feeds]]`` and ``[[pages]]`` (web pages without a feed,
read by CSS selectors). Both become ``FeedConfig`` values: one schedule, one pipeline."""

from __future__ import annotations

import re
from typing import Any

from monitor.models import FeedConfig, PageRule
from monitor.settings.checks import check_name
from monitor.settings.keys import read_keys
from monitor.settings.model import Collector, Settings
from monitor.settings.schema import FEED_KEYS, PAGE_KEYS


def read_feed(table: dict[str, Any], where: str, settings: Settings, out: Collector) -> FeedConfig:
    values, _ = read_keys(table, FEED_KEYS, where, out)
    check_name(values, where, out)
    _check_url(values, where, "https://example.org/rss", out)
    return FeedConfig(values.get("name", where), str(values.get("url", "")),
                      values.get("interval", settings.interval), values.get("fetch_timeout"),
                      values.get("max_body_size"), bool(values.get("full_text", False)))


def read_page(table: dict[str, Any], where: str, settings: Settings, out: Collector) -> FeedConfig:
    values, _ = read_keys(table, PAGE_KEYS, where, out)
    check_name(values, where, out)
    _check_url(values, where, "https://example.org/documents/", out)
    for key in ("links", "title", "date"):
        _check_selector(values.get(key), f"{where}.{key}", out)
    rule = PageRule(str(values.get("links", "a")), values.get("title"), values.get("date"))
    return FeedConfig(values.get("name", where), str(values.get("url", "")),
                      values.get("interval", settings.interval), values.get("fetch_timeout"),
                      values.get("max_body_size"), page=rule,
                      first_poll=values.get("first_poll", "store"))


def _check_url(values: dict[str, Any], where: str, example: str, out: Collector) -> None:
    url = str(values.get("url", ""))
    if url and not is_http_url(url):
        out.add(f"{where}.url", f"{url!r} is not an http(s) URL; write it like \"{example}\"")


def _check_selector(selector: str | None, where: str, out: Collector) -> None:
    if selector is None:
        return
    import soupsieve  # 0.13 s to import: only for configs with pages

    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        first = str(exc).splitlines()[0]
        out.add(where, f"{selector!r} is not a CSS selector ({first}); write it like "
                "\"ul.documents li a\" (try it with `monitor test-page URL --links ...`)")


def is_http_url(url: str) -> bool:
    """http(s), a host, and no whitespace anywhere (a pasted URL with a space is a typo)."""
    return bool(re.fullmatch(r"https?://[^/\s?#]+\S*", url, re.IGNORECASE))
