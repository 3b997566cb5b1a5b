"""The commands that parse documents start the workers' forkserver before the CLI's own
imports (``monitor/cli/early.py``); the others never start it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli.early import command_of, start_for

DATA = Path(__file__).resolve().parents[1] / "data" / "command_lines.tsv"
CASES = [row for row in csv.reader(DATA.open(encoding="utf-8"), delimiter="\t")
         if row and not row[0].startswith("#")]


@pytest.mark.parametrize(("line", "command", "early"), CASES)
def test_the_command_is_found_as_click_finds_it(line: str, command: str, early: str) -> None:
    assert command_of(line.split()) == (command or None)


PROBE = """
import sys
sys.argv = ["monitor", *sys.argv[1:]]
import monitor.cli
from multiprocessing import forkserver
print(forkserver._forkserver._forkserver_pid is not None)
"""


@pytest.mark.parametrize("line", ["--config config/monitor.toml poll", "hits --watch poll",
                                  "poll --help"])
def test_importing_the_cli_starts_the_forkserver_only_for_a_parsing_command(line: str) -> None:
    expected = next(early for case, _, early in CASES if case == line) == "yes"
    done = subprocess.run([sys.executable, "-c", PROBE, *line.split()], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(expected)


def test_a_command_line_that_parses_nothing_starts_nothing() -> None:
    assert not any(start_for(line.split()) for line, _, early in CASES if early == "no")


def test_starting_the_forkserver_early_imports_no_aiohttp() -> None:
    """It starts before the CLI imports aiohttp its own way (``lite_aiohttp``), so what it
    imports must not import aiohttp first."""
    done = subprocess.run([sys.executable, "-c", "import sys, monitor.workers.pool; "
                           "print('aiohttp' in sys.modules)"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_options_it_skips_a_value_of_are_the_groups() -> None:
    """``command_of`` keeps its own list of the group's options that take a value (click
    is not loaded yet when it runs): it must be click's list."""
    import click

    from monitor.cli.early import _VALUED
    from monitor.cli.main import cli

    valued = {name for option in cli.params if isinstance(option, click.Option)
              and not option.is_flag for name in option.opts}
    assert valued == _VALUED
