"""The match stage: watch rules compiled once per config load, applied with explanations.

A rule is a query (see :mod:`monitor.match.query`) or a list of keywords (shorthand for
an OR of phrases). Words match their inflected forms in Russian, Belarusian and English
(:mod:`monitor.match.forms`); ``Matcher.match`` is pure and returns one
:class:`~monitor.models.Match` per matching watch, with the words as written and the
sentence(s) they stand in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from monitor.match.engine import CompiledWord, Doc, compile_word
from monitor.match.evaluate import Evaluator, compile_node
from monitor.match.explain import explain
from monitor.match.forms import WordForms
from monitor.match.gate import Gate, english_irregulars, key_heads
from monitor.match.plan import Requirement, anchors, requirements
from monitor.match.query import DEFAULT_FIELDS, Node, Or, QueryError, Terms, Word, parse_query
from monitor.match.text import words
from monitor.match.vocabulary import NO_WATCHES, USELESS, Vocabulary, WordInfo
from monitor.models import Entry, Match, WatchConfig


@dataclass(frozen=True)
class CompiledWatch:
    config: WatchConfig
    node: Node
    words: dict[Word, CompiledWord]
    required: Requirement  # key groups to check beyond the anchor
    anchor: frozenset[str] | None  # keys of which a match has one (None: cannot tell)
    evaluate: Evaluator  # the node as a function of the entry

    def may_match(self, present: set[str]) -> bool:
        for group in self.required:  # noqa: SIM110 (a plain loop: the hot path)
            if group.isdisjoint(present):
                return False
        return True

    def applies_to(self, feed: str) -> bool:
        return not self.config.feeds or feed in self.config.feeds


def rule_tree(config: WatchConfig) -> Node:
    """The watch's query, or its keywords as an OR of phrases. Raises QueryError."""
    if config.query:
        return parse_query(config.query)
    phrases = []
    for keyword in config.keywords:
        found = tuple(Word(w) for w in words(keyword))
        if found:
            phrases.append(Terms(found, DEFAULT_FIELDS, keyword))
    if not phrases:
        raise QueryError("no keyword has letters or digits to match", 1)
    return phrases[0] if len(phrases) == 1 else Or(tuple(phrases))


def compile_watch(config: WatchConfig, forms: WordForms) -> CompiledWatch:
    node = rule_tree(config)
    compiled = {w: compile_word(w, forms) for w in _words(node)}
    anchor = anchors(node, compiled)  # candidates have it: no need to check it again
    rest = tuple(g for g in requirements(node, compiled) if g != anchor)
    return CompiledWatch(config, node, compiled, rest, anchor, compile_node(node, compiled))


def _words(node: Node) -> set[Word]:
    if isinstance(node, Terms):
        return set(node.words)
    children = (node.child,) if hasattr(node, "child") else (
        (node.left, node.right) if hasattr(node, "left") else node.children)  # type: ignore
    return set().union(*(_words(c) for c in children))


def build_gate(used: frozenset[str], forms_of: dict[str, list[str]]) -> Gate:
    """The gate over every used key's heads (see ``monitor.match.gate``)."""
    heads = [head for key in used for head in key_heads(key, forms_of)]
    return Gate(heads + english_irregulars(used))


