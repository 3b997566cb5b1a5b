"""A light Belarusian stemmer: inflectional endings stripped, stem alternations folded.

Snowball has no Belarusian stemmer and pymorphy3 no Belarusian dictionary, so this one
is written from Belarusian declension and conjugation tables and measured on the gold
lemmas of UD_Belarusian-HSE (``python -m bench.wordforms``; numbers in the README).
Input is one word normalised by ``text.normalise_word`` (casefolded, ``ё`` = ``е``).
It aims at consistency, not linguistics: a dictionary form and its inflected forms must
end up with the same key, so alternating stem consonants and fleeting vowels are folded
the same way on both sides ("савет", "савеце" -> "савт"; "пачатак", "пачатку" -> "пачатк").
"""

from __future__ import annotations

MIN_STEM = 3
_VOWELS = frozenset("аоеэіыуюяйў")

_ENDINGS = frozenset({
    # adjectives and participles
    "ага", "яга", "ога", "аму", "яму", "ому", "ымі", "імі", "ыя", "ія", "ая", "яя", "ае", "яе",
    "ую", "юю", "ых", "іх", "ым", "ім", "ай", "яй", "ой", "ы", "і",
    # nouns, including the -цыя/-ія type (сітуацыі, інвестыцый, кампаніяй)
    "амі", "ямі", "ах", "ях", "ам", "ям", "ом", "ем", "ою", "аю", "яю", "ей", "аў", "яў", "оў",
    "еў", "а", "я", "у", "ю", "е", "э", "о", "ь", "ў",
    "ыі", "ыю", "ый", "ыяй", "ыяю", "ыям", "ыямі", "ыях", "ыяў",
    "іі", "ію", "ій", "іяй", "іяю", "іям", "іямі", "іях", "іяў",
    # past passive participles: апублікаваны, апублікаваныя -> апублікав (as the infinitive)
    "аны", "аная", "анае", "аныя", "аных", "аным", "анымі", "анага", "анай", "аную", "анаму",
    "яны", "яная", "янае", "яныя", "яных", "яным", "янымі", "янага", "янай", "яную", "янаму",
    # verbs: infinitive, present, past, reflexive
    "аецца", "яецца", "уцца", "юцца", "ацца", "яцца", "іцца", "ыцца", "цца", "лася", "ліся",
    "лося", "ўся", "ся", "аць", "яць", "іць", "ыць", "эць", "уць", "юць", "ець", "ць", "ці",
    "аеш", "яеш", "еш", "ыш", "іш", "аем", "яем", "аеце", "яеце", "ыце", "іце",
    "ла", "лі", "ло",
    "ала", "ало", "алі", "яла", "яло", "ялі", "ыла", "ыло", "ылі", "іла", "іло", "ілі",
    "ела", "ело", "елі",
})
_LONGEST = max(map(len, _ENDINGS))

# stem-final consonants that alternate before endings: дзеканне/цеканне, г/з (нага/назе)
_ALTERNATIONS = (("дз", "д"), ("ц", "т"), ("з", "г"))


def stem(word: str) -> str:
    """Strip the longest known ending that leaves at least MIN_STEM letters."""
    if len(word) >= 6 and word[-1] == "ю" and word[-2] == word[-3] and word[-2] not in _VOWELS:
        return _drop_fleeting_vowel(word[:-2])  # Беларуссю, соллю: doubled consonant + ю
    for size in range(min(_LONGEST, len(word) - MIN_STEM), 0, -1):
        if word[-size:] in _ENDINGS:
            word = word[:-size]
            break
    return _drop_fleeting_vowel(_fold_alternation(word))


def _fold_alternation(base: str) -> str:
    for tail, plain in _ALTERNATIONS:
        if base.endswith(tail) and len(base) - len(tail) >= MIN_STEM - 1:
            return base[: -len(tail)] + plain
    return base


def _drop_fleeting_vowel(base: str) -> str:
    """пачатак/пачатку, сябар/сябры: drop a vowel before the final consonant."""
    if len(base) >= 5 and base[-2] in "аоеэ" and base[-1] not in _VOWELS:
        return base[:-2] + base[-1]
    return base


_MUTATIONS = (("дз", "дж"), ("ст", "шч"), ("з", "ж"), ("с", "ш"), ("ц", "ч"), ("т", "ч"),
              ("в", "ўл"), ("б", "бл"), ("п", "пл"), ("м", "мл"), ("ф", "фл"))


def _verb_forms(word: str) -> set[str]:
    """Forms of a verb term whose stems differ from the infinitive's: the present of
    -аваць verbs (апублікаваць -> апублікуюць, апублікуе) and the past participle of -іць
    verbs, with its consonant change (зацвердзіць -> зацверджаны, абнавіць -> абноўлены)."""
    if word.endswith(("аваць", "яваць")) and len(word) > 7:
        return {word[:-5] + "уюць"}
    if not word.endswith("іць") or len(word) < 7:
        return set()
    base = word[:-3]
    for tail, changed in _MUTATIONS:
        if base.endswith(tail):
            base = base[: -len(tail)] + changed
            break
    return {base + "аны", base + "ены"}


def term_stems(word: str) -> set[str]:
    """Stems under which a rule term, written in its dictionary form, is looked up: its
    own, and those of forms the stemmer cannot bring back to it."""
    variants = {word}
    if word[-1] in "аяое" and len(word) > 4:  # genitive plural: праграма -> праграм,
        bare = word[:-1]                       # дзяржава -> дзяржаў
        variants.add(bare[:-1] + "ў" if bare.endswith("в") else bare)
    if word[-1] in "ыі" and len(word) > 5:  # a plural term: праграмы -> праграм, праграма
        variants |= {word[:-1], word[:-1] + "а"}
    if word.endswith(("янін", "анін")):  # грамадзянін -> грамадзяне
        variants.add(word[:-2])
    variants |= _verb_forms(word)
    if "о" in word:  # akanne: год -> гады, гадоў
        variants |= {v.replace("о", "а") for v in variants}
    stems = {stem(v) for v in variants}
    return stems | {s[:-1] + "т" for s in stems if s.endswith("к")}  # эканоміка -> эканоміцы
