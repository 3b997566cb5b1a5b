"""One entry as the matcher sees it, and the compiled words of the rules.

Speed comes from three things: each distinct word is analysed once (``Vocabulary``),
each watch is indexed by *anchor* keys, words without which it cannot match, so an entry
evaluates only the watches whose anchors it contains, and an entry is never split into
words: the gate finds the few words that carry a used key, their occurrences are found
by ``str.find``, and matches are character spans. Words are counted only between the
two sides of a NEAR/n, every word numbered only for NEAR/S (``word_number``), and
sentences found only for a snippet.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from monitor.match.forms import WordForms, text_language
from monitor.match.gate import Gate
from monitor.match.query import Word
from monitor.match.text import WORD_RE, Sentences, has_cyrillic, sentence_numbers
from monitor.match.vocabulary import Vocabulary
from monitor.text import clean_text

Span = tuple[int, int]  # start and end of a word in a field


# an occurrence: (field, start, end), character offsets in the field (the first word's
# start, the last word's end); a plain tuple, made by the hundred per feed (a named
# tuple's constructor, a Python function, was 6% of matching)
Occ = tuple[str, int, int]


class Doc:
    """One entry as the engine sees it: fields of words, split and indexed on demand."""

    def __init__(self, vocabularies: dict[str, Vocabulary], title: str, text: str,
                 url: str = "", feed: str = "", doc: str = "", gate: Gate | None = None,
                 clean: bool = True) -> None:
        if clean:  # (not for a poll's entries: the parsers cleaned them)
            title, text = clean_text(title), clean_text(text)
        self.raw = {"title": title, "text": text, "url": url, "doc": doc}
        self.vocabularies = vocabularies
        self.gate = gate
        self.feed = feed.casefold()
        self.tokens: dict[str, list[str]] = {}
        self._starts: dict[str, list[int]] = {}  # field -> where each word starts (NEAR/S)
        self._index: dict[str, dict[str, list[Span]]] = {}
        self._sentences: dict[tuple[str, int, int], str] = {}  # shared by the watches
        self._bounds: dict[str, Sentences] = {}  # field -> its sentence ends, found once
        self._useful: set[str] = set()  # the entry's words that carry a used key (scan)
        self._numbers: dict[str, list[int]] = {}  # field -> sentence number of each word
        self._head: tuple[str, bool] | None = None
        self._vocab: Vocabulary | None = None

    def head(self) -> tuple[str, bool]:
        """The title and the text in one string, and whether it has a Cyrillic letter:
        the language test and the gate read the same text."""
        if self._head is None:
            text = f"{self.raw['title']}\n{self.raw['text']}"
            self._head = text, has_cyrillic(text)
        return self._head

    @property
    def vocab(self) -> Vocabulary:
        """The vocabulary of the entry's language (its words' readings depend on it).
        (Kept by hand: functools.cached_property takes a lock at its first use, 2% of
        matching.)"""
        if self._vocab is None:
            self._vocab = self.vocabularies[text_language(*self.head())]
        return self._vocab

    def sentence(self, field: str, start: int, end: int) -> str:
        """The sentence around raw[field][start:end] (computed once per entry: several
        watches often match the same words)."""
        key = (field, start, end)
        found = self._sentences.get(key)
        if found is None:
            bounds = self._bounds.get(field)
            if bounds is None:
                bounds = self._bounds[field] = Sentences(self.raw[field])
            found = self._sentences[key] = bounds.around(start, end)
        return found

    def scan(self) -> tuple[set[int], set[str]]:
        """Candidate watches and the used keys present, from the distinct words that carry
        a key some watch uses (set operations do the rest). The gate finds those words
        without splitting the entry; where it cannot, every word is looked up."""
        watches: set[int] = set()
        present: set[str] = set()
        words = self._gate_words(self.gate) if self.gate is not None else None
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

    def _gate_words(self, gate: Gate) -> set[str] | None:
        text, cyrillic = self.head()
        doc = self.raw["doc"]
        if doc:
            text, cyrillic = f"{text}\n{doc}", cyrillic or has_cyrillic(doc)
        return gate.words(text, cyrillic)

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

    def word_number(self, field: str, offset: int) -> int:
        """The number of the word of a field that holds character ``offset``."""
        starts = self._starts.get(field)
        if starts is None:
            starts = self._starts[field] = [m.start() for m in WORD_RE.finditer(self.raw[field])]
        return bisect_right(starts, offset) - 1

    def index(self, field: str) -> dict[str, list[Span]]:
        """Used key -> the spans of the words of a field that carry it, in order."""
        found = self._index.get(field)
        if found is None:
            found = self._index[field] = self._build_index(field)
        return found

    def _build_index(self, field: str) -> dict[str, list[Span]]:
        index: dict[str, list[Span]] = {}
        text, lookup = self.raw[field], self.vocab.info
        if field == "url":  # url words are not scanned: look up each
            for m in WORD_RE.finditer(text):
                for key in lookup(m.group()).keys:
                    index.setdefault(key, []).append(m.span())
            return index
        for raw in self._useful:  # the few words that carry a used key, by str.find
            spans = occurrences(text, raw)
            for key in lookup(raw).keys if spans else ():
                index.setdefault(key, []).extend(spans)
        for spans in index.values():
            spans.sort()
        return index


def occurrences(text: str, word: str) -> list[Span]:
    """Where ``word`` stands in ``text`` as a whole word (a maximal run of letters and
    digits: what WORD_RE finds)."""
    found: list[Span] = []
    size, at = len(word), text.find(word)
    while at >= 0:
        end = at + size
        if not ((at and text[at - 1].isalnum()) or (end < len(text) and text[end].isalnum())):
            found.append((at, end))
        at = text.find(word, at + 1)
    return found


@dataclass(frozen=True)
class CompiledWord:
    word: Word
    keys: frozenset[str]

    def positions(self, doc: Doc, field: str) -> list[Span]:
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
