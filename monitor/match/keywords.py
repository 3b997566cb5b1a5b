"""Keyword watches: any of several words or phrases, as whole words, in order.

A phrase matches when its words stand next to each other in one field (title or
text). The matcher reports the words as written and the sentence they stand in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from monitor.match.text import Token, clean_text, sentence_around, tokenize, words
from monitor.models import Match, WatchConfig


@dataclass(frozen=True)
class Field:
    name: str
    text: str
    tokens: tuple[Token, ...]
    index: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Document:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Occurrence:
    field: Field
    first: int  # token index
    last: int

    @property
    def surface(self) -> str:
        return self.field.text[self.field.tokens[self.first].start:self.field.tokens[self.last].end]

    def sentence(self) -> str:
        toks = self.field.tokens
        return sentence_around(self.field.text, toks[self.first].start, toks[self.last].end)


def make_field(name: str, text: str) -> Field:
    text = clean_text(text)
    tokens = tuple(tokenize(text))
    index: dict[str, list[int]] = defaultdict(list)
    for i, tok in enumerate(tokens):
        index[tok.norm].append(i)
    return Field(name, text, tokens, {k: tuple(v) for k, v in index.items()})


def make_document(title: str, text: str) -> Document:
    return Document((make_field("title", title), make_field("text", text)))


@dataclass(frozen=True)
class KeywordWatch:
    config: WatchConfig
    phrases: tuple[tuple[str, ...], ...]

    def applies_to(self, feed: str) -> bool:
        return not self.config.feeds or feed in self.config.feeds

    def match(self, doc: Document) -> Match | None:
        found = [occ for phrase in self.phrases for occ in find_phrase(doc, phrase)]
        if not found:
            return None
        return Match(self.config.name, _unique(o.surface for o in found), _snippet(found))


def compile_keywords(config: WatchConfig) -> KeywordWatch:
    phrases = tuple(p for p in (words(k) for k in config.keywords) if p)
    return KeywordWatch(config, phrases)


def find_phrase(doc: Document, phrase: tuple[str, ...]) -> list[Occurrence]:
    hits: list[Occurrence] = []
    for field in doc.fields:
        for i in field.index.get(phrase[0], ()):
            end = i + len(phrase) - 1
            if end < len(field.tokens) and all(
                field.tokens[i + k].norm == w for k, w in enumerate(phrase)
            ):
                hits.append(Occurrence(field, i, end))
    return hits


def _snippet(found: list[Occurrence], most: int = 2) -> str:
    ordered = sorted(found, key=lambda o: (o.field.name != "text", o.first))
    return " … ".join(_unique(o.sentence() for o in ordered)[:most])


def _unique(items: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        seen.setdefault(item, None)
    return tuple(seen)
