"""Helpers shared by the CLI's command modules: paths, config and store loading, logging."""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from monitor.errors import ConfigError, StoreError
from monitor.match import Matcher, compile_rules
from monitor.notify import build_notifiers
from monitor.pipeline import Context
from monitor.settings.load import load_config
from monitor.settings.model import Config
from monitor.sources.fetch import make_client, options_for
from monitor.store import Store, db_error, is_damaged
from monitor.workers.pool import ParsePool

DEFAULT_DB = "storage/monitor.db"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Paths:
    config: str
    db: str | None


def load(paths: Paths) -> Config:
    """The validated config, or exit 2 printing every problem."""
    return load_rules(paths)[0]


def load_settings(paths: Paths) -> Config:
    """The validated config without compiling the watches (cheap: for healthcheck)."""
    try:
        return load_config(paths.config)
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(2)


def load_rules(paths: Paths) -> tuple[Config, Matcher]:
    """The validated config and its compiled watches, or exit 2 printing every problem."""
    try:
        config = load_config(paths.config)
        matcher, problems = compile_rules(config.watches)
        if problems:
            raise ConfigError(problems)
        return config, matcher
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(2)


def db_path(paths: Paths, config: Config | None) -> str:
    return paths.db or (config.settings.db if config else DEFAULT_DB)


def open_store(paths: Paths, config: Config | None) -> Store:
    try:
        return Store.open(db_path(paths, config))
    except StoreError as exc:
        click.echo(str(exc), err=True)
        sys.exit(3)


def open_reader(paths: Paths, config: Config | None) -> Store:
    """The database opened read-only, for the commands that only read (a new, empty one
    when there is none yet: a first `monitor feeds` lists the feeds as never polled)."""
    path = db_path(paths, config)
    if not Path(path).exists():
        return open_store(paths, config)
    try:
        return Store.open_readonly(path)
    except StoreError as exc:
        click.echo(str(exc), err=True)
        sys.exit(3)


def reports_damage(command: Callable[..., None]) -> Callable[..., None]:
    """A command that meets a damaged database says so, how to check and how to recover
    (exit 3), instead of a traceback."""
    @functools.wraps(command)
    def wrapper(paths: Paths, *args: Any, **kwargs: Any) -> None:
        try:
            command(paths, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_damaged(exc):
                raise
            click.echo(str(db_error(db_path(paths, None if paths.db else
                                            _quiet_settings(paths)), exc)), err=True)
            sys.exit(3)
    return wrapper


def _quiet_settings(paths: Paths) -> Config | None:
    try:
        return load_config(paths.config)
    except ConfigError:
        return None


class JsonLines(logging.Formatter):
    """One JSON object per log line (``MONITOR_LOG_FORMAT=json``), Cyrillic as is."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage()}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup_logging(level: str) -> None:
    """Plain lines, or JSON lines for log collectors when MONITOR_LOG_FORMAT=json."""
    handler = logging.StreamHandler(sys.stderr)
    if os.environ.get("MONITOR_LOG_FORMAT", "").lower() == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # APScheduler logs every job run at INFO, pymorphy3 its dictionary's revision: keep the
    # log to monitor's own lines (one per feed poll)
    for library in ("apscheduler", "pymorphy3"):
        logging.getLogger(library).setLevel(max(logging.WARNING, logging.getLevelName(
            level.upper())))


def make_context(paths: Paths, log_level: str | None = None) -> Context:
    """Everything a cycle needs; logs at ``log_level`` (default: the config's)."""
    config, matcher = load_rules(paths)
    setup_logging(log_level or config.settings.log_level)
    log = logging.getLogger("monitor")
    for n in config.notifiers:
        log.info("notifier name=%s %s", n.name, f"disabled ({n.disabled})" if n.disabled
                 else "enabled")
    pool = ParsePool(watches=matcher.configs)
    http = functools.partial(make_client, options_for(config.settings),
                             config.settings.concurrency)
    return Context(config, open_store(paths, config), build_notifiers(config), utc_now,
                   matcher, pool, http)


def iso_arg(value: str | None, option: str = "--since") -> str | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("write it like 2021-09-10 or 2021-09-10T12:00:00Z",
                                 param_hint=option) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
