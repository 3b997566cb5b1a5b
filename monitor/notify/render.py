"""Pure formatting of alerts: email message parts and the webhook JSON payload.

Everything that came from a feed is escaped in HTML; links are only http(s).
"""

from __future__ import annotations

import html
import re
from typing import Any

from monitor.models import Alert, local_time
from monitor.notify import answer_text
from monitor.notify.digest import is_summary
from monitor.notify.evidence import document_html, document_lines, documents
from monitor.text import plural, single_line

PAYLOAD_VERSION = 1
MAX_SUBJECT = 180
MAX_SNIPPET = 2000
MAX_TITLE = 500
MAX_TERMS = 20
MAX_TERM = 100  # with these caps a webhook body stays well under 20 KB


def subject(alert: Alert) -> str:
    if alert.kind == "answer":
        return answer_text.subject(alert)
    label = f"{alert.watch}: " if alert.kind == "hit" else ""
    text = single_line(f"[monitor] {label}{alert.title or '(untitled)'}")
    return text if len(text) <= MAX_SUBJECT else text[:MAX_SUBJECT - 1] + "…"


def text_body(alert: Alert, zone: str = "UTC") -> str:
    if alert.kind == "answer":
        return answer_text.text_body(alert)
    if alert.kind != "hit":
        return (f"{single_line(alert.title)}\n\nFeed: {alert.feed}\nURL:  {alert.url}\n"
                f"Since: {local_time(alert.matched_at, zone)}\n\n{single_line(alert.snippet)}\n\n"
                f"See `monitor feeds`.\n-- monitor alert {alert.delivery_id}\n")
    lines = [
        f"Watch:     {alert.watch}",
        f"Title:     {single_line(alert.title)}",
        f"Link:      {alert.url or '(none)'}",
        f"Published: {local_time(alert.published, zone, 'unknown')}",
        f"Author:    {single_line(alert.author) or 'unknown'}",
        f"Feed:      {alert.feed}",
        f"Matched:   {', '.join(alert.matched_terms)}",
        *document_lines(alert),
        "",
        single_line(alert.snippet)[:MAX_SNIPPET],
        "",
        f"-- monitor alert {alert.delivery_id} (hit {alert.hit_id})",
    ]
    return "\n".join(lines) + "\n"


def html_body(alert: Alert, zone: str = "UTC") -> str:
    if alert.kind == "answer":
        return answer_text.html_body(alert)
    e = html.escape
    if alert.kind != "hit":
        return (f"<!doctype html><html><body><h2>{e(single_line(alert.title))}</h2>"
                f"<p>Feed <b>{e(alert.feed)}</b> ({e(alert.url)})<br>Since "
                f"{e(local_time(alert.matched_at, zone))}</p><p>{e(single_line(alert.snippet))}</p>"
                "</body></html>")
    title = e(single_line(alert.title) or "(untitled)")
    heading = f'<a href="{e(alert.url, quote=True)}">{title}</a>' if _http(alert.url) else title
    return (
        "<!doctype html><html><body>"
        f"<p style=\"color:#555\">Watch <b>{e(alert.watch)}</b> matched in feed "
        f"<b>{e(alert.feed)}</b></p>"
        f"<h2>{heading}</h2>"
        f"<p>{mark_terms(single_line(alert.snippet)[:MAX_SNIPPET], alert.matched_terms)}</p>"
        f"<p style=\"color:#555\">Published: {e(local_time(alert.published, zone, 'unknown'))}<br>"
        f"Author: {e(single_line(alert.author) or 'unknown')}<br>"
        f"Matched: {e(', '.join(alert.matched_terms))}</p>"
        + document_html(alert) +
        f"<p style=\"color:#999;font-size:small\">monitor alert {e(alert.delivery_id)}</p>"
        "</body></html>"
    )


