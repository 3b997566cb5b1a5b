"""The parse workers start light: they never import the CLI (aiohttp, click, sqlite-utils),
however monitor was started."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from monitor.models import PageRule
from monitor.workers.pool import ParsePool
from tests.workers.jobs import loaded

# what pip's ``monitor`` console script looks like: a plain file whose module imports the CLI
CONSOLE_SCRIPT = """
import asyncio
import sys
from monitor.cli import main
from monitor.workers import pool as parsepool

if __name__ == "__main__":
    parsepool.start_forkserver()
    pool = parsepool.ParsePool()
    ask = "sorted({'click', 'aiohttp', 'sqlite_utils'} & set(__import__('sys').modules))"
    print(asyncio.run(pool.run(eval, (ask,), 60)))
    pool.close()
"""


def test_workers_do_not_import_the_cli_when_started_by_the_console_script(
        tmp_path: Path) -> None:
    script = tmp_path / "monitor"
    script.write_text(CONSOLE_SCRIPT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


PLAIN_FEED = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t'
              "</title><item><guid>a</guid><title>Саммит Союзного государства</title>"
              "<link>https://news.example/a</link><description>Высший госсовет соберётся "
              "в декабре.</description></item></channel></rss>").encode()
PAGE = (b"<html><body><main><a class='item' href='/doc/1'>Union program 1</a></main>"
        b"</body></html>")


def test_a_worker_forks_ready_for_feeds_and_loads_html_parsing_only_when_needed() -> None:
    """fastfeedparser (every plain feed) comes with the fork; beautifulsoup4 (90 ms to
    import) is loaded by the first page or HTML text, not by a plain feed's job."""
    async def steps() -> list[object]:
        pool = ParsePool(workers=1)
        try:
            ask = ("fastfeedparser", "bs4")
            before = await pool.run(loaded, ask, 60)
            feed, _ = await pool.parse(PLAIN_FEED, {}, "https://news.example/rss", 60)
            after_feed = await pool.run(loaded, ask, 60)
            page, _ = await pool.parse(PAGE, {"content-type": "text/html"},
                                       "https://news.example/docs", 60,
                                       page=PageRule(links="a.item"))
            return [before, [e.title for e in feed.entries], after_feed,
                    [e.title for e in page.entries], await pool.run(loaded, ask, 60)]
        finally:
            pool.close()

    assert asyncio.run(steps()) == [["fastfeedparser"], ["Саммит Союзного государства"],
                                    ["fastfeedparser"], ["Union program 1"],
                                    ["fastfeedparser", "bs4"]]
