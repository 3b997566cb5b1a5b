"""Keyword matching: whole words and phrases, Unicode case, ё = е, HTML stripped."""

from __future__ import annotations

import json

import pytest

from monitor.match import Matcher
from monitor.models import Entry, WatchConfig
from monitor.text import html_to_text
from tests.helpers import CORPUS


def entry(title: str, text: str = "") -> Entry:
    return Entry("k", title, "https://example.org/", None, text)


def terms(keywords: list[str], title: str, text: str = "") -> tuple[str, ...] | None:
    found = Matcher([WatchConfig("w", tuple(keywords))]).match(entry(title, text), "feed")
    return found[0].terms if found else None


CASES = [
    # keywords, title, text, expected matched terms (None: no match)
    (["union programs"], "UNION PROGRAMS approved", "", ("UNION PROGRAMS",)),
    (["program"], "A programmer speaks", "", None),  # whole words only
    (["program"], "The program, explained", "", ("program",)),
    (["союзные программы"], "Утверждены СОЮЗНЫЕ ПРОГРАММЫ", "", ("СОЮЗНЫЕ ПРОГРАММЫ",)),
    (["ещё"], "Еще одна новость", "", ("Еще",)),  # ё = е, both ways
    (["еще"], "Ещё одна новость", "", ("Ещё",)),
    (["союзные программы"], "", "союзные про\u00adграммы в тексте", ("союзные программы",)),
    (["союзные программы"], "союзные", "программы", None),  # a phrase never spans fields
    (["union programs"], "union and programs", "", None),  # words adjacent
    (["Российско-белорусский"], "российско-белорусский саммит", "", ("российско-белорусский",)),
    (["саюзныя праграмы"], "Саюзныя праграмы зацверджаны", "", ("Саюзныя праграмы",)),
    (["Вышэйшы дзяржаўны савет"], "ВЫШЭЙШЫ ДЗЯРЖАЎНЫ САВЕТ", "", ("ВЫШЭЙШЫ ДЗЯРЖАЎНЫ САВЕТ",)),
    (["a", "b"], "nothing here", "", None),
]


@pytest.mark.parametrize(("keywords", "title", "text", "expected"), CASES)
def test_keyword_cases(keywords: list[str], title: str, text: str,
                       expected: tuple[str, ...] | None) -> None:
    assert terms(keywords, title, text) == expected


def test_html_is_stripped_and_entities_decoded() -> None:
    text = html_to_text("<p>Союзные&nbsp;<b>программы</b> &amp; <script>x()</script>планы</p>")
    assert "<" not in text and "&" in text and "x()" not in text
    assert terms(["союзные программы"], "", text) is not None


def test_snippet_is_the_sentence_with_the_match() -> None:
    found = Matcher([WatchConfig("w", ("union programs",))]).match(
        entry("Title", "First sentence here. The union programs were signed today. Last one."),
        "feed")
    assert found[0].snippet == "The union programs were signed today."


def test_watch_limited_to_its_feeds() -> None:
    matcher = Matcher([WatchConfig("w", ("union",), feeds=("a",))])
    assert matcher.match(entry("union"), "a") and not matcher.match(entry("union"), "b")


def corpus_items(name: str) -> dict[str, dict]:
    path = CORPUS / "news" / name
    if not path.exists():
        pytest.skip("../shared/corpus is absent (a user's fresh clone)")
    with path.open(encoding="utf-8") as fh:
        return {item["id"]: item for item in map(json.loads, fh)}


REAL = [
    # corpus file, item id, keywords, a word the snippet must contain
    ("ru_1tv_news_sample.jsonl", "1tv-38b57723acb3bd13", ["Высшего государственного совета"],
     "26 января"),
    ("ru_1tv_news_sample.jsonl", "1tv-6d620b518650bc3d", ["союзные программы"], "Мишустин"),
    ("ru_ria_2023.jsonl", "ria-1912628979", ["союзных программ"], "120"),
    ("en_tass_headlines_2025_2026.jsonl", "tass-c2ee188fa561462d", ["Supreme State Council"],
     "Feb 26"),
]


@pytest.mark.parametrize(("name", "item_id", "keywords", "context"), REAL)
def test_real_news_sentences(name: str, item_id: str, keywords: list[str], context: str) -> None:
    item = corpus_items(name)[item_id]
    found = Matcher([WatchConfig("w", tuple(keywords))]).match(
        entry(item["title"], item.get("text") or ""), "feed")
    assert found, item["title"]
    assert context in found[0].snippet or context in item["title"]


def test_real_news_without_the_phrase_do_not_match() -> None:
    items = corpus_items("en_tass_headlines_2025_2026.jsonl")
    matcher = Matcher([WatchConfig("w", ("Supreme State Council",))])
    hits = [i for i in items.values() if matcher.match(entry(i["title"], i.get("text") or ""), "f")]
    assert hits and all("supreme state council" in (i["title"] + " " + (i.get("text") or ""))
                        .lower() for i in hits)


def test_english_text_stems_equal_the_two_stemmers_on_every_news_word() -> None:
    """A text word's two English keys are computed in one pass (``text_stems``); they must
    be exactly what ``stem`` and ``noun_stem`` give, for every word of the news corpus and
    for the irregular and spelling cases."""
    from monitor.match import english
    from monitor.match.text import WORD_RE, normalise_word

    words = set(english._IRREGULAR) | {"colours", "organisations", "programmes", "dying",
                                       "agreed", "meetings", "buses", "classes", "is", "went"}
    for path in (CORPUS / "news").glob("*.jsonl"):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            text = f"{item.get('title') or ''} {item.get('text') or ''}"
            words.update(normalise_word(w) for w in WORD_RE.findall(text))
    assert [w for w in words if english.text_stems(w) != (english.stem(w),
                                                          english.noun_stem(w))] == []
