"""The stories step of a poll: each new matched entry joins the story of the most alike
recent entry of another outlet (72 hours, Jaccard of signatures), or starts its own.

Candidates come from the store's inverted index, looked up by the entry's rarest terms
only (a handful of postings each), so the cost per entry stays flat as stories pile up."""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.answers.story import THRESHOLD, Signature, signature, similar
from monitor.models import Entry, StoryMark, iso, stable_id
from monitor.store import Store

WINDOW = timedelta(hours=72)
RARE_TERMS = 8  # the entry's terms with the fewest postings find its candidates


def story_marks(store: Store, feed: str, entries: list[Entry], now: datetime) -> tuple[
        StoryMark, ...]:
    return tuple(_mark(store, feed, e, now) for e in entries)


def _mark(store: Store, feed: str, entry: Entry, now: datetime) -> StoryMark:
    sig = signature(entry.title, entry.text)
    rare = frozenset(store.rarest_terms(sig.terms, RARE_TERMS))
    rows = store.story_candidates(feed, rare, iso(now - WINDOW))
    scored = [(similar(sig, Signature(frozenset(r["terms"].split()), r["tense"],
                                      frozenset(r["names"].split()))), r["story_id"])
              for r in rows]
    best, story = max(scored, default=(0.0, ""), key=lambda s: s[0])
    if best < THRESHOLD:
        story = stable_id("story", feed, entry.key)
    return StoryMark(entry.key, story, sig.tense, tuple(sorted(sig.terms)),
                     tuple(sorted(sig.names)))
