"""Evaluate compiled queries against one entry, with the words and sentences that matched.

Speed comes from two things: each distinct word is analysed once (``WordForms`` cache),
and each watch is indexed by *anchor* keys, words without which it cannot match, so an
entry evaluates only the watches whose anchors it contains. Positions (for phrases and
NEAR) and the snippet are computed only for those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from monitor.match.forms import WordForms, text_language
from monitor.match.query import And, Near, Node, Not, Or, Terms, Word
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

    def useful(self, words: set[str]) -> list[WordInfo]:
        """WordInfo of the given words that carry a used key (new words analysed once)."""
        if not words.issubset(self.known_words):
            for raw in words - self.known_words:
                self._learn(raw)
        known = self.known
        return [known[w] for w in words.intersection(self.useful_words)]

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
    """One entry as the engine sees it: fields of words, indexed on demand."""

    def __init__(self, vocabularies: dict[str, Vocabulary], title: str, text: str,
                 url: str = "", feed: str = "", doc: str = "") -> None:
        title, text = clean_text(title), clean_text(text)
        self.raw = {"title": title, "text": text, "url": url, "doc": doc}
        language = text_language(f"{title}\n{text}")
        self.vocab = vocabularies[language]
        self.lookup = self.vocab.info
        self.feed = feed.casefold()
        self.tokens = {"title": WORD_RE.findall(title), "text": WORD_RE.findall(text),
                       "doc": WORD_RE.findall(doc) if doc else []}
        self._index: dict[str, dict[str, list[int]]] = {}
        self._sentences: dict[tuple[str, int, int], str] = {}  # shared by the watches
        self._numbers: dict[str, list[int]] = {}  # field -> sentence number of each word

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
        a key some watch uses (set operations do the rest)."""
        watches: set[int] = set()
        present: set[str] = set()
        words = set(self.tokens["title"])
        words.update(self.tokens["text"])
        words.update(self.tokens["doc"])
        for info in self.vocab.useful(words):
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
        if field not in self._index:
            index: dict[str, list[int]] = {}
            lookup, useful = self.lookup, self.vocab.useful_words
            for i, raw in enumerate(self.words(field)):
                if raw in useful or field == "url":
                    for key in lookup(raw).keys:
                        index.setdefault(key, []).append(i)
            self._index[field] = index
        return self._index[field]


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


def evaluate(node: Node, doc: Doc, words: dict[Word, CompiledWord]) -> list[Occ] | None:
    """Occurrences that make the node true ([] for a true NOT), or None when false."""
    if isinstance(node, Terms):
        return _terms(node, doc, words) or None
    if isinstance(node, Not):
        return [] if evaluate(node.child, doc, words) is None else None
    if isinstance(node, And):
        found: list[Occ] = []
        for child in node.children:
            part = evaluate(child, doc, words)
            if part is None:
                return None
            found += part
        return found
    if isinstance(node, Or):
        parts = [evaluate(c, doc, words) for c in node.children]
        hits = [p for p in parts if p is not None]
        return [o for p in hits for o in p] if hits else None
    return _near(node, doc, words)


def _terms(node: Terms, doc: Doc, words: dict[Word, CompiledWord]) -> list[Occ]:
    if node.fields == ("feed",):
        w = node.words[0]
        ok = doc.feed.startswith(w.text) if w.prefix else doc.feed == w.text
        return [Occ("feed", 0, 0)] if ok else []
    found = []
    for field in node.fields:
        starts = words[node.words[0]].positions(doc, field)
        rest = [set(words[w].positions(doc, field)) for w in node.words[1:]] if starts else []
        for start in starts:
            if all(start + k + 1 in pos for k, pos in enumerate(rest)):
                found.append(Occ(field, start, start + len(node.words) - 1))
    return found


def _near(node: Near, doc: Doc, words: dict[Word, CompiledWord]) -> list[Occ] | None:
    left = evaluate(node.left, doc, words)
    right = evaluate(node.right, doc, words) if left else None
    if not left or not right:
        return None
    found: set[Occ] = set()
    for a in left:
        for b in right:
            if a.field == b.field and _close(a, b, node, doc):
                found.update((a, b))
    return sorted(found, key=lambda o: (o.field, o.first)) or None


def _close(a: Occ, b: Occ, node: Near, doc: Doc) -> bool:
    """At most ``distance`` other words between a and b, or both in one sentence when
    the distance is None (b after a when ordered)."""
    if node.distance is None:
        sentence = doc.sentence_numbers(a.field)
        after = b.first > a.last
        return (after or not node.ordered) and sentence[a.first] == sentence[a.last] \
            == sentence[b.first] == sentence[b.last]
    if b.first > a.last:
        return b.first - a.last - 1 <= node.distance
    if node.ordered:
        return False
    return a.first > b.last and a.first - b.last - 1 <= node.distance
