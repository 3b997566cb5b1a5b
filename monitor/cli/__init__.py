"""The command line: commands only (parse arguments, call one function, print). It is the
composition root: it builds the settings, store, notifiers, HTTP client and clock."""

from monitor.cli.main import cli, main

__all__ = ["cli", "main"]
