"""Date ranges in Russian, Belarusian and English text, relative to a publication date.

Each finder returns ``Span``s: a (start, end) range of days and where it stands in the
text. Absolute dates without a year take the year that puts them nearest the publication
date in the direction the caller wants (``future``: an announcement; otherwise a report).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

from monitor.months import MONTH_FORMS, month_number


class Span(NamedTuple):
    start: date
    end: date
    at: int  # where the expression starts in the text
    stop: int
    year_given: bool = True


_MONTH = "(" + "|".join(f"(?:{forms})" for forms in MONTH_FORMS.values()) + r")\.?(?![а-яёіўa-z])"
_DASH = r"\s*[-–—]\s*"
_YEAR = r"(?:\s*,?\s+(\d{4})(?:\s*(?:года|году|г\.|год|гады|года))?)?"
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:{_DASH}(\d{{1,2}}))?(?!\d)(?:-?(?:го|е|я))?\s+{_MONTH}{_YEAR}")
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:{_DASH}(\d{{1,2}})(?!\d)"
    rf"(?:st|nd|rd|th)?)?{_YEAR}")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_PART = (r"(начале|середине|конце|пачатку|сярэдзіне|канцы|early|mid-?|late|"
         r"the beginning of|the middle of|the end of)")
_MONTH_ONLY = re.compile(  # a month alone needs its preposition ("in may" is a month)
    rf"\b(?:(?:в|во|у|ў|к|до|да|на|in|by|until|during|to|for)\s+)(?:{_PART}\s*)?{_MONTH}{_YEAR}"
    rf"|\b{_PART}\s*{_MONTH}{_YEAR}")
_PARTS = {"начале": (1, 10), "пачатку": (1, 10), "early": (1, 10), "the beginning of": (1, 10),
          "середине": (11, 20), "сярэдзіне": (11, 20), "mid": (11, 20),
          "the middle of": (11, 20), "конце": (21, 31), "канцы": (21, 31), "late": (21, 31),
          "the end of": (21, 31)}


def absolute(text: str, published: date, future: bool) -> list[Span]:
    """Day-month(-year), month-day(-year), dd.mm.yyyy, and month(-year) with начале /
    середине / конце; ``text`` lowercased."""
    spans: list[Span] = []
    for m in _DAY_MONTH.finditer(text):
        spans += _days(int(m[1]), int(m[2] or m[1]), month_number(m[3]), m[4], published, future, m)
    for m in _MONTH_DAY.finditer(text):
        if not _inside(m.start(), spans):
            spans += _days(int(m[2]), int(m[3] or m[2]), month_number(m[1]), m[4], published,
                           future, m)
    for m in _NUMERIC.finditer(text):
        spans += _days(int(m[1]), int(m[1]), int(m[2]), m[3], published, future, m)
    for m in _MONTH_ONLY.finditer(text):
        part, month, year = (m[1], m[2], m[3]) if m[2] else (m[4], m[5], m[6])
        if not _inside(m.start(2) if m[2] else m.start(5), spans):
            spans += _month(part, month, year, m, published, future)
    return sorted(spans, key=lambda s: s.at)


def _inside(pos: int, spans: list[Span]) -> bool:
    return any(s.at <= pos < s.stop for s in spans)


def _days(first: int, last: int, month: int, year: str | None, published: date,
          future: bool, m: re.Match[str]) -> list[Span]:
    try:
        start = date(int(year) if year else published.year, month, first)
        end = date(start.year, month, last)
    except ValueError:
        return []
    if not year:
        start, end = _nearest(start, end, published, future)
    return [Span(start, end, m.start(), m.end(), bool(year))] if end >= start else []


def _month(part: str | None, word: str, year: str | None, m: re.Match[str],
           published: date, future: bool) -> list[Span]:
    month = month_number(word)
    first, last = _PARTS.get((part or "").rstrip("-"), (1, 31))
    size = calendar.monthrange(int(year) if year else published.year, month)[1]
    start = date(int(year) if year else published.year, month, first)
    end = date(start.year, month, min(last, size) if last < 31 else size)
    if not year:
        start, end = _nearest(start, end, published, future)
    return [Span(start, end, m.start(), m.end(), bool(year))]


def _nearest(start: date, end: date, published: date, future: bool) -> tuple[date, date]:
    """The year that makes an announcement lie ahead (a range over before publication is
    next year's), or a report lie behind (a date after publication is last year's)."""
    if future and end < published - timedelta(days=1):
        return _shift(start, 1), _shift(end, 1)
    if not future and start > published + timedelta(days=1):
        return _shift(start, -1), _shift(end, -1)
    return start, end


def _shift(day: date, years: int) -> date:
    size = calendar.monthrange(day.year + years, day.month)[1]
    return day.replace(year=day.year + years, day=min(day.day, size))