class Matcher:
    """All watches of one config, indexed by anchor keys.

    Per vocabulary word it caches the keys some watch uses and the watches anchored on
    it, so an entry costs one dictionary look-up per distinct word, and only candidate
    watches are evaluated. The watches are compiled on the first match: a poller whose
    parse workers do the matching never loads the word-form dictionaries itself.
    """

    watches: tuple[CompiledWatch, ...]
    by_anchor: dict[str, set[int]]
    always: set[int]
    used_keys: frozenset[str]
    prefixes: dict[str, list[str]]
    vocabularies: dict[str, Vocabulary]
    gate: Gate | None

    def __init__(self, watches: Iterable[WatchConfig] = (), forms: WordForms | None = None, *,
                 compiled: Iterable[CompiledWatch] | None = None, gated: bool = True) -> None:
        self._compiled = tuple(compiled) if compiled is not None else None
        self.configs = (tuple(w.config for w in self._compiled) if self._compiled is not None
                        else tuple(watches))
        self._forms = forms
        self._gated = gated  # False: every word of an entry is looked up (the reference)
        self._built = False

    @property
    def forms(self) -> WordForms:
        if self._forms is None:
            self._forms = WordForms()
        return self._forms

    def compile(self) -> None:
        """Compile the watches now (they are otherwise compiled on the first match)."""
        self.watches = self._compiled if self._compiled is not None else tuple(
            compile_watch(w, self.forms) for w in self.configs)
        self.by_anchor, self.always = {}, set()
        for i, watch in enumerate(self.watches):
            if watch.anchor is None:
                self.always.add(i)
            for key in watch.anchor or ():
                self.by_anchor.setdefault(key, set()).add(i)
        words = [cw for w in self.watches for cw in w.words.values()]
        self.used_keys = frozenset(k for cw in words for k in cw.keys)
        self.prefixes = {}
        for cw in words:
            if cw.word.prefix:
                self.prefixes.setdefault(cw.word.text[:3], []).append(cw.word.text)
        self.vocabularies = {lang: Vocabulary(partial(self._analyse, lang=lang))
                             for lang in ("ru", "be", "ru+be")}
        self.gate = build_gate(self.used_keys, self.forms.forms_of()) if self._gated else None
        self._built = True

    def _analyse(self, raw: str, lang: str) -> WordInfo:
        norm, keys = self.forms.analyse(raw, lang)
        used = [k for k in keys if k in self.used_keys]
        if self.prefixes:
            used += ["p:" + p for p in self.prefixes.get(norm[:3], ()) if norm.startswith(p)]
        if not used:
            return USELESS
        watches = {i for k in used for i in self.by_anchor.get(k, ())}
        return WordInfo(tuple(used), frozenset(watches) if watches else NO_WATCHES)

    def match(self, entry: Entry, feed: str, *, any_feed: bool = False,
              cleaned: bool = False) -> list[Match]:
        """The watches that match; ``any_feed`` ignores the watches' ``feeds`` lists.
        ``cleaned``: the entry's title and text are clean already, as a poll's are (the
        feed and page parsers and the article reader clean them; cleaning them again was
        2% of a cold poll's CPU)."""
        if not self._built:
            self.compile()
        doc = Doc(self.vocabularies, entry.title, entry.text, entry.url, feed, entry.doc_text,
                  self.gate, clean=not cleaned)
        chosen, present = doc.scan()
        if self.always:
            chosen.update(self.always)
        found = []
        for i in sorted(chosen):
            watch = self.watches[i]
            if watch.required and not watch.may_match(present):
                continue
            if not (any_feed or watch.applies_to(feed)):
                continue
            if watch.config.require == "document" and not entry.documents:
                continue
            occs = watch.evaluate(doc)
            if occs is not None:
                terms, snippet = explain(occs, doc)
                found.append(Match(watch.config.name, terms, snippet or doc.raw["title"]))
        return found


def compile_rules(watches: Iterable[WatchConfig]) -> tuple[Matcher, list[str]]:
    """Check every watch: the matcher of the valid ones (compiled on its first match), and
    each problem with a watch's rule or examples as a ``where: what`` line (a watch with
    a broken rule is left out). Only watches with examples are compiled here."""
    problems: list[str] = []
    valid = []
    forms: WordForms | None = None
    for i, config in enumerate(watches):
        where = f"watches[{i}].{'query' if config.query else 'keywords'}"
        try:
            rule_tree(config)
        except QueryError as exc:
            problems.append(f"{where}: {exc} (watch {config.name!r})")
            continue
        if config.examples_match or config.examples_no_match:
            forms = forms or WordForms()
            watch = compile_watch(config, forms)
            problems += _check_examples(Matcher(forms=forms, compiled=[watch]), config, i)
        valid.append(config)
    return Matcher(valid, forms), problems


def _check_examples(matcher: Matcher, config: WatchConfig, i: int) -> list[str]:
    problems = []
    for key, texts, wanted in (("match", config.examples_match, True),
                               ("no_match", config.examples_no_match, False)):
        for n, text in enumerate(texts):
            # an example is text: it carries a document as far as ``require`` goes
            entry = Entry("example", text, "", None, text, documents=("(example)",))
            got = bool(matcher.match(entry, "", any_feed=True))  # the rule, not the routing
            if got != wanted:
                verb = "does not match" if wanted else "matches"
                problems.append(f"watches[{i}].examples.{key}[{n}]: watch {config.name!r} "
                                f"{verb} {text[:80]!r}; fix the rule or the example")
    return problems


__all__ = ["Matcher", "QueryError", "compile_rules", "compile_watch", "rule_tree"]
