"""Evaluate compiled queries against one entry, with the words and sentences that matched.

Speed comes from two things: each distinct word is analysed once (``WordForms`` cache),
and each watch is indexed by *anchor* keys, words without which it cannot match, so an
entry evaluates only the watches whose anchors it contains. Positions (for phrases and
NEAR) and the snippet are computed only for those.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from monitor.match.forms import WordForms
from monitor.match.query import And, Near, Node, Not, Or, Terms, Word
from monitor.match.text import WORD_RE, clean_text, sentence_around

Analysed = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Occ:
    field: str
    first: int  # token index, inclusive
    last: int


class Doc:
    """One entry as the engine sees it: fields of analysed words, indexed on demand."""

    def __init__(self, forms: WordForms, title: str, text: str, url: str = "",
                 feed: str = "") -> None:
        self.forms = forms
        self.raw = {"title": clean_text(title), "text": clean_text(text), "url": url}
        self.feed = feed.casefold()
        self._words: dict[str, Analysed] = {}
        self._index: dict[str, dict[str, list[int]]] = {}

    def words(self, field: str) -> Analysed:
        if field not in self._words:
            analyse = self.forms.analyse
            self._words[field] = tuple(analyse(w) for w in WORD_RE.findall(self.raw[field]))
        return self._words[field]

    @cached_property
    def keys(self) -> set[str]:
        """Every key of every title and text word, and 3-letter heads for prefix anchors."""
        found: set[str] = set()
        for field in ("title", "text"):
            for norm, keys in self.words(field):
                found.update(keys)
                found.add("p:" + norm[:3])
        return found

    def index(self, field: str) -> dict[str, list[int]]:
        if field not in self._index:
            index: dict[str, list[int]] = {}
            for i, (_, keys) in enumerate(self.words(field)):
                for key in keys:
                    index.setdefault(key, []).append(i)
            self._index[field] = index
        return self._index[field]


@dataclass(frozen=True)
class CompiledWord:
    word: Word
    keys: frozenset[str]

    def positions(self, doc: Doc, field: str) -> list[int]:
        if self.word.prefix:
            head = self.word.text
            return [i for i, (norm, _) in enumerate(doc.words(field)) if norm.startswith(head)]
        index = doc.index(field)
        found = [p for key in self.keys for p in index.get(key, ())]
        return sorted(set(found)) if len(self.keys) > 1 else found


def compile_word(word: Word, forms: WordForms) -> CompiledWord:
    if word.exact or word.prefix:
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
            if a.field == b.field and _close(a, b, node.distance, node.ordered):
                found.update((a, b))
    return sorted(found, key=lambda o: (o.field, o.first)) or None


def _close(a: Occ, b: Occ, distance: int, ordered: bool) -> bool:
    """At most ``distance`` other words between a and b (b after a when ordered)."""
    if b.first > a.last:
        return b.first - a.last - 1 <= distance
    if ordered:
        return False
    return a.first > b.last and a.first - b.last - 1 <= distance


def anchors(node: Node, words: dict[Word, CompiledWord]) -> frozenset[str] | None:
    """Keys of which a matching entry must contain at least one; None: cannot tell."""
    if isinstance(node, Terms):
        if "url" in node.fields or node.fields == ("feed",):
            return None
        word = max(node.words, key=lambda w: (not w.prefix, len(w.text)))
        return frozenset({"p:" + word.text[:3]}) if word.prefix else words[word].keys
    if isinstance(node, Not):
        return None
    if isinstance(node, Near):
        return anchors(node.left, words)
    options = [anchors(c, words) for c in node.children]
    if isinstance(node, And):
        known = [o for o in options if o is not None]
        return min(known, key=len) if known else None
    if any(o is None for o in options):
        return None
    return frozenset(key for o in options if o is not None for key in o)


def explain(occs: list[Occ], doc: Doc, most: int = 2) -> tuple[tuple[str, ...], str]:
    """The matched words as written, and the sentence(s) they stand in."""
    spans = _spans(occs, doc)
    terms = tuple(dict.fromkeys(doc.raw[f][s:e] for f, s, e in spans))
    ordered = sorted(spans, key=lambda s: (s[0] != "text", s[1]))
    sentences = dict.fromkeys(sentence_around(doc.raw[f], s, e) for f, s, e in ordered
                              if f != "url")
    return terms, " … ".join(list(sentences)[:most])


def _spans(occs: list[Occ], doc: Doc) -> list[tuple[str, int, int]]:
    offsets: dict[str, list[tuple[int, int]]] = {}
    spans = []
    for occ in occs:
        if occ.field == "feed":
            continue
        if occ.field not in offsets:
            offsets[occ.field] = [m.span() for m in WORD_RE.finditer(doc.raw[occ.field])]
        spots = offsets[occ.field]
        spans.append((occ.field, spots[occ.first][0], spots[occ.last][1]))
    return sorted(set(spans), key=lambda s: (s[0] != "title", s[1]))
