"""``serve``: browse and search the database in Datasette, read-only."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from monitor.cli.support import Paths, db_path, load_settings, open_store
from monitor.errors import StoreError
from monitor.match.search import search_forms
from monitor.store import Store
from monitor.web import atom_url, metadata


def keep_search_fresh(open_writer: Callable[[], Store], every: float = 60.0) -> None:
    """Index the new hits and entries now (the database created and migrated if need be),
    then every minute in a background thread: searching never slows a poll. New hits get
    their words' dictionary forms here, so the search box finds every form."""
    def refresh() -> None:
        store = open_writer()
        try:
            store.refresh_search(search_forms)
        finally:
            store.close()

    def loop() -> None:
        while True:
            time.sleep(every)
            try:
                refresh()
            except (StoreError, sqlite3.Error) as exc:  # busy or damaged: try next time
                logging.getLogger("monitor.serve").warning("search refresh: %s", exc)

    refresh()
    threading.Thread(target=loop, daemon=True, name="search-refresh").start()


def search_in_any_form() -> None:
    """Datasette's search box finds a word in any of its forms (``web/search.py``)."""
    from datasette.plugins import pm

    from monitor.web import search

    if not pm.has_plugin("monitor-search"):
        pm.register(search, name="monitor-search")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve other machines: no login!).")
@click.option("--port", default=8001, show_default=True, help="Port to listen on.")
@click.pass_obj
def serve(paths: Paths, host: str, port: int) -> None:
    """Browse, facet and search the hits in Datasette (read-only), with the desk's canned
    queries and an Atom feed of each watch's hits for any feed reader.

    \b
    Example:
      monitor serve --port 8001
    """
    import uvicorn
    from datasette.app import Datasette  # the web stack only for this command

    config = load_settings(paths)
    database = Path(db_path(paths, config))
    keep_search_fresh(lambda: open_store(paths, config))
    search_in_any_form()
    app = Datasette([str(database)], metadata=metadata(database),
                    settings={"max_returned_rows": 1000, "facet_time_limit_ms": 500})
    base = f"http://{host}:{port}"
    click.echo(f"monitor serve: {base}/{database.stem}/hits (read-only)")
    for watch in config.watches:
        click.echo(f"  Atom feed of {watch.name}: {atom_url(base, database, watch.name)}")
    uvicorn.run(app.app(), host=host, port=port, log_level="warning")
