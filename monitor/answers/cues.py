"""Announcement or report: does a sentence say the event *will* happen (or was set or
moved), or that it *took place*? Cue words in three languages, and for Russian the tense
of its verbs (pymorphy3): any verb in the future tense announces."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

_FUTURE = re.compile("|".join((
    r"состоится|состоятся|пройд[её]т|пройдут|проведут|собер[её]тся|собер[её]тся|"
    r"планиру\w*|запланирован\w*|намечен\w*|назначен\w*|назначил\w*|перенес\w*|перенос\w*|"
    r"ожида\w*|предстоящ\w*|будет|будут|готовит\w*|подготовк\w*|перенесл\w*",
    r"адбудзецца|адбудуцца|пройдзе|правядуць|збярэцца|збяруцца|заплан\w*|плану\w*|"
    r"прызнач\w*|перане\w*|будзе|будуць|чака\w*|маецца|падрыхто\w*",
    r"\bwill\b|\bto (?:hold|be held|meet|take place|convene|gather)\b|\bscheduled\b|"
    r"\bset (?:for|to)\b|\bplanned\b|\bplans?\b|\bupcoming\b|\bpostpone\w*|\bmoved to\b|"
    r"\bexpected\b|\bdue to\b|\bre-?scheduled\b|\bpreparations?\b")))
_HELD = re.compile("|".join((
    r"состоял(?:ось|ся|ась|ись)|прош(?:ло|[её]л|ла|ли)\b|провел[иа]?\b|проведено|"
    r"открыл(?:ось|ся|ась)|завершил(?:ось|ся|ась)|собрал(?:ись|ось)|по итогам|"
    r"в ходе заседания|на состоявшемся",
    r"адбыл(?:ося|ся|ася|іся)|прайш(?:ло|оў|ла|лі)|правял[іа]|завяршыл\w*|па выніках",
    r"\bwas held\b|\bwere held\b|\bhas been held\b|\btook place\b|\bheld\b|\bmet\b|"
    r"\bopened\b|\bconcluded\b|\bwrapped up\b|\bfollowing the meeting\b")))
_NOT_HELD = re.compile(r"\b(?:to|will|would|shall|be|being) be held\b|\bto be held\b")
PAST_MENTION = re.compile(
    r"прошл(?:ом|ое|ого|ый|ым|ых)|предыдущ\w*|минувш\w*|мінул\w*|папярэдн\w*|"
    r"\blast\b|\bprevious\b|\bprior\b")


class Cues(NamedTuple):
    future: bool
    held: bool
    past_mention: bool


def cues(sentence: str, russian: bool) -> Cues:
    """``sentence`` lowercased, ``ё`` as ``е``."""
    future = bool(_FUTURE.search(sentence)) or (russian and _future_verb(sentence))
    held = bool(_HELD.search(_NOT_HELD.sub(" ", sentence)))
    return Cues(future, held, bool(PAST_MENTION.search(sentence)))


def _future_verb(sentence: str) -> bool:
    return any(_is_future(word) for word in re.findall(r"[а-я]+", sentence))


@lru_cache(maxsize=50_000)
def _is_future(word: str) -> bool:
    parse = _analyser().parse(word)[0]
    return parse.tag.POS == "VERB" and parse.tag.tense == "futr"


_ANALYSER: Any = None


def _analyser() -> Any:
    global _ANALYSER
    if _ANALYSER is None:
        import pymorphy3

        _ANALYSER = pymorphy3.MorphAnalyzer()
    return _ANALYSER
