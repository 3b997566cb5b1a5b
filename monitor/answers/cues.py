"""Announcement or report: does a sentence say the event *will* happen (or was set or
moved), or that it *took place*? Cue words in three languages, and for Russian the tense
of its verbs (pymorphy3): any verb in the future tense announces."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from monitor.morph import analyser

_FUTURE = re.compile("|".join((
    r"состоится|состоятся|пройд[её]т|пройдут|проведут|собер[её]тся|собер[её]тся|"
    r"планиру\w*|запланирован\w*|намечен\w*|назначен\w*|назначил\w*|перенес\w*|перенос\w*|"
    r"ожида\w*|предстоящ\w*|будет|будут|готовит\w*|подготовк\w*|перенесл\w*",
    r"адбудзецца|адбудуцца|пройдзе|правядуць|збярэцца|збяруцца|заплан\w*|плану\w*|"
    r"прызнач\w*|перане\w*|будзе|будуць|чака\w*|маецца|падрыхто\w*",
    r"\bwill\b|\bto (?:hold|be held|meet|take place|convene|gather)\b|\bscheduled\b|"
    r"\bset (?:for|to)\b|\bplanned\b|\bplans?\b|\bupcoming\b|\bpostpone\w*|\bmoved to\b|"
    r"\bexpected\b|\bdue to\b|\bre-?scheduled\b|\bpreparations?\b|\bahead of\b|"
    r"\bbefore the\b|\bto discuss\b")))
_HELD = re.compile("|".join((
    r"состоял(?:ось|ся|ась|ись)|прош(?:ло|[её]л|ла|ли)\b|провел[иа]?\b|проведено|"
    r"открыл(?:ось|ся|ась)|завершил(?:ось|ся|ась)|собрал(?:ись|ось)|по итогам|"
    r"в ходе заседания|на состоявшемся",
    r"адбыл(?:ося|ся|ася|іся)|прайш(?:ло|оў|ла|лі)|правял[іа]|завяршыл\w*|па выніках",
    r"\bwas held\b|\bwere held\b|\bhas been held\b|\btook place\b|\bheld\b|\bmet\b|"
    r"\bopened\b|\bconcluded\b|\bwrapped up\b|\bfollowing the meeting\b")))
# weaker signs of a report: they count only when nothing in the sentence looks ahead
# ("Putin opens Supreme State Council", "подвели итоги заседания", "подписан на заседании")
_HELD_NOW = re.compile(
    r"подвел\w* итоги|итоги заседания|в результате заседания|по результатам заседания|"
    r"\bopens\b|\bmeets\b|\bconvenes\b|\bconvened\b|\bgathered\b|\bis underway\b")
_AT_MEETING = re.compile(r"на (?:состоявшемся )?заседании|на пасяджэнні")
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
    future = bool(_FUTURE.search(sentence)) or (russian and _has_tense(sentence, "futr"))
    held = bool(_HELD.search(_NOT_HELD.sub(" ", sentence))) or (not future and (
        bool(_HELD_NOW.search(sentence)) or (russian and bool(_AT_MEETING.search(sentence))
                                             and _has_tense(sentence, "past"))))
    return Cues(future, held, bool(PAST_MENTION.search(sentence)))


def _has_tense(sentence: str, tense: str) -> bool:
    return any(_tense(word) == tense for word in re.findall(r"[а-я]+", sentence))


@lru_cache(maxsize=50_000)
def _tense(word: str) -> str | None:
    """"futr" or "past" for a verb or short participle, else None (pymorphy3's first
    parse)."""
    parse = analyser().parse(word)[0]
    return str(parse.tag.tense) if parse.tag.POS in ("VERB", "PRTS") and parse.tag.tense \
        else None
