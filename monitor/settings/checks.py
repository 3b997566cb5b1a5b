"""Checks across keys and tables of the config: names, references, digest schedules.

Each check adds ``where: what is wrong, and how to fix it`` lines to the collector.
"""

from __future__ import annotations

import difflib
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.models import FeedConfig, WatchConfig
from monitor.settings.model import Collector, NotifierConfig

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_digest(options: dict[str, Any], where: str, out: Collector) -> None:
    for i, at in enumerate(options.get("digest_at", ())):
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
            out.add(f"{where}.digest_at[{i}]", f"{at!r} is not a time; write it like \"08:00\"")
    check_zone(options.get("timezone", "UTC"), f"{where}.timezone", out)
    if options.get("digest_every") and options.get("digest_at"):
        out.add(f"{where}.digest_at", "give digest_every or digest_at, not both")


def check_zone(zone: str, where: str, out: Collector) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        out.add(where, f"{zone!r} is not a known time zone; write it like \"Europe/Minsk\" "
                "or \"UTC\"")


def check_apprise(urls: list[str], where: str, out: Collector) -> None:
    """Each Apprise URL must be one Apprise can read (checked without sending)."""
    import apprise

    for i, url in enumerate(urls):
        if not apprise.Apprise().add(url):
            scheme = url.split("://", 1)[0] if "://" in url else url[:10]
            out.add(f"{where}.urls[{i}]", f"Apprise cannot read this {scheme}:// URL; see "
                    "its service list for the form (like tgram://BOT_TOKEN/CHAT_ID)")


def check_name(values: dict[str, Any], where: str, out: Collector) -> None:
    name = values.get("name")
    if isinstance(name, str) and not NAME_RE.match(name):
        out.add(f"{where}.name", f"{name!r} is not a valid name; use letters, digits, "
                "'.', '_' and '-' (at most 64)")


def check_names(section: str, names: list[str], out: Collector) -> None:
    for i, name in enumerate(names):
        if name in names[:i]:
            out.add(f"{section}[{i}].name", f"{name!r} is used twice; names must be unique")


def check_references(watches: tuple[WatchConfig, ...], feeds: tuple[FeedConfig, ...],
                      notifiers: tuple[NotifierConfig, ...], out: Collector) -> None:
    feed_names = [f.name for f in feeds]
    notifier_names = [n.name for n in notifiers]
    for i, watch in enumerate(watches):
        for name in watch.feeds:
            if name not in feed_names:
                out.add(f"watches[{i}].feeds", f"no feed is named {name!r}"
                        f"{suggest(name, feed_names)}")
        for name in watch.notify or ():
            if name not in notifier_names:
                out.add(f"watches[{i}].notify", f"no notifier is named {name!r}"
                        f"{suggest(name, notifier_names)}")


def suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