def mark_terms(snippet: str, terms: tuple[str, ...]) -> str:
    """Escape the snippet and wrap each matched term in <mark>."""
    wanted = sorted({t for t in terms if t}, key=len, reverse=True)
    if not wanted:
        return html.escape(snippet)
    pattern = re.compile("|".join(re.escape(single_line(t)) for t in wanted), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(snippet):
        out += [html.escape(snippet[pos:m.start()]), f"<mark>{html.escape(m.group())}</mark>"]
        pos = m.end()
    return "".join(out) + html.escape(snippet[pos:])


def webhook_payload(alert: Alert) -> dict[str, Any]:
    if alert.kind == "answer":
        return answer_text.payload(alert)
    if alert.kind != "hit":
        return {"version": PAYLOAD_VERSION, "type": f"monitor.{alert.kind}",
                "id": alert.delivery_id, "feed": alert.feed, "url": alert.url,
                "at": alert.matched_at, "message": alert.snippet[:MAX_SNIPPET]}
    return {
        "version": PAYLOAD_VERSION,
        "type": "monitor.hit",
        "id": alert.delivery_id,
        "hit_id": alert.hit_id,
        "watch": alert.watch,
        "feed": alert.feed,
        "title": single_line(alert.title)[:MAX_TITLE],
        "url": alert.url if _http(alert.url) else "",
        "published": alert.published,
        "author": single_line(alert.author)[:MAX_TERM],
        "matched_at": alert.matched_at,
        "matched_terms": [t[:MAX_TERM] for t in alert.matched_terms[:MAX_TERMS]],
        "snippet": alert.snippet[:MAX_SNIPPET],
        "documents": documents(alert),
    }


def _http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def digest_subject(alerts: list[Alert], digest_id: str = "") -> str:
    watches = ", ".join(dict.fromkeys(a.watch for a in alerts))
    count = plural(len(alerts), "earlier hit" if is_summary(digest_id) else "hit")
    label = "first poll" if is_summary(digest_id) else "digest"
    text = single_line(f"[monitor] {label}: {count} ({watches})")
    return text if len(text) <= MAX_SUBJECT else text[:MAX_SUBJECT - 1] + "…"


def by_watch(alerts: list[Alert]) -> dict[str, list[Alert]]:
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.watch, []).append(alert)
    return groups


SUMMARY_INTRO = ("These items were already in their feeds when monitor first polled them "
                 "(published before first_poll_window, or undated), so they come together "
                 "here; newer items were alerted one by one.")


def digest_text(digest_id: str, alerts: list[Alert], zone: str = "UTC") -> str:
    lines = [SUMMARY_INTRO, ""] if is_summary(digest_id) else []
    for watch, group in by_watch(alerts).items():
        lines += [f"== {watch} ({len(group)})", ""]
        for a in group:
            lines += [f"* {single_line(a.title)}", f"  {a.url or '(no link)'}",
                      f"  {a.feed} | {local_time(a.published, zone, 'undated')} | "
                      f"matched: {', '.join(a.matched_terms)}",
                      f"  {single_line(a.snippet)[:500]}", ""]
    return "\n".join(lines) + f"-- monitor digest {digest_id}\n"


def digest_html(digest_id: str, alerts: list[Alert], zone: str = "UTC") -> str:
    e = html.escape
    parts = ["<!doctype html><html><body>"]
    if is_summary(digest_id):
        parts.append(f"<p>{e(SUMMARY_INTRO)}</p>")
    for watch, group in by_watch(alerts).items():
        parts.append(f"<h2>{e(watch)} ({len(group)})</h2><ul>")
        for a in group:
            title = e(single_line(a.title) or "(untitled)")
            link = f'<a href="{e(a.url, quote=True)}">{title}</a>' if _http(a.url) else title
            parts.append(f"<li><b>{link}</b><br><small>{e(a.feed)} | "
                         f"{e(local_time(a.published, zone, 'undated'))}</small><br>"
                         f"{mark_terms(single_line(a.snippet)[:500], a.matched_terms)}</li>")
        parts.append("</ul>")
    parts.append(f"<p style=\"color:#999;font-size:small\">monitor digest {e(digest_id)}</p>"
                 "</body></html>")
    return "".join(parts)


def digest_payload(digest_id: str, alerts: list[Alert]) -> dict[str, Any]:
    kind = "monitor.summary" if is_summary(digest_id) else "monitor.digest"
    return {"version": PAYLOAD_VERSION, "type": kind, "id": digest_id,
            "hits": [webhook_payload(a) for a in alerts]}
