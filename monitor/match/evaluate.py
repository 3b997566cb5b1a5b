"""A watch's query compiled into closures: each node is a function of the entry that
returns the occurrences making it true ([] for a true NOT) or None when it is false. The
tree is walked once, when the watch is compiled, not for every entry (no type dispatch
or word look-ups per entry: 1.2x the tree walk on the Russian vocabulary of bench.match).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from monitor.match.engine import CompiledWord, Doc, Occ
from monitor.match.query import And, Near, Node, Not, Or, Terms, Word
from monitor.match.text import WORD_RE

Evaluator = Callable[[Doc], list[Occ] | None]


def compile_node(node: Node, words: dict[Word, CompiledWord]) -> Evaluator:
    if isinstance(node, Terms):
        return _terms(node, words)
    if isinstance(node, Not):
        return _not(compile_node(node.child, words))
    if isinstance(node, And):
        return _and([compile_node(c, words) for c in node.children])
    if isinstance(node, Or):
        return _or([compile_node(c, words) for c in node.children])
    assert isinstance(node, Near)
    return _near(node, compile_node(node.left, words), compile_node(node.right, words))


def _not(child: Evaluator) -> Evaluator:
    return lambda doc: [] if child(doc) is None else None


def _and(children: list[Evaluator]) -> Evaluator:
    def evaluate(doc: Doc) -> list[Occ] | None:
        found: list[Occ] = []
        for child in children:
            part = child(doc)
            if part is None:
                return None
            found += part
        return found
    return evaluate


def _or(children: list[Evaluator]) -> Evaluator:
    def evaluate(doc: Doc) -> list[Occ] | None:
        hits = [p for p in (child(doc) for child in children) if p is not None]
        return [o for p in hits for o in p] if hits else None
    return evaluate


def _terms(node: Terms, words: dict[Word, CompiledWord]) -> Evaluator:
    if node.fields == ("feed",):
        return _feed(node.words[0])
    first, rest = words[node.words[0]], [words[w] for w in node.words[1:]]

    def evaluate(doc: Doc) -> list[Occ] | None:
        found = []
        for field in node.fields:
            starts = first.positions(doc, field)
            if not starts:
                continue
            if not rest:
                found += [(field, s, e) for s, e in starts]
                continue
            others = [dict(w.positions(doc, field)) for w in rest]  # start -> end
            text = doc.raw[field]
            for start, end in starts:
                for other in others:  # each next word must start the very next word
                    after = WORD_RE.search(text, end)
                    end = other.get(after.start(), -1) if after else -1
                    if end < 0:
                        break
                else:
                    found.append((field, start, end))
        return found or None
    return evaluate


def _feed(word: Word) -> Evaluator:
    def evaluate(doc: Doc) -> list[Occ] | None:
        ok = doc.feed.startswith(word.text) if word.prefix else doc.feed == word.text
        return [("feed", 0, 0)] if ok else None
    return evaluate


def _near(node: Near, left: Evaluator, right: Evaluator) -> Evaluator:
    def evaluate(doc: Doc) -> list[Occ] | None:
        a_occs = left(doc)
        b_occs = right(doc) if a_occs else None
        if not a_occs or not b_occs:
            return None
        found: set[Occ] = set()
        for a in a_occs:
            for b in b_occs:
                if a[0] == b[0] and _close(a, b, node, doc):
                    found.update((a, b))
        return sorted(found) or None
    return evaluate


def _close(a: Occ, b: Occ, node: Near, doc: Doc) -> bool:
    """At most ``distance`` other words between a and b, or both in one sentence when
    the distance is None (b after a when ordered)."""
    field, a_start, a_end = a
    _, b_start, b_end = b
    if node.distance is None:
        number = doc.word_number
        a_first, a_last = number(field, a_start), number(field, a_end - 1)
        b_first, b_last = number(field, b_start), number(field, b_end - 1)
        sentence = doc.sentence_numbers(field)
        after = b_first > a_last
        return (after or not node.ordered) and sentence[a_first] == sentence[a_last] \
            == sentence[b_first] == sentence[b_last]
    text = doc.raw[field]  # (spans of whole words: b after a is b starting after a ends)
    if b_start >= a_end:
        return _few_words(text, a_end, b_start, node.distance)
    if node.ordered:
        return False
    return a_start >= b_end and _few_words(text, b_end, a_start, node.distance)


def _few_words(text: str, start: int, end: int, most: int) -> bool:
    """Whether the text between two words (``start`` just after one, ``end`` where the
    next starts) holds at most ``most`` words: only that gap is read, and only as far as
    ``most + 1`` words (numbering every word of the text cost 60 us per field)."""
    if (end - start - 1) // 2 <= most:  # k words between two words take 2k + 1 characters
        return True
    return next(islice(WORD_RE.finditer(text, start, end), most, None), None) is None
