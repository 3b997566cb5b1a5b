"""The cycle in-process, with a real feed server and SQLite: a failed commit is reported
and retried, abandoned polls are recorded, health means a poll cycle finished, and polling
never waits for delivery."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from monitor.cli import cli
from monitor.cli.support import Paths, make_context
from monitor.pipeline import CYCLE_FINISHED_KEY, Context, poll_cycle
from monitor.scheduler import Worker
from tests.helpers import Item, rss, write_config

ITEM = Item("u1", "Союзные программы опубликованы", "Тексты союзных программ опубликованы.")
WATCH = {"name": "union", "keywords": ["союзная программа"]}
# a real SQLite failure at COMMIT: a deferred foreign key that no row satisfies
POISON = """
CREATE TABLE poison_parent (id INTEGER PRIMARY KEY);
CREATE TABLE poison_child (parent INTEGER REFERENCES poison_parent(id)
                           DEFERRABLE INITIALLY DEFERRED);
CREATE TRIGGER poison AFTER INSERT ON entries BEGIN
  INSERT INTO poison_child VALUES (404);
END;
"""


@pytest.fixture
def config(tmp_path: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/feed").respond_with_data(rss([ITEM]))
    return write_config(tmp_path / "monitor.toml", monitor={"interval": "10m", "tick": "1s"},
                        feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                        watches=[WATCH])


@pytest.fixture
def ctx(config: Path) -> Iterator[Context]:
    context = make_context(Paths(str(config), None))
    yield context
    context.parser.close()
    context.store.close()


def rows(config: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        return conn.execute(sql).fetchall()


def test_a_failed_commit_is_reported_and_the_feed_is_polled_again(config: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--config", str(config), "feeds"]).exit_code == 0  # creates it
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        conn.executescript(POISON)
    failed = runner.invoke(cli, ["--config", str(config), "poll"])
    assert failed.exit_code == 3, failed.output
    assert "cannot commit" in failed.output and "hits=0" in failed.output
    assert rows(config, "SELECT count(*) FROM hits") == [(0,)]
    with sqlite3.connect(config.parent / "monitor.db") as conn:
        conn.execute("DROP TRIGGER poison")
    again = runner.invoke(cli, ["--config", str(config), "poll"])
    assert again.exit_code == 0, again.output
    assert rows(config, "SELECT count(*) FROM hits") == [(1,)]


def test_abandoned_polls_are_recorded_and_stay_due(ctx: Context, config: Path) -> None:
    stop = threading.Event()
    stop.set()
    result = poll_cycle(ctx, stop=stop)
    assert [(s.feed, s.status) for s in result.polled] == [("f", "cancelled")]
    assert rows(config, "SELECT last_status FROM feeds") == [("cancelled",)]
    assert ctx.store.get_meta(CYCLE_FINISHED_KEY) is None  # not a finished cycle
    assert poll_cycle(ctx, due_only=True).polled[0].status == "ok"


def test_health_means_a_poll_cycle_finished_recently(ctx: Context, config: Path) -> None:
    runner = CliRunner()
    args = ["--config", str(config), "healthcheck"]
    assert runner.invoke(cli, args).exit_code == 1  # nothing finished yet
    poll_cycle(ctx)
    healthy = runner.invoke(cli, args)
    assert healthy.exit_code == 0 and "healthy" in healthy.output
    with sqlite3.connect(config.parent / "monitor.db") as conn:  # the only feed now fails
        conn.execute("UPDATE feeds SET last_status = 'error'")
    failing = runner.invoke(cli, args)
    assert failing.exit_code == 1 and "every feed fails" in failing.output
    ctx.store.set_meta(CYCLE_FINISHED_KEY, "2021-09-10T09:00:00Z")  # the worker hangs
    stale = runner.invoke(cli, args)
    assert stale.exit_code == 1 and "ago" in stale.output


def test_polling_does_not_wait_for_a_slow_delivery() -> None:
    """The delivery job is stuck (a slow receiver) while the poll job keeps its pace."""
    polls: list[int] = []
    released = threading.Event()
    worker: Worker

    def poll(stop: threading.Event) -> None:
        polls.append(1)
        if len(polls) >= 3:
            worker.stop.set()

    def deliver(stop: threading.Event) -> None:
        stop.wait(60)  # held until the worker stops
        released.set()

    worker = Worker({"poll": poll, "deliver": deliver}, tick=0.05)
    worker.run()
    assert len(polls) >= 3 and released.is_set()


def test_a_context_cannot_be_built_without_its_parse_workers(ctx: Context) -> None:
    """Without workers nothing would be matched: the dependency is required, not
    defaulted to an empty pool."""
    with pytest.raises(TypeError, match="parser"):
        Context(ctx.config, ctx.store, ctx.notifiers, ctx.clock, ctx.matcher)  # type: ignore[call-arg]
