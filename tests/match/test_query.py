"""The watch-rule language: operators, precedence, errors, word forms, explanations."""

from __future__ import annotations

import json

import pytest

from monitor.match import Matcher, QueryError
from monitor.match.query import parse_query
from monitor.models import Entry, WatchConfig
from tests.helpers import CORPUS, data_rows


def matches(query: str, title: str = "", text: str = "", url: str = "", feed: str = "f") -> bool:
    matcher = Matcher([WatchConfig("w", (), query=query)])
    return bool(matcher.match(Entry("k", title, url, None, text), feed))


OPERATORS = [(*row[:3], row[3] == "match") for row in data_rows("query_operators.tsv")]


@pytest.mark.parametrize(("query", "title", "text", "expected"), OPERATORS)
def test_operators(query: str, title: str, text: str, expected: bool) -> None:
    assert matches(query, title, text) is expected


def test_url_field() -> None:
    assert matches("url:kremlin", url="http://kremlin.ru/events/president/news/1")
    assert not matches("kremlin", url="http://kremlin.ru/events/president/news/1")


PRECEDENCE = [
    # query, text, expected: NOT > AND > OR
    ("a OR b c", "a", True),  # a OR (b AND c)
    ("a OR b c", "b", False),
    ("a OR b c", "b c", True),
    ("NOT a b", "b", True),  # (NOT a) AND b
    ("NOT a b", "a b", False),
    ("NOT a b", "x", False),
    ("a b OR c d", "c d", True),  # (a AND b) OR (c AND d)
    ("a b OR c d", "a d", False),
    ("a AND (b OR c)", "a c", True),
    ("(a AND b) OR c", "c", True),
]


@pytest.mark.parametrize(("query", "text", "expected"), PRECEDENCE)
def test_precedence(query: str, text: str, expected: bool) -> None:
    assert matches(query, text=text) is expected


ERRORS = [(row[0], int(row[1]), row[2]) for row in data_rows("query_errors.tsv")]


@pytest.mark.parametrize(("query", "column", "message"), ERRORS)
def test_every_error_names_column_and_expectation(query: str, column: int,
                                                   message: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert info.value.column == column
    assert message in str(info.value) and f"at column {column}" in str(info.value)


WORD_FORMS = [(*row[:2], row[2] == "match") for row in data_rows("word_forms.tsv")]


@pytest.mark.parametrize(("query", "text", "expected"), WORD_FORMS)
def test_word_forms(query: str, text: str, expected: bool) -> None:
    assert matches(query, text=text) is expected


def test_explanation_has_surface_forms_and_sentence() -> None:
    matcher = Matcher([WatchConfig("w", (), query='"союзная программа" AND текст')])
    text = "Первое. Тексты 28 союзных программ опубликуют. Последнее."
    [found] = matcher.match(Entry("k", "", "", None, text), "f")
    assert found.terms == ("Тексты", "союзных программ")
    assert found.snippet == "Тексты 28 союзных программ опубликуют."


def load_items(name: str) -> list[dict]:
    path = CORPUS / "news" / name
    if not path.exists():
        pytest.skip("../shared/corpus is absent (a user's fresh clone)")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


REAL_RU_EN = [
    # corpus, item id, query in dictionary forms, words that must be reported
    ("ru_1tv_news_sample.jsonl", "1tv-38b57723acb3bd13",
     '"высший государственный совет" AND заседание', "Высшего государственного совета"),
    ("ru_ria_2023.jsonl", "ria-1912628979", '"союзная программа"', "союзных программ"),
    ("ru_1tv_news_sample.jsonl", "1tv-6d620b518650bc3d", '"союзная программа"',
     "союзные программы"),
    ("en_tass_headlines_2025_2026.jsonl", "tass-c2ee188fa561462d",
     '"supreme state council" AND (meeting OR hold)', "Supreme State Council"),
]


@pytest.mark.parametrize(("name", "item_id", "query", "surface"), REAL_RU_EN)
def test_real_russian_and_english_sentences(name: str, item_id: str, query: str,
                                            surface: str) -> None:
    item = next(i for i in load_items(name) if i["id"] == item_id)
    matcher = Matcher([WatchConfig("w", (), query=query)])
    [found] = matcher.match(Entry("k", item["title"], "", None, item.get("text") or ""), "f")
    assert surface in found.terms


# Real Belarusian sentences from UD_Belarusian-HSE (CC BY-SA 4.0), by sentence id.
REAL_BE = [
    ("BelarusDocs-4", "праграма", "праграме"),  # locative
    ("BelarusDocs-7", "праграма", "праграму"),  # accusative
    ("BelarusDocs-183", "праграма", "праграм"),  # genitive plural, zero ending
    ("BelarusDocs-198", "праграма", "праграмы"),
    ("telegraf-2011032104-7-203-be", "пасяджэнне", "пасяджэнні"),
    ("RadyjoSvaboda-8772", '"саюзная дзяржава"', "саюзную дзяржаву"),
    ("telegraf-2011032303-19-244-be", "вышэйшы", "вышэйшай"),
]


def belarusian_sentence(sentence_id: str) -> str:
    for split in ("train", "dev"):
        path = CORPUS / "belarusian" / f"ud_be_hse_{split}.jsonl"
        if not path.exists():
            pytest.skip("../shared/corpus is absent (a user's fresh clone)")
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            if item["id"] == sentence_id:
                return str(item["text"])
    raise AssertionError(f"{sentence_id} not in the corpus")


@pytest.mark.parametrize(("sentence_id", "query", "surface"), REAL_BE)
def test_real_belarusian_sentences(sentence_id: str, query: str, surface: str) -> None:
    text = belarusian_sentence(sentence_id)
    [found] = Matcher([WatchConfig("w", (), query=query)]).match(
        Entry("k", "", "", None, text), "f")
    assert surface in " ".join(found.terms).lower()
