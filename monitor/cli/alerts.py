"""Commands for the alert outbox: ``deliveries``, ``redeliver``, ``test-notify``."""

from __future__ import annotations

import sys

import click

from monitor.cli.report import delivery_lines
from monitor.cli.support import (
    Paths,
    load,
    load_settings,
    open_reader,
    open_store,
    reports_damage,
    utc_now,
)
from monitor.errors import DeliveryError
from monitor.models import Alert, iso
from monitor.notify import REGISTRY, Notifier, build_notifiers
from monitor.pipeline.context import build_routes
from monitor.pipeline.rematch import alert_hits
from monitor.settings.model import Config
from monitor.text import plural


@click.command()
@click.option("--pending", "status", flag_value="pending", help="Only deliveries still to go.")
@click.option("--dead", "status", flag_value="dead", help="Only deliveries that gave up.")
@click.option("--limit", default=50, show_default=True, help="At most this many.")
@click.pass_obj
@reports_damage
def deliveries(paths: Paths, status: str | None, limit: int) -> None:
    """Show alert deliveries, newest first: status, attempts, next try, last error.

    \b
    Example:
      monitor deliveries --dead
    """
    config = load_settings(paths)
    rows = open_reader(paths, config).deliveries(status, limit)
    for line in delivery_lines(rows, config.settings.timezone):
        click.echo(line)


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--dead", "all_dead", is_flag=True, help="Requeue every dead delivery.")
@click.option("--hits", "hits", is_flag=True,
              help="The ids are hit ids (hit_…): alert them through their watches' "
                   "notifiers, e.g. hits that `rematch` stored without alerts.")
@click.pass_obj
@reports_damage
def redeliver(paths: Paths, ids: tuple[str, ...], all_dead: bool, hits: bool) -> None:
    """Requeue deliveries (by id, or all dead ones), or alert stored hits (--hits); the
    worker sends them on its next tick. Exits 1 naming any id that matches nothing.

    \b
    Example:
      monitor redeliver --dead
      monitor redeliver dlv_4f2a9c1e0b7d3a6e5c8f1a2b
      monitor redeliver --hits hit_0000a3f19e8d7c6b5a4f3e2d
    """
    if bool(ids) == all_dead or (hits and all_dead):
        raise click.UsageError("give delivery ids, hit ids with --hits, or --dead (one of them)")
    config = load(paths)
    store, now = open_store(paths, config), iso(utc_now())
    if hits:
        queued, unknown = alert_hits(store, build_routes(config, build_notifiers(config)),
                                     list(ids), now)
        click.echo(f"queued {plural(queued, 'alert')}")
    else:
        count, unknown = store.requeue(list(ids) or None, now)
        click.echo(f"requeued {plural(count, 'delivery')}")
    if unknown:
        kind = "hit" if hits else "delivery"
        click.echo(f"no {kind} has the id {', '.join(unknown)}; see `monitor "
                   f"{'hits' if hits else 'deliveries'}`", err=True)
        sys.exit(1)


@click.command("test-notify")
@click.argument("name")
@click.pass_obj
def test_notify(paths: Paths, name: str) -> None:
    """Send a sample alert through one notifier and report the result (exit 0 if sent).

    \b
    Example:
      monitor test-notify desk
    """
    config = load(paths)
    found = {n.name: n for n in config.notifiers}
    if name not in found:
        raise click.BadParameter(f"no notifier is named {name!r}; known: "
                                 f"{', '.join(found) or 'none'}", param_hint="NAME")
    if found[name].disabled:
        click.echo(f"{name}: disabled ({found[name].disabled}); set it and try again", err=True)
        sys.exit(2)
    notifier = REGISTRY[found[name].type](found[name], config)
    try:
        notifier.send(sample_alert(name))
    except DeliveryError as exc:
        click.echo(f"{name}: FAILED ({'permanent' if exc.permanent else 'temporary'}): {exc}")
        sys.exit(1)
    click.echo(f"{name}: sent a test alert via {notifier.describe()}")


def notifier_report(config: Config, connect: bool) -> bool:
    """Print each notifier's state; with ``connect``, probe the enabled ones. False when
    one is configured in a way its server does not accept."""
    fine = True
    for n in config.notifiers:
        state = f"disabled: {n.disabled}" if n.disabled else "enabled"
        if connect and not n.disabled:
            problem = _probe(REGISTRY[n.type](n, config))
            fine = fine and not problem.startswith("configuration error")
            state += f"; {problem}" if problem else ""
        click.echo(f"notifiers[{n.name}]: {n.type}, {state}")
    return fine


def _probe(notifier: Notifier) -> str:
    try:
        notifier.probe()
    except DeliveryError as exc:
        return str(exc) if exc.permanent else f"{exc} (the worker will retry)"
    return ""


def sample_alert(notifier: str) -> Alert:
    now = iso(utc_now())
    return Alert(f"test_{now}", "hit_test", notifier, "test-notify", "monitor",
                 "monitor test alert: Высший Государственный совет", "https://example.org/",
                 now, now, ("Высший Государственный совет",),
                 "This is a test alert from monitor: Высший Государственный совет.")
