"""The progress bar of ``monitor poll`` on a terminal (rich): feeds done, new entries,
hits and errors as they come. Without a terminal, poll prints its table only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitor.models import PollSummary


class PollProgress:
    def __init__(self, total: int, console: Any = None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.counts = {"new": 0, "hits": 0, "errors": 0}
        self.bar = Progress(TextColumn("polling"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), console=console, transient=True)
        self.task = self.bar.add_task(self._text(), total=total)

    def _text(self) -> str:
        c = self.counts
        return f"new {c['new']}  hits {c['hits']}  errors {c['errors']}"

    def update(self, summary: PollSummary) -> None:
        self.counts["new"] += summary.new_entries
        self.counts["hits"] += summary.hits
        self.counts["errors"] += summary.status == "error"
        self.bar.update(self.task, advance=1, description=self._text())

    def __enter__(self) -> Callable[[PollSummary], None]:
        self.bar.start()
        return self.update

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()
