"""Month names in Russian, Belarusian and English, in the forms dates are written with
("6 декабря", "6 снежня", "6 December", "6 Dec."): one table for every stage that reads
a date in words (announced dates, a documents page's dates)."""

from __future__ import annotations

import re

MONTH_FORMS = {
    1: r"январ[ьяе]|студзен[ьяі]|january|jan",
    2: r"феврал[ьяе]|лют(?:ага|ым|ы)|february|feb",
    3: r"март[ае]?|сакавік[ау]?|march|mar",
    4: r"апрел[ьяе]|красавік[ау]?|april|apr",
    5: r"ма[йяе]|ма[яій]|травень|траўн[яі]|may",
    6: r"июн[ьяе]|чэрв(?:ень|еня|ені)|june|jun",
    7: r"июл[ьяе]|ліп(?:ень|еня|ені)|july|jul",
    8: r"август[ае]?|жні(?:вень|ўня|ўні)|august|aug",
    9: r"сентябр[ьяе]|вер(?:асень|асня|асні)|september|sept|sep",
    10: r"октябр[ьяе]|кастрычнік[ау]?|october|oct",
    11: r"ноябр[ьяе]|лістапад(?:а|зе)?|november|nov",
    12: r"декабр[ьяе]|снеж(?:ань|ня|ні)|december|dec",
}
_WHOLE = {n: re.compile(rf"^(?:{forms})\.?$") for n, forms in MONTH_FORMS.items()}


def month_number(word: str) -> int:
    """1-12 for a month's name in one of its forms (lower case, a trailing dot allowed),
    else 0."""
    return next((n for n, pattern in _WHOLE.items() if pattern.match(word)), 0)
