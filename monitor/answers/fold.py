"""One answer per watch, folded from its extractions in publication order.

Change kinds: ``first`` (nothing announced, the last meeting held, or the announced range
over before this item), ``refined`` (inside the announced range), ``changed`` (another
date while the old one was still ahead), ``confirmed`` (the same range: one more source),
``held`` (a report that it took place; another report of the same meeting changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from monitor.answers.extract import Extraction

SAME_MEETING = timedelta(days=7)  # held reports this close are of one meeting
ALERTED = frozenset({"first", "refined", "changed", "held"})


class Source(NamedTuple):
    url: str
    feed: str
    title: str
    published: str  # ISO 8601 UTC


class Change(NamedTuple):
    change: str
    state: str
    start: date
    end: date
    previous: tuple[str, date | None, date | None] | None
    source: Source
    sentence: str


@dataclass(frozen=True)
class Answer:
    watch: str
    state: str = "unknown"  # "unknown" | "announced" | "held"
    start: date | None = None
    end: date | None = None
    sources: tuple[Source, ...] = ()
    history: tuple[Change, ...] = ()


def apply(answer: Answer, found: Extraction, source: Source,
          published: date) -> tuple[Answer, Change | None]:
    """The answer after one extraction, and the change it made (None: nothing new)."""
    kind = _kind(answer, found, published)
    if kind is None:
        return answer, None
    state = "held" if found.kind == "held" else "announced"
    previous = None if answer.state == "unknown" else (answer.state, answer.start,
                                                         answer.end)
    change = Change(kind, state, found.start, found.end, previous, source, found.sentence)
    sources = answer.sources + (source,) if kind == "confirmed" else (source,)
    return replace(answer, state=state, start=found.start, end=found.end, sources=sources,
                   history=answer.history + (change,)), change


def _kind(answer: Answer, found: Extraction, published: date) -> str | None:
    if found.kind == "held":
        same = answer.state == "held" and answer.start is not None and \
            abs(found.start - answer.start) <= SAME_MEETING
        return None if same else "held"
    if answer.state != "announced" or answer.end is None or answer.end < published:
        return "first"
    assert answer.start is not None
    if (found.start, found.end) == (answer.start, answer.end):
        return "confirmed"
    if answer.start <= found.start and found.end <= answer.end:
        return "refined"
    return "changed"
