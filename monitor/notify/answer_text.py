"""Pure formatting of an answer's change (``extract = "date"`` watches): subject, text,
HTML and webhook payload. The change itself arrives as JSON (``Alert.details``)."""

from __future__ import annotations

import html
import json
from datetime import date
from typing import Any

from monitor.models import Alert
from monitor.text import single_line

PAYLOAD_VERSION = 1
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WORDS = {"first": "announced", "refined": "made more precise", "changed": "changed",
          "confirmed": "confirmed", "held": "held"}


def change(alert: Alert) -> dict[str, Any]:
    return dict(json.loads(alert.details or "{}"))


def days(start: str | None, end: str | None, year: bool = True) -> str:
    """``26 February 2026``, ``13–14 December 2024``, ``23 February – 1 March``."""
    if not start or not end:
        return "unknown"
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    tail = f" {b.year}" if year else ""
    if a == b:
        return f"{a.day} {_MONTHS[a.month - 1]}{tail}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {_MONTHS[a.month - 1]}{tail}"
    head = f"{a.day} {_MONTHS[a.month - 1]}" + (f" {a.year}" if year and a.year != b.year
                                                else "")
    return f"{head} – {b.day} {_MONTHS[b.month - 1]}{tail}"


def subject(alert: Alert) -> str:
    c = change(alert)
    what = days(c["start"], c["end"])
    what = f"held {what}" if c["state"] == "held" else what
    previous = c.get("previous")
    was = f" (was {days(previous['start'], previous['end'], year=False)})" \
        if previous and c["change"] in ("refined", "changed") else ""
    return single_line(f"[monitor] {alert.watch}: {what}{was}")


def text_body(alert: Alert) -> str:
    c = change(alert)
    source = c["source"]
    previous = c.get("previous")
    lines = [f"Watch:     {alert.watch}",
             f"Answer:    {c['state']} {days(c['start'], c['end'])} ({_WORDS[c['change']]})",
             f"Before:    {_previous(previous)}",
             f"Source:    {single_line(source['title'])}",
             f"Link:      {source['url'] or '(none)'}",
             f"Feed:      {source['feed']}, published {source['published']}", "",
             single_line(source["sentence"]), "",
             f"See `monitor answers --watch {alert.watch}`.",
             f"-- monitor alert {alert.delivery_id}"]
    return "\n".join(lines) + "\n"


def html_body(alert: Alert) -> str:
    e, c = html.escape, change(alert)
    source = c["source"]
    return ("<!doctype html><html><body>"
            f"<h2>{e(alert.watch)}: {e(c['state'])} {e(days(c['start'], c['end']))}</h2>"
            f"<p>{e(_WORDS[c['change']])}; before: {e(_previous(c.get('previous')))}</p>"
            f"<p><b>{e(single_line(source['title']))}</b> ({e(source['feed'])}, "
            f"{e(source['published'])})<br>{e(source['url'])}</p>"
            f"<blockquote>{e(single_line(source['sentence']))}</blockquote>"
            f"<p style=\"color:#999;font-size:small\">monitor alert {e(alert.delivery_id)}</p>"
            "</body></html>")


def payload(alert: Alert) -> dict[str, Any]:
    c = change(alert)
    return {"version": PAYLOAD_VERSION, "type": "monitor.answer", "id": alert.delivery_id,
            "watch": alert.watch, "change": c["change"], "state": c["state"],
            "start": c["start"], "end": c["end"], "previous": c.get("previous"),
            "source": c["source"]}


def _previous(previous: dict[str, Any] | None) -> str:
    if not previous:
        return "nothing announced"
    return f"{previous['state']} {days(previous['start'], previous['end'])}"
