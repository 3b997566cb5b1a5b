"""Dates given relative to the item's own publication date (never the wall clock): today,
tomorrow, next week, in a week, on Thursday, by the end of the year, early next year."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from monitor.answers.dates import Span

Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], tuple[date, date]]]


def _days(n: int) -> Callable[[re.Match[str], date], tuple[date, date]]:
    return lambda m, p: (p + timedelta(days=n), p + timedelta(days=n))


def _week(offset: int) -> Callable[[re.Match[str], date], tuple[date, date]]:
    def span(m: re.Match[str], p: date) -> tuple[date, date]:
        monday = p - timedelta(days=p.weekday()) + timedelta(weeks=offset)
        return max(monday, p), monday + timedelta(days=6)
    return span


def _in_days(m: re.Match[str], p: date) -> tuple[date, date]:
    count = _NUMBERS.get(m[1]) if not m[1].isdigit() else int(m[1])
    day = p + timedelta(days=(count or 1) * (7 if m[2].startswith(("нед", "тыд", "week")) else 1))
    return day, day


def _year_end(m: re.Match[str], p: date) -> tuple[date, date]:
    return p, date(p.year, 12, 31)


def _next_year(first: int, last: int, end_day: int) -> Callable[[re.Match[str], date],
                                                               tuple[date, date]]:
    return lambda m, p: (date(p.year + 1, first, 1), date(p.year + 1, last, end_day))


def _next_month(m: re.Match[str], p: date) -> tuple[date, date]:
    first = (p.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


_NUMBERS = {"две": 2, "два": 2, "три": 3, "two": 2, "three": 3, "пару": 2, "a": 1, "one": 1}
_WEEKDAYS = [r"понедельник|панядзел(?:ак|ку)|monday", r"вторник|аўтор(?:ак|ку)|tuesday",
             r"сред[уа]|серад[уа]|wednesday", r"четверг|чацвер|thursday",
             r"пятниц[уа]|пятніц[уа]|friday", r"суббот[уа]|субот[уа]|saturday",
             r"воскресенье|нядзел[юя]|sunday"]


def _weekday(index: int, next_week: bool) -> Callable[[re.Match[str], date], tuple[date, date]]:
    def span(m: re.Match[str], p: date) -> tuple[date, date]:
        if next_week:
            day = p - timedelta(days=p.weekday()) + timedelta(weeks=1, days=index)
        else:
            day = p + timedelta(days=(index - p.weekday() - 1) % 7 + 1)
        return day, day
    return span


def _rules() -> list[Rule]:
    words: list[tuple[str, Callable[[re.Match[str], date], tuple[date, date]]]] = [
        (r"послезавтра|паслязаўтра|the day after tomorrow", _days(2)),
        (r"сегодня|сёння|today|tonight", _days(0)),
        (r"завтра|заўтра|tomorrow", _days(1)),
        (r"на следующей неделе|на будущей неделе|на наступным тыдні|next week", _week(1)),
        (r"на этой неделе|на гэтым тыдні|this week", _week(0)),
        (r"(?:через|праз|in)\s+(\d+|две|два|три|пару|a|one|two|three)\s+"
         r"(дн\w*|сут\w*|дзён\w*|нед\w*|тыд\w*|days?|weeks?)", _in_days),
        (r"через неделю|праз тыдзень|in a week", _days(7)),
        (r"до конца (?:этого |текущего )?года|да канца (?:гэтага )?года|"
         r"by the end of (?:the|this) year|later this year|в этом году|this year", _year_end),
        (r"в начале следующего года|у пачатку наступнага года|early next year|"
         r"at the beginning of next year", _next_year(1, 3, 31)),
        (r"в следующем году|у наступным годзе|next year", _next_year(1, 12, 31)),
        (r"в следующем месяце|у наступным месяцы|next month", _next_month),
    ]
    for index, names in enumerate(_WEEKDAYS):
        words.append((rf"next (?:{names})", _weekday(index, True)))
        words.append((rf"(?:в|во|у|ў|on|this)\s+(?:{names})", _weekday(index, False)))
    return [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])"), rule) for pattern, rule in words]


RULES = _rules()


def relative(text: str, published: date) -> list[Span]:
    """``text`` lowercased; the longest expression wins where two overlap."""
    spans: list[Span] = []
    for pattern, rule in RULES:
        for m in pattern.finditer(text):
            if not any(s.at <= m.start() < s.stop for s in spans):
                start, end = rule(m, published)
                spans.append(Span(start, end, m.start(), m.end(), False))
    return sorted(spans, key=lambda s: s.at)
