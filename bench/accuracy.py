"""Recall and precision of word-form matching on real news text, per concept.

    python -m bench.accuracy

A query is written as an editor would write it: the dictionary form, no wildcards.
Which items really mention the concept is decided independently of monitor's analysers:
Russian (Channel One, RIA Novosti) and English (TASS headlines): hand-written lists of
every form of the concept (its paradigm); Belarusian (UD_Belarusian-HSE sentences): the
treebank's gold lemmas. Russian is measured twice: with pymorphy3 lemmas (the default)
and with Snowball stems.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from monitor.match import Matcher
from monitor.match.forms import WordForms
from monitor.match.text import normalise_word
from monitor.models import Entry, WatchConfig

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# concept (as an editor writes it) -> every form that counts as a mention (hand-written)
_NOUN_A = "{0}а {0}ы {0}е {0}у {0}ой {0}ою {0} {0}ам {0}ами {0}ах"
_NOUN_IYA = "{0}я {0}и {0}ю {0}ей {0}ею {0}й {0}ям {0}ями {0}ях"
_NOUN_M = "{0} {0}а {0}у {0}ом {0}е {0}ы {0}ов {0}ам {0}ами {0}ах"
_NOUN_IE = "{0}е {0}я {0}ю {0}ем {0}и {0}й {0}ям {0}ями {0}ях"
RUSSIAN = {
    "союзное государство": ["союзное государство", "союзного государства",
                            "союзному государству", "союзным государством",
                            "союзном государстве", "союзные государства",
                            "союзных государств", "союзным государствам",
                            "союзными государствами", "союзных государствах"],
    "союзная программа": ["союзная программа", "союзной программы", "союзной программе",
                          "союзную программу", "союзной программой", "союзною программою",
                          "союзные программы", "союзных программ", "союзным программам",
                          "союзными программами", "союзных программах"],
    "высший государственный совет": [
        "высший государственный совет", "высшего государственного совета",
        "высшему государственному совету", "высшим государственным советом",
        "высшем государственном совете"],
    "государственная дума": ["государственная дума", "государственной думы",
                             "государственной думе", "государственную думу",
                             "государственной думой"],
    "Лукашенко": ["лукашенко"],
    "визит": _NOUN_M.format("визит").split(),
    "договор": _NOUN_M.format("договор").split(),
    "президент": _NOUN_M.format("президент").split(),
    "министр": _NOUN_M.format("министр").split(),
    "выборы": ["выборы", "выборов", "выборам", "выборами", "выборах"],
    "переговоры": ["переговоры", "переговоров", "переговорам", "переговорами", "переговорах"],
    "встреча": ["встреча", "встречи", "встрече", "встречу", "встречей", "встречею", "встреч",
                "встречам", "встречами", "встречах"],
    "граница": ["граница", "границы", "границе", "границу", "границей", "границею", "границ",
                "границам", "границами", "границах"],
    "пошлина": _NOUN_A.format("пошлин").split() + ["пошлины"],
    "экономика": _NOUN_A.format("экономик").split() + ["экономики"],
    "санкция": _NOUN_IYA.format("санкци").split(),
    "армия": _NOUN_IYA.format("арми").split(),
    "интеграция": _NOUN_IYA.format("интеграци").split(),
    "Белоруссия": ["белоруссия", "белоруссии", "белоруссию", "белоруссией", "белоруссиею"],
    "соглашение": _NOUN_IE.format("соглашени").split(),
    "заседание": _NOUN_IE.format("заседани").split(),
    "безопасность": ["безопасность", "безопасности", "безопасностью", "безопасностей",
                     "безопасностям", "безопасностями", "безопасностях"],
    "нефть": ["нефть", "нефти", "нефтью"],
    "правительство": ["правительство", "правительства", "правительству", "правительством",
                      "правительстве", "правительств", "правительствам", "правительствами",
                      "правительствах"],
}
ENGLISH = {  # concept -> every form an editor would accept
    "sanction": ["sanction", "sanctions", "sanctioned", "sanctioning"],
    "talk": ["talk", "talks", "talked", "talking"],
    "meeting": ["meeting", "meetings"],
    "agreement": ["agreement", "agreements"],
    "drone": ["drone", "drones"],
    "attack": ["attack", "attacks", "attacked", "attacking"],
    "visit": ["visit", "visits", "visited", "visiting"],
    "election": ["election", "elections"],
    "strike": ["strike", "strikes", "striking", "struck"],
    "summit": ["summit", "summits"],
    "union state": ["union state", "union state's"],
    "supreme state council": ["supreme state council"],
    "treaty": ["treaty", "treaties"],
    "negotiation": ["negotiation", "negotiations"],
    "exercise": ["exercise", "exercises", "exercised"],
}
BELARUSIAN = ["праграма", "пасяджэнне", "дзяржава", "савет", "прэзідэнт", "Беларусь",
              "Расія", "эканоміка", "краіна", "урад", "закон", "год", "горад", "праца",
              "грамадзянін", "сустрэча", "візіт", "пагадненне"]


def news(name: str, limit: int | None = None) -> list[tuple[str, str]]:
    path = CORPUS / "news" / name
    with path.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh]
    return [(i["title"], i.get("text") or "") for i in items[:limit]]


def evaluate(name: str, concepts: Iterable[str], items: list[tuple[str, str]],
             mentions: Callable[[str, str], bool],
             forms: WordForms | None = None) -> tuple[int, int, int]:
    """Print per-concept numbers; return (true positives, found, relevant) summed."""
    total = [0, 0, 0]
    for concept in concepts:
        query = f'"{concept}"' if " " in concept else concept
        matcher = Matcher([WatchConfig("c", (), query=query)], forms)
        found = {i for i, (t, x) in enumerate(items)
                 if matcher.match(Entry("k", t, "", None, x), "f")}
        relevant = {i for i, (t, x) in enumerate(items) if mentions(concept, f"{t}\n{x}")}
        tp = len(found & relevant)
        print(f"  {name:<10} {concept:<30} relevant {len(relevant):>5}  recall "
              f"{_pct(tp, len(relevant))}  precision {_pct(tp, len(found))}")
        for i, n in enumerate((tp, len(found), len(relevant))):
            total[i] += n
    return total[0], total[1], total[2]


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:7.1%}" if whole else "    n/a"


def paradigm_oracle(table: dict[str, list[str]]) -> Callable[[str, str], bool]:
    patterns = {c: re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(normalise_phrase(f)).replace(r"\ ", r"\s+") for f in forms) + r")(?!\w)")
        for c, forms in table.items()}

    def mentions(concept: str, text: str) -> bool:
        return patterns[concept].search(normalise_phrase(text)) is not None

    return mentions


def normalise_phrase(text: str) -> str:
    return text.casefold().replace("ё", "е").replace("’", "'")


def belarusian_items() -> tuple[list[tuple[str, str]], dict[int, set[str]]]:
    items: list[tuple[str, str]] = []
    lemmas: dict[int, set[str]] = {}
    for split in ("train", "dev"):
        for line in (CORPUS / "belarusian" / f"ud_be_hse_{split}.jsonl").open(encoding="utf-8"):
            sentence = json.loads(line)
            lemmas[len(items)] = {normalise_word(lm) for _, lm, _ in sentence["tokens"]}
            items.append(("", sentence["text"]))
    return items, lemmas


def main() -> None:
    if not CORPUS.exists():
        sys.exit("../shared/corpus is absent")
    ru = news("ru_1tv_news_sample.jsonl") + news("ru_ria_2023.jsonl")
    russian = paradigm_oracle(RUSSIAN)
    snowball = evaluate("ru/snowball", RUSSIAN, ru, russian, WordForms("snowball"))
    print(f"Russian with Snowball stems: recall {_pct(snowball[0], snowball[2])}  "
          f"precision {_pct(snowball[0], snowball[1])}")
    totals = [evaluate("russian", RUSSIAN, ru, russian)]
    en = news("en_tass_headlines_2025_2026.jsonl")
    totals.append(evaluate("english", ENGLISH, en, paradigm_oracle(ENGLISH)))
    be, be_lemmas = belarusian_items()
    index = {text: i for i, (_, text) in enumerate(be)}
    totals.append(evaluate("belarusian", BELARUSIAN, be,
                           lambda c, t: normalise_word(c) in be_lemmas[index[t.strip()]]))
    tp, found, relevant = (sum(t[i] for t in totals) for i in range(3))
    print(f"monitor, all concepts: recall {_pct(tp, relevant)}  precision {_pct(tp, found)}")


if __name__ == "__main__":
    main()
