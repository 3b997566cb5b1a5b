"""The command line: commands only (parse arguments, call one function, print). It is the
composition root: it builds the settings, store, notifiers, HTTP client and clock."""

from monitor.cli.lite_aiohttp import import_aiohttp

import_aiohttp()  # before anything else imports aiohttp (see lite_aiohttp)

from monitor.cli.main import cli, main  # noqa: E402

__all__ = ["cli", "main"]
