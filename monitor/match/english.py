"""An inflection-only English stemmer: plurals, -ed, -ing, British spellings.

Porter2/Snowball also strips derivational suffixes ("publication" -> "public",
"university" -> "univers"), which costs precision in news monitoring; word *forms* are
inflections, so this one stops there. Consistency matters more than linguistics: a word
and its inflected forms must share a key ("agree", "agreed" -> "agre").
"""

from __future__ import annotations

_KEEP_DOUBLE = frozenset("lsz")
_VOWELS = frozenset("aeiouy")
_BRITISH = (("isations", "izations"), ("isation", "ization"), ("ising", "izing"),
            ("ised", "ized"), ("ises", "izes"), ("ise", "ize"))
_SPELLINGS = {"programme": "program", "programmes": "programs"}


def stem(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _american(word)
    base = _strip_plural(word)
    base = _strip_verbal(base)
    if len(base) > 4 and base.endswith("e"):
        base = base[:-1]
    return base


def _american(word: str) -> str:
    if word in _SPELLINGS:
        return _SPELLINGS[word]
    for british, american in _BRITISH:
        if word.endswith(british) and len(word) > len(british) + 1:
            return word[: -len(british)] + american
    return word


def _strip_plural(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _strip_verbal(word: str) -> str:
    for suffix in ("ing", "ied", "ed"):
        stem_ = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem_) >= 3 and _VOWELS & set(stem_):
            return _undouble(stem_ + ("y" if suffix == "ied" else ""))
    return word


def _undouble(base: str) -> str:
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in _VOWELS | _KEEP_DOUBLE:
        return base[:-1]
    return base
