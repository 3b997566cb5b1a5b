"""Per sentence: the date an item announces for the event, or its report that the event
took place. Pure: (text, publication date, terms) -> extractions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from monitor.answers.cues import PAST_MENTION, cues
from monitor.answers.dates import Span, absolute
from monitor.answers.relative import relative

HORIZON = timedelta(days=5 * 366)  # announcements further ahead are not taken
RECENT = timedelta(days=7)  # a report of a meeting held longer ago is a recollection
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+(?=[«\"“(\w])|\n\s*\n")


class Extraction(NamedTuple):
    kind: str  # "announced" | "held"
    start: date
    end: date
    sentence: str


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def extract(text: str, published: date, terms: Iterable[str] = ()) -> list[Extraction]:
    """What ``text`` says about the event, sentence by sentence; only sentences holding
    one of ``terms`` (the words the watch matched) when any are given."""
    wanted = [_plain(t) for t in terms if t]
    found: list[Extraction] = []
    for sentence in sentences(text):
        low = _plain(sentence)
        if not wanted or any(t in low for t in wanted):
            found += _sentence(sentence, low, published)
    return found


def _plain(text: str) -> str:
    """Lowercased, ``ё`` as ``е``, every run of spaces (no-break spaces too) one space."""
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е"))


def _sentence(sentence: str, low: str, published: date) -> list[Extraction]:
    said = cues(low, russian=bool(re.search(r"[ыэъщ]|\bи\b", low)) and not
                re.search(r"[іў]", low))
    ahead = [s for s in _spans(low, published, future=True)
             if s.end >= published and s.start <= published + HORIZON]
    found = []
    if said.held:
        held = _held(low, published, said.past_mention)
        found += [Extraction("held", held, held, sentence)] if held else []
    if ahead and (said.future or not said.held):
        last = ahead[-1]
        found.append(Extraction("announced", last.start, last.end, sentence))
    return found


def _held(low: str, published: date, past_mention: bool) -> date | None:
    """The day a report says the event took place: its date if recent, else the
    publication day; None for a recollection of an older one."""
    spans = _spans(low, published, future=False)
    recent = [s for s in spans if published - RECENT <= s.start <= published]
    if recent:
        return recent[-1].start
    if spans or past_mention:
        return None
    return published


def _spans(low: str, published: date, future: bool) -> list[Span]:
    """Date ranges of the sentence, without those a past-meeting phrase qualifies ("на
    прошлом заседании 4 ноября 2021 года")."""
    spans = absolute(low, published, future) + (relative(low, published) if future else [])
    return [s for s in sorted(spans, key=lambda s: s.at)
            if not PAST_MENTION.search(low[max(0, s.at - 40):s.at])]
