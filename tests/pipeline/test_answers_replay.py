"""A story published over years goes through the real poller with the shipped date watch:
after each poll `monitor answers --json` gives the expected state, dates and change, and
exactly the expected `monitor.answer` webhooks have arrived (signed, schema-valid)."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from pytest_httpserver import HTTPServer
from standardwebhooks.webhooks import Webhook

from tests.helpers import Item, data_rows, rss, run_cli, write_config
from tests.notify.test_payload_schemas import validators

ROOT = Path(__file__).resolve().parents[2]
STEPS = data_rows("answer_replay.tsv")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def shipped_date_watch() -> dict[str, object]:
    config = tomllib.loads((ROOT / "config" / "monitor.toml").read_text(encoding="utf-8"))
    [watch] = [w for w in config["watches"] if w["name"] == "supreme-state-council-date"]
    assert watch["extract"] == "date"
    return {"name": watch["name"], "query": watch["query"], "extract": "date"}


def item(n: int, published: str, title: str) -> Item:
    when = format_datetime(datetime.fromisoformat(f"{published}T09:00:00+00:00"))
    return Item(f"item-{n}", title, title, link=f"https://news.example.org/{n}", pub_date=when)


def test_a_story_over_years_gives_the_expected_answer_after_each_poll(
        tmp_path: Path, httpserver: HTTPServer, webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("ok")
    config = write_config(
        tmp_path / "monitor.toml", feeds=[{"name": "news", "url": httpserver.url_for("/feed")}],
        watches=[shipped_date_watch()],
        notifiers=[{"name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook"),
                    "secret": SECRET}])
    published: list[Item] = []
    check = validators()["monitor.answer"]
    for n, (day, title, state, start, end, change, alerts) in enumerate(STEPS):
        published.append(item(n, day, title))
        httpserver.clear()
        httpserver.expect_request("/feed").respond_with_data(rss(published))
        assert run_cli("poll", config=config).returncode == 0
        [answer] = json.loads(run_cli("answers", "--json", config=config).stdout)
        got = (answer["state"], answer["start"], answer["end"], answer["history"][-1]["change"])
        assert got == (state, start, end, change), title
        answers = [r for r, _ in webhook_server.log
                   if json.loads(r.get_data())["type"] == "monitor.answer"]
        assert len(answers) == int(alerts), title
    payloads = [json.loads(r.get_data()) for r, _ in webhook_server.log]
    for request, _ in webhook_server.log:
        Webhook(SECRET).verify(request.get_data(), dict(request.headers))
    for payload in payloads:
        check.validate(payload)
    assert [p["change"] for p in payloads] == [
        "first", "refined", "refined", "held", "first", "refined", "changed", "held"]
    assert payloads[2]["previous"] == {"state": "announced", "start": "2024-12-01",
                                       "end": "2024-12-31"}

    # rematch rebuilds the answer from the stored hits: the same answer, nothing re-sent
    before = json.loads(run_cli("answers", "--json", config=config).stdout)
    assert run_cli("rematch", "--alert", config=config).returncode == 0
    assert json.loads(run_cli("answers", "--json", config=config).stdout) == before
    run_cli("poll", config=config)
    assert len(webhook_server.log) == len(payloads)
