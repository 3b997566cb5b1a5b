"""The answers step of the flow: the new hits of each ``extract = "date"`` watch, in
publication order, folded into its answer; each change stored, and alerted when it is
first, refined, changed or held (a confirmation goes to the digest)."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from monitor.answers.fold import ALERTED, Answer, Change, Source, apply
from monitor.models import WatchConfig, iso, parse_iso, stable_id
from monitor.pipeline.context import Context
from monitor.store import AnswerRow, ChangeRow, Route

if TYPE_CHECKING:
    from monitor.answers.extract import Extraction


def update_answers(ctx: Context, rebuild: bool = False) -> int:
    """Fold every extract watch's new hits (all of them with ``rebuild``); return how
    many changes were made."""
    made = 0
    for watch in ctx.config.watches:
        if watch.extract == "date":
            if rebuild:
                ctx.store.reset_answer(watch.name)
            made += _update(ctx, watch)
    return made


def _update(ctx: Context, watch: WatchConfig) -> int:
    from monitor.answers.extract import extract  # the date grammar: only for extract watches

    hits = ctx.store.unfolded_hits(watch.name)
    if not hits:
        return 0
    answer = from_row(ctx.store.answer(watch.name), watch.name)
    changes: list[Change] = []
    for hit in hits:
        published = parse_iso(hit["published"] or hit["matched_at"]).date()
        source = Source(hit["url"] or "", hit["feed"], hit["title"] or "",
                        hit["published"] or hit["matched_at"])
        text = f"{hit['title'] or ''}\n\n{hit['text']}"
        for found in one_item(extract(text, published, json.loads(hit["matched_terms"] or
                                                                  "[]"))):
            answer, change = apply(answer, found, source, published)
            changes += [change] if change else []
    routes = ctx.routes.get(watch.name, ())
    rows = [change_row(watch.name, c, routes) for c in changes]
    ctx.store.save_answer(to_row(answer), [h["id"] for h in hits], rows, iso(ctx.clock()))
    return len(rows)


def one_item(found: list[Extraction]) -> list[Extraction]:
    """What one item says, once: its report that the event was held, then its most precise
    announcement (a headline and its lead saying the same are one source, not two)."""
    held = [f for f in found if f.kind == "held"][:1]
    announced = sorted((f for f in found if f.kind == "announced"),
                       key=lambda f: f.end - f.start)[:1]
    return held + announced


def change_row(watch: str, c: Change, routes: tuple[Route, ...]) -> ChangeRow:
    details = json.dumps(change_payload(watch, c), ensure_ascii=False)
    mode = "immediate" if c.change in ALERTED else "digest"
    change_id = stable_id("ans", watch, c.change, c.state, str(c.start), str(c.end),
                          c.source.url, c.source.published)
    return ChangeRow(change_id, c.change, c.state, str(c.start), str(c.end), c.source.title,
                     c.source.url, c.source.feed, c.source.published, c.sentence, details,
                     tuple((name, mode) for name, _ in routes))


def _previous(c: Change) -> dict[str, Any] | None:
    if c.previous is None:
        return None
    return {"state": c.previous[0], "start": _day(c.previous[1]), "end": _day(c.previous[2])}


def change_payload(watch: str, c: Change) -> dict[str, Any]:
    previous = _previous(c)
    return {"watch": watch, "change": c.change, "state": c.state, "start": _day(c.start),
            "end": _day(c.end), "previous": previous,
            "source": {"url": c.source.url, "feed": c.source.feed, "title": c.source.title,
                       "published": c.source.published, "sentence": c.sentence}}


def to_row(answer: Answer) -> AnswerRow:
    sources = [s._asdict() for s in answer.sources]
    history = [{"change": c.change, "state": c.state, "start": _day(c.start),
                "end": _day(c.end), "url": c.source.url, "feed": c.source.feed,
                "title": c.source.title, "published": c.source.published,
                "sentence": c.sentence,
                "previous": _previous(c)}
               for c in answer.history]
    return AnswerRow(answer.watch, answer.state, _day(answer.start), _day(answer.end),
                     json.dumps(sources, ensure_ascii=False),
                     json.dumps(history, ensure_ascii=False))


def from_row(row: AnswerRow | None, watch: str) -> Answer:
    if row is None:
        return Answer(watch)
    sources = tuple(Source(**s) for s in json.loads(row.sources))
    history = tuple(_change(h) for h in json.loads(row.history))
    return Answer(watch, row.state, _date(row.start), _date(row.end), sources, history)


def _change(h: dict[str, Any]) -> Change:
    prev = h.get("previous")
    previous = None if prev is None else (prev["state"], _date(prev["start"]),
                                          _date(prev["end"]))
    start, end = _date(h["start"]), _date(h["end"])
    assert start is not None and end is not None
    return Change(h["change"], h["state"], start, end, previous,
                  Source(h["url"], h["feed"], h["title"], h["published"]), h["sentence"])


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
