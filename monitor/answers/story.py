"""One story across outlets: the signature of an item (stems of its title and lead, stop
words left out, and whether it announces or reports), and how alike two are (Jaccard).

Stems are the first five letters of a word (Russian and Belarusian agency copy is lightly
edited: "заседание"/"заседании" meet at "засед"), which needs no dictionary and treats the
three languages alike; numbers are kept whole (dates tell stories apart)."""

from __future__ import annotations

import re
from typing import NamedTuple

from monitor.answers.cues import cues

THRESHOLD = 0.35  # measured elsewhere on Russian items: precision 0.89, recall 0.84
LEAD = 300  # characters of the text that count with the title
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset("""
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть
был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть
надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда
кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас
были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот
через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед
иногда лучше чуть том нельзя такой им более всегда конечно всю между і ў у з на да па ад
гэта што як але the a an of to in on at for and or is are was were be by with from as that
this it its has have will
""".split())


NAMES_ALIKE = 0.5  # two items naming different bodies or people are different stories
MIN_SHARED = 4  # words in common, numbers aside: short headlines alike by template are not
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZА-ЯЁІЎ][^\W\d_]+)")


class Signature(NamedTuple):
    terms: frozenset[str]
    tense: str  # "future" | "past" | "" (neither, or both)
    names: frozenset[str] = frozenset()  # capitalised words not opening a sentence


def signature(title: str, text: str) -> Signature:
    """What identifies the story an item tells."""
    low = f"{title} {text[:LEAD]}".lower().replace("ё", "е")
    words = _WORD.findall(low)
    terms = frozenset(w if w.isdigit() else w[:5] for w in words
                      if w not in _STOP and (len(w) > 2 or w.isdigit()))
    said = cues(low, russian=False)  # cue words only: a dictionary look-up per word costs
    # more than the whole comparison, and agency copies share their verbs anyway
    tense = "future" if said.future and not said.held else \
        "past" if said.held and not said.future else ""
    names = frozenset(m[:5].lower() for part in (title, text[:LEAD])
                      for m in _NAME.findall(part))
    return Signature(terms, tense, names)


def similar(a: Signature, b: Signature) -> float:
    """Jaccard similarity of the terms; 0 when one announces and the other reports, or
    when they name mostly different bodies and people (the same template, another story)."""
    if a.tense and b.tense and a.tense != b.tense:
        return 0.0
    if a.names and b.names and _jaccard(a.names, b.names) < NAMES_ALIKE:
        return 0.0
    if sum(1 for t in a.terms & b.terms if not t.isdigit()) < MIN_SHARED:
        return 0.0
    return _jaccard(a.terms, b.terms)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0
