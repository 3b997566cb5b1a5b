"""The reading commands: ``feeds``, ``hits`` and ``answers``. They open the database read-only (a
backup, a read-only volume) and never compile the watches."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from monitor.cli.report import answer_lines, feed_lines, hit_lines
from monitor.cli.support import Paths, iso_arg, load_settings, open_reader, reports_damage


@click.group(invoke_without_command=True)
@click.pass_context
def feeds(ctx: click.Context) -> None:
    """Show each feed and page: URL, last poll, status, last error, entries, hits, next
    check; `feeds import`, `export` and `add` bring sources in and out.

    \b
    Example:
      monitor feeds
    """
    if ctx.invoked_subcommand is None:
        _show_feeds(ctx.obj)


@reports_damage
def _show_feeds(paths: Paths) -> None:
    config = load_settings(paths)
    store = open_reader(paths, config)
    urls = {f.name: f.url for f in config.feeds}
    rows = [{**r, "url": r.get("url") or urls[r["name"]]}
            for r in store.feed_report(list(urls))]
    for line in feed_lines(rows, config.settings.timezone):
        click.echo(line)


@click.command()
@click.option("--watch", default=None, help="Only hits of this watch.")
@click.option("--since", default=None,
              help="Only hits matched (found by monitor) at or after this ISO time.")
@click.option("--published-since", default=None,
              help="Only hits on items published at or after this ISO time.")
@click.option("--limit", default=50, show_default=True, help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list instead of text (times in UTC, matched_terms a list).")
@click.pass_obj
@reports_damage
def hits(paths: Paths, watch: str | None, since: str | None, published_since: str | None,
         limit: int, as_json: bool) -> None:
    """Show what matched, newest first. --since is when monitor found the item,
    --published-since when the outlet published it.

    \b
    Example:
      monitor hits --watch union-program-texts --since 2021-09-01 --json
      monitor hits --published-since 2021-09-01
    """
    config = load_settings(paths)
    store = open_reader(paths, config)
    _known_watch(watch, [w.name for w in config.watches], store.hit_watch_names())
    rows = store.hits(watch, iso_arg(since, "--since"),
                      iso_arg(published_since, "--published-since"), limit)
    if as_json:
        click.echo(json.dumps([_as_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    for line in hit_lines(rows, config.settings.timezone):
        click.echo(line)


def _known_watch(watch: str | None, configured: list[str], stored: list[str]) -> None:
    """An unknown --watch is an error, not an empty list (a watch no longer configured
    still has its hits)."""
    if watch is not None and watch not in configured and watch not in stored:
        known = ", ".join(dict.fromkeys(configured + stored)) or "none"
        click.echo(f"--watch: no watch is named {watch!r}; known: {known}", err=True)
        sys.exit(2)


def _as_json(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "matched_terms": json.loads(row["matched_terms"] or "[]")}


@click.command()
@click.option("--watch", default=None, help="Only the answer of this watch.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list: watch, state, start, end, sources, history.")
@click.pass_obj
@reports_damage
def answers(paths: Paths, watch: str | None, as_json: bool) -> None:
    """Show the answer of each watch with extract = "date": the date announced for the
    event (or that it was held), its sources and how it changed.

    \b
    Example:
      monitor answers
      monitor answers --watch supreme-state-council-date --json
    """
    config = load_settings(paths)
    names = [w.name for w in config.watches if w.extract]
    _known_watch(watch, names, [])
    stored = {a.watch: a for a in open_reader(paths, config).answers()}
    rows = [_answer(name, stored.get(name)) for name in names if watch in (None, name)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for line in answer_lines(rows) or ["no watch has extract = \"date\""]:
        click.echo(line)


def _answer(watch: str, row: Any) -> dict[str, Any]:
    if row is None:
        return {"watch": watch, "state": "unknown", "start": None, "end": None,
                "sources": [], "history": []}
    return {"watch": watch, "state": row.state, "start": row.start, "end": row.end,
            "sources": json.loads(row.sources), "history": json.loads(row.history)}


@click.command()
@click.option("--feed", default=None, help="Only the documents of this feed or page.")
@click.option("--limit", default=50, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list: url, kind, content_type, size, sha256, path, entry.")
@click.pass_obj
@reports_damage
def documents(paths: Paths, feed: str | None, limit: int, as_json: bool) -> None:
    """Show the documents entries carried (PDF, DOCX, RTF, ODT, act pages), newest first:
    where they were found, their SHA-256, how much text was read (what doc: matches) and
    the archived copy.

    \b
    Example:
      monitor documents --json
    """
    config = load_settings(paths)
    rows = open_reader(paths, config).documents(feed, limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        state = f"error: {r['error']}" if r["error"] else \
            f"{r['kind']}, {r['size'] or 0:,} bytes, sha256 {r['sha256']}, {_text_state(r)}"
        click.echo(f"{r['fetched_at']}  {r['feed']}  {r['url']}\n    {state}\n"
                   f"    in: {r['entry_title'] or ''} {r['entry_url'] or ''}\n"
                   f"    archived: {r['path'] or '-'}")
    if not rows:
        click.echo("no documents")


def _text_state(row: dict[str, Any]) -> str:
    """Whether ``doc:`` can match the document: how much text was read from it."""
    if row["text_chars"]:
        return f"text: {row['text_chars']:,} characters"
    reason = "a Word 97 file" if row["kind"] == "doc" else "a scan, or unreadable"
    return f"no text read ({reason}: doc: cannot match it)"
