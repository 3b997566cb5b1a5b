"""Commands for the ops person: ``backup``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor.cli.support import Paths, db_path, load_settings, open_reader, reports_damage
from monitor.errors import StoreError


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
