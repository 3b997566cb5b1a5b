"""The command line: commands only (parse arguments, call one function, print). It is the
composition root: it builds the settings, store, notifiers, HTTP client and clock."""

import sys

from monitor.cli.early import start_for
from monitor.cli.lite_aiohttp import import_aiohttp

start_for(sys.argv[1:])  # poll, run: the workers' forkserver loads while the CLI does

import_aiohttp()  # before anything else imports aiohttp (see lite_aiohttp)

from monitor.cli.main import cli, main  # noqa: E402

__all__ = ["cli", "main"]
