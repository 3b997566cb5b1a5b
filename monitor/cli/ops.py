"""Commands for the ops person: ``backup`` and ``stats``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from monitor.cli.support import Paths, db_path, load_settings, open_reader, reports_damage
from monitor.errors import StoreError
from monitor.models import iso


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace TARGET if it exists.")
@click.pass_obj
@reports_damage
def backup(paths: Paths, target: Path, force: bool) -> None:
    """Copy the live database to TARGET, consistently, while the worker runs (SQLite's
    online backup), and check the copy. To restore: stop monitor, remove the
    monitor.db-wal and monitor.db-shm files beside the database, copy the backup over
    monitor.db, start monitor.

    \b
    Example:
      monitor backup storage/monitor-backup.db --force
    """
    if target.exists() and not force:
        click.echo(f"{target} exists; give --force to replace it", err=True)
        sys.exit(2)
    config = load_settings(paths)
    source = db_path(paths, config)
    if Path(source).resolve() == target.resolve():
        click.echo("TARGET is the live database itself; choose another path", err=True)
        sys.exit(2)
    try:
        counts = open_reader(paths, config).backup(target)
    except StoreError as exc:
        click.echo(str(exc), err=True)
        sys.exit(3)
    size = target.stat().st_size / 1e6
    click.echo(f"backed up {source} to {target} ({size:.1f} MB; {counts['feeds']} feeds, "
               f"{counts['entries']} entries, {counts['hits']} hits, "
               f"{counts['deliveries']} deliveries); integrity check: ok")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
@reports_damage
def stats(paths: Paths, as_json: bool) -> None:
    """Feeds by status, entries and hits per day (14 days), delivery success rate and
    latency, the slowest feeds.

    \b
    Example:
      monitor stats --json
    """
    config = load_settings(paths)
    numbers = open_reader(paths, config).stats(iso(datetime.now(UTC)))
    if as_json:
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
        return
    d = numbers["deliveries"]
    rate = "-" if d["success_rate"] is None else f"{d['success_rate']:.1%}"
    latency = {k: "-" if v is None else f"{v} s" for k, v in d["latency_seconds"].items()}
    feeds = ", ".join(f"{k} {v}" for k, v in numbers["feeds_by_status"].items())
    lines = [f"feeds: {feeds or 'none polled yet'}",
             f"entries: {numbers['totals']['entries']}, hits: {numbers['totals']['hits']}",
             f"deliveries: {', '.join(f'{k} {v}' for k, v in d['by_status'].items()) or 'none'}"
             f"; success {rate}; latency median {latency['median']}, p95 {latency['p95']}",
             "hits per day: " + (", ".join(f"{k} {v}" for k, v in
                                           numbers["hits_per_day"].items()) or "none"),
             "slowest feeds: " + (", ".join(f"{r['name']} {r['seconds']:.2f}s" for r in
                                            numbers["slowest_feeds"]) or "none")]
    click.echo("\n".join(lines))
