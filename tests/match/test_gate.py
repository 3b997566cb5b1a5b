"""The gate (``monitor.match.gate``): the one property it rests on, checked over every
distinct word of the shared corpus, and the same answers as looking up every word of an
entry, on a sample of real news with look-alike letters, ё, ў, NEAR and NOT."""

from __future__ import annotations

import json
import random
from functools import lru_cache

import pytest

from monitor.match import Matcher
from monitor.match.gate import Gate
from monitor.match.text import CYRILLIC_RE, WORD_RE, has_cyrillic
from monitor.models import Entry, WatchConfig
from tests.helpers import CORPUS

needs_corpus = pytest.mark.skipif(not (CORPUS / "news").exists(),
                                  reason="../shared/corpus is absent")


def test_gate_finds_words_that_start_with_a_head() -> None:
    gate = Gate(["ab", "abcd", "bce", "улад", "путин"])
    text = "abce ABCD xabce bce, «Abc» ўлада Пyтин Путина-2 aputin"
    assert gate.words(text) == {"abce", "ABCD", "bce", "Abc", "ўлада", "Пyтин", "Путина"}
    assert gate.words("Straße abce") is None  # casefolding changes the length: split it
    assert Gate([]).words("abce") == set()
    assert Gate(["ab-c", "cd"]).words("ab-cd") == {"cd"}  # a feed name's key is no head
    assert Gate(["ιab", "ab"]).words("\u0345ab") is None  # a mark casefolded to a letter


def test_a_text_without_cyrillic_is_not_folded() -> None:
    """Its words are Latin as ``normalise_word`` reads them: "cok" (all look-alikes of
    "сок") carries no key of the Russian "сок", so no Cyrillic head is tried on it."""
    gate = Gate(["сок", "talk", "2021"])
    assert gate.words("Cok talks, 2021 “cok”") == {"talks", "2021"}
    assert gate.words("Cok talks, сок") == {"Cok", "talks", "сок"}  # folded: a Cyrillic text
    assert Gate(["сок"]).words("cok talks") == set()


@lru_cache(maxsize=1)
def texts() -> tuple[tuple[str, str], ...]:
    """(title, text) of every news item and Belarusian treebank sentence."""
    out = []
    for path in sorted((CORPUS / "news").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            out.append((item["title"], item.get("text") or ""))
    for path in sorted((CORPUS / "belarusian").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            out.append(("", json.loads(line)["text"]))
    return tuple(out)


@lru_cache(maxsize=1)
def corpus_words() -> list[str]:
    found: set[str] = set()
    for title, text in texts():
        found.update(WORD_RE.findall(title))
        found.update(WORD_RE.findall(text))
    return sorted(found)


def rule_terms(count: int) -> list[str]:
    """Terms as an editor writes them: corpus words (lowercase) of every script, plus the
    forms stemmers change the most (irregular English, Belarusian alternations)."""
    words = [w.lower() for w in corpus_words() if len(w) >= 3 and not w.isdigit()]
    picked = random.Random(17).sample(words, count)
    return picked + ["go", "meet", "organise", "study", "fly", "савет", "пачатак", "улада",
                     "ещё", "беларусь", "программа", "госсовет", "2021", "union state"]


def watches(terms: list[str]) -> list[WatchConfig]:
    """Each term as a plain word, and in turn as an exact form, a prefix, a phrase with the
    next term, NEAR and NOT."""
    out = []
    for i, (a, b) in enumerate(zip(terms, terms[1:] + terms[:1], strict=True)):
        first = a.split()[0]
        prefix = f"{first[:4]}*" if len(first) >= 3 else first
        query = [f'"{a}"', f"={first}", prefix, f'"{a} {b}"',
                 f'"{a}" NEAR/5 "{b}"', f'"{a}" NOT "{b}"', f'"{a}" ONEAR/S "{b}"'][i % 7]
        out.append(WatchConfig(f"w{i}", (), query=query))
    return out


def variants(word: str) -> list[str]:
    """The word as texts write it: capitalised, upper case, with ё, a look-alike Latin
    letter in a Cyrillic word, a leading ў."""
    out = [word, word.capitalize(), word.upper()]
    out += [word.replace("е", "ё", 1), word.replace("о", "o", 1), word.replace("р", "p"),
            "ў" + word[1:] if word.startswith("у") else word]
    return out


@needs_corpus
def test_every_word_with_a_used_key_passes_the_gate() -> None:
    matcher = Matcher(watches(rule_terms(1500)))
    matcher.compile()
    assert matcher.gate is not None and not matcher.gate.empty
    missed = []
    for word in corpus_words():
        for form in variants(word):
            if len(form.casefold()) != len(form):
                continue  # such a text is split into words: the gate is not asked
            useful = any(v.info(form).keys for v in matcher.vocabularies.values())
            if useful and form not in (matcher.gate.words(f"«{form}», {form}.") or ()):
                missed.append(form)
    assert not missed, f"{len(missed)} words carry a used key but miss the gate: {missed[:20]}"


@needs_corpus
def test_gated_matcher_answers_as_looking_up_every_word() -> None:
    rng = random.Random(5)
    configs = watches(rule_terms(400))
    gated, reference = Matcher(configs), Matcher(configs, gated=False)
    sample = rng.sample(texts(), 3000)
    checked = 0
    for i, (title, text) in enumerate(sample):
        for t, x in ((title, text), (title.replace("о", "o"), text.replace("е", "ё"))):
            entry = Entry(str(i), t, "https://news.example/", None, x)
            assert gated.match(entry, "feed") == reference.match(entry, "feed"), (t, x)
            checked += 1
    assert checked == 6000
    assert any(gated.match(Entry(str(i), t, "", None, x), "feed") for t, x in sample)


def test_has_cyrillic_answers_as_the_character_class_does() -> None:
    """The language test and the gate's choice of automaton rest on it: a Cyrillic letter
    anywhere, after 64 other characters too, beside characters whose UTF-16 low byte is
    the Cyrillic high byte (Ą, U+2004), non-BMP characters and lone surrogates."""
    rng = random.Random(5)
    pieces = ["a", "’", "—", "Ą", "\u2004", "Є", "я", "ӿ", "Ѐ", "\u0500", "\u03ff",
              "\U0001f600", "\ud800", "x" * 70, "—" * 40]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        assert has_cyrillic(text) == (CYRILLIC_RE.search(text) is not None), repr(text)
