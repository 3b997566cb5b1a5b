"""The command line, and the composition root: builds config, store, notifiers, clock.

No logic lives here beyond wiring and printing; see ``pipeline.py`` for the flow.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta

import click

from monitor import __version__
from monitor.cli.alerts import deliveries, notifier_report, redeliver, test_notify
from monitor.cli.feeds_io import add_feed, export_opml, import_opml
from monitor.cli.ops import backup, stats
from monitor.cli.pages import test_page
from monitor.cli.progress import PollProgress
from monitor.cli.reading import answers, documents, feeds, hits
from monitor.cli.report import startup_lines
from monitor.cli.rules import rematch, test_rule
from monitor.cli.serve import serve
from monitor.cli.support import (
    Paths,
    db_path,
    load,
    load_settings,
    make_context,
    open_store,
    reports_damage,
    utc_now,
)
from monitor.errors import StoreError
from monitor.models import iso, parse_iso
from monitor.pipeline import CYCLE_FINISHED_KEY, deliver_cycle, poll_cycle, run_cycle
from monitor.scheduler import Worker
from monitor.store import Store
from monitor.text import plural, sources
from monitor.web.metrics import StatsCollector, serve_metrics
from monitor.workers.pool import start_forkserver


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="monitor")
@click.option("--config", "config_path", envvar="MONITOR_CONFIG", default="config/monitor.toml",
              show_default=True, help="Config file (env MONITOR_CONFIG).")
@click.option("--db", envvar="MONITOR_DB", default=None,
              help="SQLite file (env MONITOR_DB); default: monitor.db in the config, "
                   "else storage/monitor.db.")
@click.pass_context
def cli(ctx: click.Context, config_path: str, db: str | None) -> None:
    """Media monitoring: poll feeds, match watches, store hits, alert.

    \b
    Example:
      monitor check && monitor poll && monitor hits
    """
    ctx.obj = Paths(config_path, db)


@cli.command()
@click.option("--no-connect", is_flag=True,
              help="Do not connect to the SMTP servers of enabled email notifiers.")
@click.pass_obj
def check(paths: Paths, no_connect: bool) -> None:
    """Validate the config and every watch (its examples too), and connect to each enabled
    email notifier's server to check security and login (nothing is sent); exit 2 listing
    each problem.

    \b
    Example:
      monitor --config config/monitor.toml check
    """
    config = load(paths)
    click.echo(f"{paths.config}: ok ({sources(config.feeds)}, "
               f"{plural(len(config.watches), 'watch')}, "
               f"{plural(len(config.notifiers), 'notifier')})")
    if not notifier_report(config, connect=not no_connect):
        sys.exit(2)


@cli.command()
@click.option("--feed", "feed_name", default=None, help="Poll only this feed.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also write the log (one line per feed, notifiers) to stderr.")
@click.pass_obj
def poll(paths: Paths, feed_name: str | None, verbose: bool) -> None:
    """Poll every feed once (or one), store hits and send alerts; print one line per feed.

    Runs exactly the code the scheduler runs. Exits 0 even when feeds fail; their
    errors are recorded (see `monitor feeds`); 3 when a commit failed. The log goes to
    stderr only with --verbose (errors always).

    \b
    Example:
      monitor poll --feed kremlin-en
    """
    # the workers' forkserver started as the CLI loaded (cli/early.py); where it did not
    # (the CLI imported in-process), it starts, in a thread, with the first document
    ctx = make_context(paths, None if verbose else "error")
    names = [f.name for f in ctx.config.feeds]
    if feed_name is not None and feed_name not in names:
        click.echo(f"--feed: no feed is named {feed_name!r}; known: {', '.join(names)}",
                   err=True)
        sys.exit(2)
    started = time.monotonic()
    bar = PollProgress(1 if feed_name else len(names)) if sys.stdout.isatty() else None
    try:
        with bar or contextlib.nullcontext() as progress:
            result = run_cycle(replace(ctx, progress=progress), [feed_name] if feed_name else None)
    finally:
        ctx.parser.close()
    seconds = time.monotonic() - started
    for s in result.polled:
        detail = f"  {s.error}" if s.error else ""
        click.echo(f"{s.feed:<24} {s.status:<12} new={s.new_entries:<4} hits={s.hits:<3} "
                   f"{s.seconds:.2f}s{detail}")
    d = result.delivery
    click.echo(f"alerts: sent={d.sent} retry={d.failed} dead={d.dead}")
    click.echo(f"cycle: {plural(len(result.polled), 'feed')} in {seconds:.2f}s")
    if result.store_error:
        click.echo(f"error: {result.store_error}", err=True)
        sys.exit(3)


@cli.command()
@click.option("--metrics-port", type=int, default=None,
              help="Also serve Prometheus metrics on 127.0.0.1:PORT/metrics.")
@click.pass_obj
def run(paths: Paths, metrics_port: int | None) -> None:
    """Run the scheduler until SIGTERM or SIGINT (the service's main command).

    \b
    Example:
      MONITOR_CONFIG=config/monitor.toml monitor run
    """
    start_forkserver()  # starts while the config loads
    ctx = make_context(paths)
    names, now = [f.name for f in ctx.config.feeds], iso(utc_now())
    for line in startup_lines(ctx.config, db_path(paths, ctx.config),
                              *ctx.store.next_polls(names, now)):
        click.echo(line)
    if metrics_port:
        serve_metrics(metrics_port, StatsCollector(lambda: Store.open_readonly(
            db_path(paths, ctx.config)), CYCLE_FINISHED_KEY))
        click.echo(f"  metrics:   http://127.0.0.1:{metrics_port}/metrics")
    # delivery has its own store connection: its commits never join a poll's transaction
    sender = replace(ctx, store=open_store(paths, ctx.config))

    def poll_job(stop: threading.Event) -> None:
        result = poll_cycle(ctx, due_only=True, stop=stop)
        if result.store_error:
            raise StoreError(result.store_error)

    def deliver_job(stop: threading.Event) -> None:
        deliver_cycle(sender, stop)

    Worker({"poll": poll_job, "deliver": deliver_job}, ctx.config.settings.tick).run()
    ctx.parser.close()


@cli.command()
@click.pass_obj
@reports_damage
def healthcheck(paths: Paths) -> None:
    """Exit 0 when a poll cycle finished recently and not every feed fails, else 1 (3: the
    database is unusable).

    Cheap enough to run every 30 s: it reads the config and one value, and compiles no
    watch. "Recently": within 3 ticks plus twice the fetch timeout plus a minute.

    \b
    Example (the Docker HEALTHCHECK):
      monitor healthcheck
    """
    config = load_settings(paths)
    store = open_store(paths, config)
    finished = store.get_meta(CYCLE_FINISHED_KEY)
    s = config.settings
    limit = timedelta(seconds=3 * s.tick + 2 * s.fetch_timeout + 60)
    if finished is None:
        click.echo("unhealthy: no poll cycle has finished yet (is `monitor run` running?)")
        sys.exit(1)
    age = utc_now() - parse_iso(finished)
    if age > limit:
        click.echo(f"unhealthy: the last poll cycle finished at {finished}, "
                   f"{int(age.total_seconds())}s ago (limit {int(limit.total_seconds())}s)")
        sys.exit(1)
    polled, failing = store.failing_counts()
    if polled and failing == polled:
        click.echo(f"unhealthy: every feed fails ({failing} of {polled}); see `monitor feeds` "
                   "(is the network or DNS down?)")
        sys.exit(1)
    click.echo(f"healthy: last poll cycle finished at {finished}; {failing} of {polled} "
               "feeds failing")


for command in (feeds, hits, answers, documents, test_rule, test_page, rematch, deliveries,
                redeliver, test_notify, backup, serve, stats):
    cli.add_command(command)


for command in (import_opml, export_opml, add_feed):
    feeds.add_command(command)


def main() -> None:
    try:
        cli(prog_name="monitor")
    finally:  # the interpreter's last collections skip frozen objects: 40 ms of every
        gc.freeze()  # `monitor poll` went to tearing down what the process is about to drop
