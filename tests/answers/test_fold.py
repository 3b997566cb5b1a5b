"""One answer folded from a story's items in publication order; each step's change kind is
a line of tests/data/answer_steps.tsv."""

from __future__ import annotations

from datetime import date

from monitor.answers.extract import extract
from monitor.answers.fold import Answer, Source, apply
from tests.helpers import data_rows

STEPS = data_rows("answer_steps.tsv")


def test_a_story_folds_into_one_answer_step_by_step() -> None:
    answer = Answer("council")
    for n, (published, sentence, change, state, start, end) in enumerate(STEPS):
        day = date.fromisoformat(published)
        made = []
        for found in extract(sentence, day):
            answer, step = apply(answer, found, Source(f"https://e.org/{n}", "f", sentence,
                                                      f"{published}T09:00:00Z"), day)
            made += [step.change] if step else []
        assert (made[-1] if made else "-", answer.state, str(answer.start),
                str(answer.end)) == (change, state, start, end), sentence
    assert [c.change for c in answer.history][:3] == ["first", "refined", "confirmed"]
    assert answer.history[3].previous == ("announced", date(2024, 12, 1), date(2024, 12, 31))


def test_nothing_announced_leaves_the_answer_alone() -> None:
    assert extract("Высший госсовет — высший орган Союзного государства.",
                   date(2024, 1, 1)) == []
