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


# irregular past forms that are not also common words of another meaning
# (so not "left", "fell", "saw", "rose", "lay", "found", "bit")
_IRREGULAR = dict(pair.split(":") for pair in """
struck:strike held:hold met:meet said:say took:take taken:take began:begin begun:begin
won:win fought:fight went:go gone:go came:come made:make told:tell led:lead sent:send
sought:seek brought:bring bought:buy thought:think caught:catch taught:teach spoke:speak
spoken:speak wrote:write written:write chose:choose chosen:choose gave:give given:give
seen:see knew:know known:know grew:grow grown:grow threw:throw thrown:throw drew:draw
drawn:draw fallen:fall risen:rise ran:run stood:stand understood:understand lost:lose
paid:pay kept:keep felt:feel built:build spent:spend meant:mean broke:break broken:break
stole:steal stolen:steal froze:freeze frozen:freeze drove:drive driven:drive flew:fly
flown:fly hidden:hide sold:sell shut:shut fled:flee withdrew:withdraw withdrawn:withdraw
""".split())


def exceptions() -> tuple[str, ...]:
    """Words whose key does not start as they do ("went" -> "go", "programme")."""
    return (*_IRREGULAR, *_SPELLINGS)


def stem(word: str) -> str:
    """The key of a word as it appears in a text."""
    if len(word) <= 3 or not word.isalpha():
        return _IRREGULAR.get(word, word)
    word = _IRREGULAR.get(word, word)
    return _drop_e(_strip_verbal(_strip_plural(_american(word))))


def term_stem(word: str) -> str:
    """The key of a rule term: a term written in -ing or -ed form is taken as that word
    ("meeting" the noun matches "meetings", not "meet")."""
    if len(word) > 3 and word.isalpha() and word.endswith(("ing", "ed")):
        return _drop_e(_strip_plural(_american(word)))
    return stem(word)


def text_stems(word: str) -> tuple[str, str]:
    """``(stem(word), noun_stem(word))``, sharing the steps they have in common (a text word
    gets both keys)."""
    if len(word) <= 3 or not word.isalpha():
        return _IRREGULAR.get(word, word), word
    plain = _strip_plural(_american(word))
    irregular = _IRREGULAR.get(word)
    base = plain if irregular is None else _strip_plural(_american(irregular))
    return _drop_e(_strip_verbal(base)), _drop_e(plain)


def noun_stem(word: str) -> str:
    """The key a text word also gets so that -ing/-ed terms find it ("meetings")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _drop_e(_strip_plural(_american(word)))


def _drop_e(base: str) -> str:
    return base[:-1] if len(base) > 4 and base.endswith("e") else base


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
