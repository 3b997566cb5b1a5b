"""``feeds import``, ``feeds export`` and ``feeds add``: sources in and out as OPML, and a
site's feed found through monitor's own fetcher. New feeds are printed as TOML to add, or
appended to the config file with ``--write`` (its comments stay as they are)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from monitor.cli.support import Paths, load_settings
from monitor.models import FeedState
from monitor.settings.model import Config
from monitor.sources.fetch import fetch_feed, make_client, options_for
from monitor.sources.opml import advertised, name_for, read_opml, same_url, toml_feed, write_opml
from monitor.text import plural


def _add(config: Config, paths: Paths, found: list[tuple[str, str]], write: bool) -> None:
    """Feeds whose URL the config lacks, as TOML: printed, or appended with ``write``."""
    known = {same_url(f.url) for f in config.feeds}
    taken = {f.name for f in config.feeds}
    new = [(name_for(url, taken), url) for url, _ in found if same_url(url) not in known]
    new = list({same_url(url): (name, url) for name, url in new}.values())
    text = "".join(toml_feed(name, url) for name, url in new)
    if write and new:
        with Path(paths.config).open("a", encoding="utf-8") as out:
            out.write(text)
    click.echo(f"{plural(len(new), 'new feed')}, {plural(len(found) - len(new), 'already known')}"
               + (f"; appended to {paths.config}" if write and new else ""), err=True)
    if not write:
        click.echo(text, nl=False)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Append the new feeds to the config file.")
@click.pass_obj
def import_opml(paths: Paths, file: Path, write: bool) -> None:
    """Add the feeds of an OPML file (a feed reader's export) that the config lacks.

    \b
    Example:
      monitor feeds export > feeds.opml && monitor feeds import feeds.opml
    """
    config = load_settings(paths)
    try:
        found = read_opml(file.read_bytes())
    except Exception as exc:  # listparser on a broken file: say so, no traceback
        click.echo(f"{file}: not a readable OPML file ({type(exc).__name__}: {exc})", err=True)
        sys.exit(2)
    if not found:
        click.echo(f"{file}: no feeds in this OPML file", err=True)
        sys.exit(1)
    _add(config, paths, [(f.url, f.title) for f in found], write)


@click.command("export")
@click.pass_obj
def export_opml(paths: Paths) -> None:
    """Print the config's feeds as OPML 2.0, for a feed reader.

    \b
    Example:
      monitor feeds export > feeds.opml
    """
    config = load_settings(paths)
    click.echo(write_opml([(f.name, f.url) for f in config.feeds if f.page is None]), nl=False)


@click.command("add")
@click.argument("url")
@click.option("--write", is_flag=True, help="Append the feed to the config file.")
@click.pass_obj
def add_feed(paths: Paths, url: str, write: bool) -> None:
    """Add a feed by its URL, or by a site page's URL: its advertised feeds and the common
    feed paths are tried through monitor's own (guarded) fetcher.

    \b
    Example:
      monitor feeds add http://kremlin.ru/events/president/news/feed
    """
    config = load_settings(paths)
    found = asyncio.run(_discover(config, url))
    if not found:
        click.echo(f"{url}: no feed found there or at the common feed paths", err=True)
        sys.exit(1)
    click.echo(f"found: {found}", err=True)
    _add(config, paths, [(found, "")], write)


async def _discover(config: Config, url: str) -> str:
    from monitor.sources.parse import parse_feed  # feedparser: only for this command

    opts = options_for(config.settings)
    async with make_client(opts, 2) as client:
        first = await fetch_feed(client, FeedState("add", url), opts)
        if first.error:
            return ""
        if not parse_feed(first.body, first.headers, first.url).error:
            return first.url
        for candidate in advertised(first.body, first.url):
            result = await fetch_feed(client, FeedState("add", candidate), opts)
            if not result.error and not parse_feed(result.body, result.headers,
                                                   result.url).error:
                return result.url
    return ""
