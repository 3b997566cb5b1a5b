"""``test-page``: what a page source would extract, to write its selectors."""

from __future__ import annotations

import sys

import click

from monitor.cli.rules import fetch_once
from monitor.cli.support import Paths
from monitor.models import PageRule
from monitor.text import plural


@click.command("test-page")
@click.argument("url")
@click.option("--links", required=True, help="CSS selector of the item links.")
@click.option("--title", default=None, help="CSS selector of the title in each item.")
@click.option("--date", default=None, help="CSS selector of the date in each item.")
@click.pass_obj
def test_page(paths: Paths, url: str, links: str, title: str | None, date: str | None) -> None:
    """Fetch a page and show the entries a [[pages]] source with these selectors would
    make (exit 1 when it finds none).

    \b
    Example:
      monitor test-page https://www.postkomsg.com/documents/ --links "main a"
    """
    from monitor.sources.page import parse_page  # beautifulsoup4: only for this command

    body, headers, final_url = fetch_once(paths, url)
    parsed = parse_page(body, headers, final_url, PageRule(links, title, date))
    if parsed.error:
        click.echo(f"{url}: {parsed.error}", err=True)
        sys.exit(1)
    for entry in parsed.entries:
        docs = "  [document]" if entry.documents else ""
        click.echo(f"{entry.published or 'undated':<22} {entry.title[:80]}{docs}\n"
                   f"{'':<22} {entry.url}")
    click.echo(f"{plural(len(parsed.entries), 'entry')}")
