"""Commands for the rule author: ``test-rule`` and ``rematch``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import NoReturn

import click

from monitor.cli.support import (
    Paths,
    iso_arg,
    load_settings,
    make_context,
    open_reader,
    reports_damage,
)
from monitor.match import Matcher, QueryError
from monitor.models import Entry, FeedState, Match, WatchConfig
from monitor.pipeline.deliver import deliver_pending
from monitor.pipeline.rematch import rematch as run_rematch
from monitor.sources.fetch import fetch_feed, make_client, options_for
from monitor.text import html_to_text, plural, single_line


@click.command("test-rule")
@click.argument("query")
@click.option("--text", help="Test against this text.")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Test against the text of this file (HTML is read as text; a PDF, "
              "DOCX, RTF or ODT as its text, which doc: matches too).")
@click.option("--url", help="Fetch this page, feed or document and test it (each entry of a "
              "feed).")
@click.option("--feed", "feed_name", help="Test the entries stored for this feed.")
@click.option("--limit", default=100, show_default=True,
              help="With --feed: how many of the newest entries.")
@click.pass_obj
def test_rule(paths: Paths, query: str, text: str | None, path: Path | None, url: str | None,
              feed_name: str | None, limit: int) -> None:
    """Try a query: does it match, which words, in which sentence. Exit 0 on a match, 1 if
    nothing matched, 2 if the query is invalid.

    \b
    Example:
      monitor test-rule '"союзная программа" AND текст' \\
          --text "Тексты союзных программ опубликованы."
      monitor test-rule 'supreme state council' --feed tass-en --limit 500
    """
    if sum(x is not None for x in (text, path, url, feed_name)) != 1:
        raise click.UsageError("give exactly one of --text, --file, --url, --feed")
    matcher = _compile(query)
    entries = _entries(paths, text, path, url, feed_name, limit)
    matched = 0
    for label, entry in entries:
        found = matcher.match(entry, "")
        matched += bool(found)
        if found or len(entries) == 1:
            _print_result(label, entry, found)
    if len(entries) > 1:
        click.echo(f"{matched} of {plural(len(entries), 'entry')} match")
    sys.exit(0 if matched else 1)


def _compile(query: str) -> Matcher:
    try:
        matcher = Matcher([WatchConfig("test-rule", (), query=query)])
        matcher.compile()
        return matcher
    except QueryError as exc:
        click.echo(query, err=True)
        click.echo(" " * (exc.column - 1) + "^", err=True)
        click.echo(f"invalid query: {exc}", err=True)
        sys.exit(2)


def _entries(paths: Paths, text: str | None, path: Path | None, url: str | None,
             feed_name: str | None, limit: int) -> list[tuple[str, Entry]]:
    if text is not None:
        return [("text", Entry("text", "", "", None, text))]
    if path is not None:
        body = path.read_bytes()
        document = _document(body, str(path), "")
        return [(str(path), document or Entry("file", "", "", None, html_to_text(
            body.decode("utf-8", "replace"))))]
    if url is not None:
        return _from_url(paths, url)
    config = load_settings(paths)
    names = [f.name for f in config.feeds]
    if feed_name not in names:
        _fail(f"--feed: no feed is named {feed_name!r}; known: {', '.join(names)}")
    rows = open_reader(paths, config).stored_entries(feed=feed_name, limit=limit)
    return [(f"{feed} {e.published or ''} {e.url}", e) for _, feed, e in rows]


def fetch_once(paths: Paths, url: str) -> tuple[bytes, dict[str, str], str]:
    """One guarded GET with the config's settings, or exit 2 saying why it failed."""
    opts = options_for(load_settings(paths).settings)

    async def get() -> tuple[bytes, dict[str, str], str]:
        async with make_client(opts, 1) as client:
            result = await fetch_feed(client, FeedState("test", url), opts)
        if result.error:
            _fail(f"{url}: {result.error}")
        return result.body, result.headers, result.url

    return asyncio.run(get())


def _from_url(paths: Paths, url: str) -> list[tuple[str, Entry]]:
    body, headers, final_url = fetch_once(paths, url)
    from monitor.sources.parse import parse_feed  # feedparser: only this command needs it here

    document = _document(body, final_url, headers.get("content-type", ""))
    if document is not None:
        return [(final_url, document)]
    parsed = parse_feed(body, headers, final_url)
    if parsed.entries:
        return [(e.url or e.title, e) for e in parsed.entries]
    page = html_to_text(body.decode("utf-8", "replace"))
    return [(final_url, Entry("page", "", final_url, None, page))]


def _document(body: bytes, url: str, content_type: str) -> Entry | None:
    """A PDF, DOCX, RTF or ODT (at ``url``, a link or a path) as an entry whose text is the
    document's (so that plain words and ``doc:`` both match it, as a poll would); None
    for anything that is not a document."""
    from monitor.sources.doctext import READERS, document_text
    from monitor.sources.documents import EXTENSIONS, sniff

    kind = sniff(body, "", content_type)
    if kind not in EXTENSIONS:
        return None
    if kind not in READERS:  # (Word 97's doc, the one kind without a reader)
        _fail(f"{url}: a Word 97 document; monitor archives these but does not read "
              "their text: save it as DOCX or PDF to test it")
    try:
        text = document_text(body, kind)
    except Exception as exc:  # noqa: BLE001 (a document is untrusted; any reader may fail)
        _fail(f"{url}: cannot read this {kind.upper()} ({type(exc).__name__}: {exc})")
    return Entry("document", "", url, None, text).with_documents((url,), (text,))


def _fail(message: str) -> NoReturn:
    """Say why the command cannot run, and exit 2."""
    click.echo(message, err=True)
    sys.exit(2)


def _print_result(label: str, entry: Entry, found: list[Match]) -> None:
    click.echo(f"{'MATCH' if found else 'no match'}: {label}")
    if entry.title:
        click.echo(f"  title:   {single_line(entry.title)}")
    for m in found:
        click.echo(f"  matched: {', '.join(m.terms)}")
        click.echo(f"  snippet: {m.snippet}")


@click.command()
@click.option("--watch", "watch_name", help="Only this watch.")
@click.option("--since", help="Only entries first seen at or after this ISO time.")
@click.option("--alert", is_flag=True, help="Also alert about the new hits (default: store only).")
@click.pass_obj
@reports_damage
def rematch(paths: Paths, watch_name: str | None, since: str | None, alert: bool) -> None:
    """Apply the current watches to stored entries and record the hits they were missing.

    Use it after changing a rule. New hits are stored without alerts unless --alert is
    given; with --alert, matching hits stored earlier without alerts are alerted too (a hit
    is never alerted twice through one notifier). To alert a few chosen hits instead:
    `monitor redeliver --hits HIT_ID...`.

    \b
    Example:
      monitor rematch --watch supreme-state-council-date --since 2021-09-01 --alert
    """
    ctx = make_context(paths)
    if watch_name is not None and watch_name not in {w.name for w in ctx.config.watches}:
        raise click.BadParameter(f"no watch is named {watch_name!r}", param_hint="--watch")
    result = run_rematch(ctx, watch_name, iso_arg(since), alert)
    click.echo(f"rematched {plural(result.entries, 'entry')}: {plural(result.added, 'new hit')}")
    if alert:
        click.echo(f"queued {plural(result.queued, 'alert')} (new hits and earlier ones "
                   "stored without alerts)")
        d = deliver_pending(ctx.store, ctx.notifiers, ctx.clock, ctx.retry_policy)
        click.echo(f"alerts: sent={d.sent} retry={d.failed} dead={d.dead}")
