"""Real news about the Council's meetings (../shared/corpus/news, read in place; skipped
when absent): what the shipped date watch takes from each item (tests/data/answer_corpus.tsv,
checked by hand), and the answer after replaying them all through the real poller."""

from __future__ import annotations

import json
from datetime import date, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.answers.extract import extract
from monitor.match import compile_rules
from monitor.models import Entry
from monitor.pipeline.answers import one_item
from monitor.settings.load import load_config
from tests.helpers import Item, data_rows, rss, run_cli, write_config
from tests.pipeline.test_answers_replay import shipped_date_watch

ROOT = Path(__file__).resolve().parents[2]
NEWS = ROOT.parent / "shared" / "corpus" / "news"
CASES = data_rows("answer_corpus.tsv")


@pytest.fixture(scope="module")
def items() -> dict[str, dict[str, str]]:
    if not NEWS.is_dir():
        pytest.skip("the shared news corpus is absent (../shared/corpus/news)")
    wanted = {row[0] for row in CASES}
    found = {}
    for path in sorted(NEWS.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            if item["id"] in wanted:
                found[item["id"]] = item
    assert set(found) == wanted
    return found


def shown(item: dict[str, str]) -> str:
    config = load_config(ROOT / "config" / "monitor.toml", env={})
    matcher, _ = compile_rules(config.watches)
    entry = Entry(item["id"], item["title"], "", None, item.get("text") or "")
    [hit] = [m for m in matcher.match(entry, "news") if m.watch == "supreme-state-council-date"]
    text = f"{item['title']}\n\n{item.get('text') or ''}"
    found = one_item(extract(text, date.fromisoformat(item["date"][:10]), hit.terms))
    return " + ".join(f"held {e.start}" if e.kind == "held" else f"announced {e.start} {e.end}"
                      for e in found) or "none"


@pytest.mark.parametrize(("item_id", "published", "expected"), CASES)
def test_what_the_answer_takes_from_each_real_item(items: dict[str, dict[str, str]],
                                                   item_id: str, published: str,
                                                   expected: str) -> None:
    assert shown(items[item_id]) == expected


def test_replaying_the_real_items_through_the_poller(items: dict[str, dict[str, str]],
                                                      tmp_path: Path,
                                                      httpserver: HTTPServer) -> None:
    config = write_config(tmp_path / "monitor.toml",
                          feeds=[{"name": "news", "url": httpserver.url_for("/feed")}],
                          watches=[shipped_date_watch()])
    published: list[Item] = []
    for item in sorted(items.values(), key=lambda i: i["date"]):
        when = datetime.fromisoformat(item["date"] if "T" in item["date"]
                                      else f"{item['date']}T12:00:00+00:00")
        published.append(Item(item["id"], item["title"], item.get("text") or "",
                              link=item.get("url") or "", pub_date=format_datetime(when)))
        httpserver.clear()
        httpserver.expect_request("/feed").respond_with_data(rss(published))
        assert run_cli("poll", config=config).returncode == 0
    [answer] = json.loads(run_cli("answers", "--json", config=config).stdout)
    steps = [(h["published"][:10], h["change"], h["start"]) for h in answer["history"]]
    assert steps == [
        ("2000-01-10", "first", "2000-01-26"), ("2002-04-12", "held", "2002-04-12"),
        ("2003-01-20", "held", "2003-01-20"), ("2003-10-14", "held", "2003-10-14"),
        ("2005-04-22", "held", "2005-04-22"), ("2007-12-11", "first", "2007-12-13"),
        ("2007-12-13", "refined", "2007-12-14"), ("2007-12-16", "held", "2007-12-16"),
        ("2023-04-05", "first", "2023-04-06"), ("2024-12-06", "held", "2024-12-06"),
        ("2026-02-24", "first", "2026-02-26"), ("2026-02-26", "held", "2026-02-26")]
    assert (answer["state"], answer["start"]) == ("held", "2026-02-26")
