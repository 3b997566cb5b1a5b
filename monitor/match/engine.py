"""Evaluate compiled queries against one entry, with the words and sentences that matched.

Speed comes from two things: each distinct word is analysed once (``WordForms`` cache),
and each watch is indexed by *anchor* keys, words without which it cannot match, so an
entry evaluates only the watches whose anchors it contains. Positions (for phrases and
NEAR) and the snippet are computed only for those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from monitor.match.forms import WordForms, text_language
from monitor.match.gate import Gate
from monitor.match.query import Word
from monitor.match.text import WORD_RE, sentence_around, sentence_numbers
from monitor.text import clean_text


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the matcher needs to know about one vocabulary word (cached per word)."""

    keys: tuple[str, ...]  # only keys some watch uses, incl. "p:" for matching prefixes
    watches: frozenset[int]  # watches anchored on this word


NO_WATCHES: frozenset[int] = frozenset()
USELESS = WordInfo((), NO_WATCHES)  # shared by every word that carries no used key


class Vocabulary:
    """Every word seen so far -> WordInfo; and the set of words that carry a used key."""

    def __init__(self, analyse: Callable[[str], WordInfo], limit: int = 500_000) -> None:
        self.analyse = analyse
        self.limit = limit
        self.known: dict[str, WordInfo] = {}
        self.known_words: set[str] = set()
        self.useful_words: set[str] = set()

    def info(self, raw: str) -> WordInfo:
        found = self.known.get(raw)
        return found if found is not None else self._learn(raw)

    def useful(self, words: set[str]) -> set[str]:
        """The given words that carry a used key (new words analysed once)."""
        if not words.issubset(self.known_words):
            for raw in words - self.known_words:
                self._learn(raw)
        return words.intersection(self.useful_words)

    def _learn(self, raw: str) -> WordInfo:
        if len(self.known) >= self.limit:
            self.known.clear()
            self.known_words.clear()
            self.useful_words.clear()
        info = self.known[raw] = self.analyse(raw)
        self.known_words.add(raw)
        if info.keys:
            self.useful_words.add(raw)
        return info


class Occ(NamedTuple):
    field: str
    first: int  # token index, inclusive
    last: int


class Doc:
    """One entry as the engine sees it: fields of words, split and indexed on demand."""

    def __init__(self, vocabularies: dict[str, Vocabulary], title: str, text: str,
                 url: str = "", feed: str = "", doc: str = "", gate: Gate | None = None) -> None:
        title, text = clean_text(title), clean_text(text)
        self.raw = {"title": title, "text": text, "url": url, "doc": doc}
        self.vocabularies = vocabularies
        self.gate = gate
        self.feed = feed.casefold()
        self.tokens: dict[str, list[str]] = {}
        self._index: dict[str, dict[str, list[int]]] = {}
        self._sentences: dict[tuple[str, int, int], str] = {}  # shared by the watches
        self._useful: set[str] = set()  # the entry's words that carry a used key (scan)
        self._numbers: dict[str, list[int]] = {}  # field -> sentence number of each word

    @cached_property
    def vocab(self) -> Vocabulary:
        """The vocabulary of the entry's language (its words' readings depend on it)."""
        return self.vocabularies[text_language(f"{self.raw['title']}\n{self.raw['text']}")]

    def sentence(self, field: str, start: int, end: int) -> str:
        """The sentence around raw[field][start:end] (computed once per entry: several
        watches often match the same words)."""
        key = (field, start, end)
        found = self._sentences.get(key)
        if found is None:
            found = self._sentences[key] = sentence_around(self.raw[field], start, end)
        return found

    def scan(self) -> tuple[set[int], set[str]]:
        """Candidate watches and the used keys present, from the distinct words that carry
        a key some watch uses (set operations do the rest). The gate finds those words
        without splitting the entry; where it cannot, every word is looked up."""
        watches: set[int] = set()
        present: set[str] = set()
        raw = self.raw
        words = self.gate.words(f"{raw['title']}\n{raw['text']}\n{raw['doc']}") \
            if self.gate is not None else None
        if words is None:
            words = set(self.words("title"))
            words.update(self.words("text"))
            words.update(self.words("doc"))
        if not words:
            return watches, present
        self._useful = self.vocab.useful(words)
        known = self.vocab.known
        for word in self._useful:
            info = known[word]
            present.update(info.keys)
            if info.watches:
                watches.update(info.watches)
        return watches, present

    def words(self, field: str) -> list[str]:
        if field not in self.tokens:
            self.tokens[field] = WORD_RE.findall(self.raw[field])
        return self.tokens[field]

    def sentence_numbers(self, field: str) -> list[int]:
        """The sentence number of each word of a field (for NEAR/S), computed once."""
        found = self._numbers.get(field)
        if found is None:
            found = self._numbers[field] = sentence_numbers(self.raw[field])
        return found

    def index(self, field: str) -> dict[str, list[int]]:
        """Used key -> the word positions of a field that carry it."""
        found = self._index.get(field)
        if found is None:
            found = self._index[field] = self._build_index(field)
        return found

    def _build_index(self, field: str) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        tokens, lookup = self.words(field), self.vocab.info
        if field == "url":  # url words are not scanned: look up each
            for i, raw in enumerate(tokens):
                for key in lookup(raw).keys:
                    index.setdefault(key, []).append(i)
            return index
        # the few words that carry a used key, found by list.index (C) instead of a
        # Python loop over every word of a long text
        for raw in self._useful:
            positions = _positions(tokens, raw)
            for key in lookup(raw).keys if positions else ():
                index.setdefault(key, []).extend(positions)
        for positions in index.values():
            positions.sort()
        return index


def _positions(tokens: list[str], word: str) -> list[int]:
    found: list[int] = []
    at = -1
    try:
        while True:
            at = tokens.index(word, at + 1)
            found.append(at)
    except ValueError:
        return found


@dataclass(frozen=True)
class CompiledWord:
    word: Word
    keys: frozenset[str]

    def positions(self, doc: Doc, field: str) -> list[int]:
        index = doc.index(field)
        if len(self.keys) == 1:
            return index.get(next(iter(self.keys)), [])
        return sorted({p for key in self.keys for p in index.get(key, ())})


def compile_word(word: Word, forms: WordForms) -> CompiledWord:
    if word.prefix:
        return CompiledWord(word, frozenset({"p:" + word.text}))
    if word.exact:
        return CompiledWord(word, frozenset({"x:" + word.text}))
    return CompiledWord(word, forms.term_keys(word.text))
