"""Month names, one table for announced dates and documents pages' dates: Russian,
Belarusian (травень, траўня) and English forms, as data (tests/data/month_names.tsv)."""

from __future__ import annotations

import pytest

from monitor.months import MONTH_FORMS, month_number
from monitor.sources.page import _date
from tests.helpers import data_rows

CASES = data_rows("month_names.tsv")


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_pages_date_in_words(text: str, expected: str) -> None:
    assert _date(text) == (None if expected == "none" else f"{expected}T00:00:00Z")


def test_every_month_has_its_three_languages_and_nothing_else_is_a_month() -> None:
    assert sorted(MONTH_FORMS) == list(range(1, 13))
    names = ("января", "студзеня", "january", "траўня", "мая", "may", "снежні", "dec.")
    assert [month_number(n) for n in names] == [1, 1, 1, 5, 5, 5, 12, 12]
    assert [month_number(n) for n in ("janvier", "декабрьский", "ma", "")] == [0, 0, 0, 0]
