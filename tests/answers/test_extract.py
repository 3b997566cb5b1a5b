"""The date an item announces, or its report that the meeting took place: one case a line
of tests/data/answer_dates.tsv (Russian, Belarusian, English; relative dates from several
weekdays; past meetings that are no announcement)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.answers.extract import extract
from tests.helpers import data_rows

CASES = data_rows("answer_dates.tsv")


def shown(text: str, published: str) -> str:
    found = extract(text, date.fromisoformat(published))
    return " + ".join(f"held {e.start}" if e.kind == "held" else f"announced {e.start} {e.end}"
                      for e in found) or "none"


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_extraction(text: str, published: str, expected: str) -> None:
    assert shown(text, published) == expected


def test_each_extraction_keeps_its_sentence_and_only_sentences_with_the_terms() -> None:
    text = ("Лукашенко встретился с журналистами. Пресс-конференция состоится 19 декабря. "
            "Заседание Высшего госсовета пройдет 6 декабря.")
    [found] = extract(text, date(2024, 11, 20), terms=["Высшего госсовета"])
    assert found.sentence == "Заседание Высшего госсовета пройдет 6 декабря."
    assert (found.start, found.end) == (date(2024, 12, 6), date(2024, 12, 6))
