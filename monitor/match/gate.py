"""The gate: which words of an entry can carry a key some watch uses, found in one
Aho-Corasick pass (ahocorasick_rs, Rust's aho-corasick as a DFA: 5.4 us over a
1,300-character entry, pyahocorasick's iter_long 17.5 us and a Python step per match)
instead of by splitting the entry into words.

At compile time every used key gives the strings its words must start with: a Russian
lemma its forms (the lexicon lists them), an exact word or a prefix itself, a stem (``b:``,
``e:``, Snowball ``r:``) itself less its last letter unless it has only one (the
stemmers change at most the last letter of what they keep: "пачатак" -> "пачатк",
"studies" -> "study"; British "-ise" keeps less), and an English irregular form ("went"
for "go") itself. An entry's text is then folded (casefolded, ``ё`` = ``е``, and the Latin
letters that look Cyrillic made Cyrillic everywhere, in the strings too, so that "Пyтин"
typed with a Latin y is found as ``normalise_word`` reads it), the automaton finds those
strings where a word starts, and only the words that start there are looked up. The one
property this rests on (every word that carries a used key starts with one of the
strings) is tested over every distinct word of the shared corpus
(``tests/match/test_gate.py``).

A text with no Cyrillic letter (most English texts) skips the folding: none of its words
is folded by ``normalise_word`` either, so the keys they carry are Latin (or digits), and
a second automaton over the heads without a Cyrillic letter, casefolded only, finds
them. Folding an English text made a Cyrillic copy of it, nine times over, and the scan
of that copy was slower too: on bench.poll's English entries the gate took 26 us, now 14.

A text whose casefolding changes its length ("ß" -> "ss"), or makes a letter of a mark
inside a match (U+0345 -> "ι"), is split into words as before: the answer is the same,
only slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from monitor.match import english
from monitor.match.text import CYRILLIC_RE, HOMOGLYPH_PAIRS, WORD_RE, has_cyrillic

_FOLDS = (("ё", "е"), *HOMOGLYPH_PAIRS)


def fold(text: str) -> str:
    """Casefolded, ``ё`` = ``е``, Latin look-alikes Cyrillic (replace is C-fast; translate
    took 12 times as long on news text)."""
    text = text.casefold()
    for latin, cyrillic in _FOLDS:
        text = text.replace(latin, cyrillic)
    return text


def key_heads(key: str, forms_of: dict[str, list[str]]) -> list[str]:
    """The strings a word carrying ``key`` starts with (normalised)."""
    kind, value = key[:2], key[2:]
    if kind in ("x:", "p:"):
        return [value]
    if kind == "r:" and value in forms_of:
        return forms_of[value]
    head = value[: value.rfind("iz") + 1] if kind == "e:" and "iz" in value else value[:-1]
    return [head or value]  # a stem of one letter is a whole word ("в")


def english_irregulars(keys: frozenset[str]) -> list[str]:
    """Irregular and spelling-variant English words whose keys a watch uses ("went")."""
    return [word for word in english.exceptions()
            if any(f"e:{stem}" in keys for stem in english.text_stems(word))]


class Gate:
    """One automaton over every head; ``words`` finds the words that start with one."""

    def __init__(self, heads: Iterable[str]) -> None:
        # a word is letters and digits: a head with anything else starts none (a feed:
        # name's key), and would let the longest match run over the next word's start
        heads = list(heads)
        folded = {f for f in map(fold, heads) if f.isalnum()}
        folded |= {"ў" + h[1:] for h in folded if h.startswith("у")}  # ўлада = улада
        self._automaton: Any = _automaton(folded) if folded else None
        latin = {c for c in (h.casefold() for h in heads if not CYRILLIC_RE.search(h))
                 if c.isalnum()}  # (as above)
        self._latin: Any = _automaton(latin) if latin else None

    @property
    def empty(self) -> bool:
        """No watch uses a key: no word of any entry can matter."""
        return self._automaton is None

    def words(self, text: str, cyrillic: bool | None = None) -> set[str] | None:
        """The words of ``text`` that start with a head; None: split it into words.
        ``cyrillic``: whether the text has a Cyrillic letter, when that is known."""
        if self.empty:
            return set()
        automaton = self._automaton
        if not (has_cyrillic(text) if cyrillic is None else cyrillic):
            automaton, folded = self._latin, text.casefold()
            if automaton is None:
                return set()  # no word can carry a key some watch uses
        else:
            folded = fold(text)
        if len(folded) != len(text):
            return None
        found: set[str] = set()
        match = WORD_RE.match
        # the leftmost longest matches, not overlapping: a head never spans two words
        # (heads are letters and digits), so none that starts a word is skipped
        for _, start, end in automaton.find_matches_as_indexes(folded):
            if not text[start:end].isalnum():  # folding made a letter of a mark
                return None  # (U+0345 -> "ι"): words are as written; split this text
            if start and text[start - 1].isalnum():
                continue
            found.add(match(text, start).group())  # type: ignore[union-attr]
        return found


def _automaton(heads: set[str]) -> Any:
    import ahocorasick_rs as aho

    return aho.AhoCorasick(sorted(heads), matchkind=aho.MatchKind.LeftmostLongest,
                           implementation=aho.Implementation.DFA)
