"""One side of ``bench.match --against``: times whichever ``monitor`` is first on the path.

    PYTHONPATH=<a checkout> python bench/engine_run.py DATA SYNC NAME [--no-search-forms]

Reads the entries and watches of DATA (JSON: plain strings, so that any revision's
``Entry`` and ``WatchConfig`` can be built from them), compiles the watches, matches the
first 2,000 entries to warm up, then waits for the other side (files in SYNC) so that both
time the same pass over the same entries at the same moment: a machine that slows down
slows both. After its pass it keeps matching (untimed) until the other side is done,
so the other side is never timed on a machine with a core to itself. Prints
``{"rate": entries/s, "hits": n}``.

``--no-search-forms`` is for revisions whose matcher also looked up the dictionary forms
of titles and matched words for search (before issue 17 moved that to ``monitor serve``):
it switches that look-up off, leaving matching alone to compare.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from monitor.match import Matcher
from monitor.models import Entry, WatchConfig


def wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.005)


def main(data_path: str, sync: str, name: str, flags: list[str]) -> None:
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    if "--no-search-forms" in flags:
        import monitor.match as matching

        if hasattr(matching, "search_forms"):
            matching.search_forms = lambda text: ""  # type: ignore[attr-defined]
    entries = [Entry(key, title, "", None, text) for key, title, text in data["entries"]]
    extra = [Entry(key, title, "", None, text) for key, title, text in data["extra"]]
    matcher: Any = Matcher([WatchConfig(w, (), query=q) for w, q in data["watches"]])
    for entry in entries[:2000]:
        matcher.match(entry, "feed")
    other = "new" if name == "old" else "old"
    (Path(sync) / f"{name}.ready").touch()
    wait_for(Path(sync) / f"{other}.ready")
    start = time.process_time()
    hits = sum(len(matcher.match(entry, "feed")) for entry in entries)
    seconds = time.process_time() - start
    (Path(sync) / f"{name}.done").touch()
    n = 0
    while not (Path(sync) / f"{other}.done").exists():
        matcher.match(extra[n % len(extra)], "feed")
        n += 1
    print(json.dumps({"rate": len(entries) / seconds, "hits": hits}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
