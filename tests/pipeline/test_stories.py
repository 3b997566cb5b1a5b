"""One story, one alert: three outlets carrying one agency story give one alert and three
hits with one story_id; a different story in the same template stays apart; a report that
the meeting took place is not the announcement's story."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.answers.story import signature, similar
from tests.helpers import Item, rss, run_cli, write_config

COPIES = [
    ("tass", Item("t1", "Заседание Высшего госсовета пройдет 4 ноября в Москве",
                  "Заседание Высшего госсовета Союзного государства пройдет 4 ноября в Москве, "
                  "сообщили в Кремле.")),
    ("ria", Item("r1", "Высший госсовет Союзного государства соберется 4 ноября",
                 "В Кремле сообщили, что заседание Высшего госсовета пройдет 4 ноября в Москве.")),
    ("belta", Item("b1", "Заседание ВГС пройдет 4 ноября в Москве",
                   "Как сообщили в Кремле, заседание Высшего госсовета Союзного государства "
                   "пройдет в Москве 4 ноября.")),
]
OTHER = ("interfax", Item("i1", "Заседание Совета Федерации пройдет 4 ноября в Москве",
                          "Заседание Совета Федерации пройдет 4 ноября в Москве, сообщили "
                          "в Совфеде."))


def test_three_outlets_one_story_one_alert_and_a_lookalike_apart(
        tmp_path: Path, httpserver: HTTPServer, webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("ok")
    feeds = []
    for name, item in [*COPIES, OTHER]:
        httpserver.expect_request(f"/{name}").respond_with_data(rss([item]))
        feeds.append({"name": name, "url": httpserver.url_for(f"/{name}")})
    config = write_config(tmp_path / "monitor.toml", feeds=feeds,
                          watches=[{"name": "meetings", "query": "заседание"}],
                          notifiers=[{"name": "hook", "type": "webhook",
                                      "url": webhook_server.url_for("/hook")}])
    for name, _ in [*COPIES, OTHER]:  # outlets publish one after the other
        run_cli("poll", "--feed", name, config=config)
    alerts = [json.loads(r.get_data()) for r, _ in webhook_server.log]
    assert sorted(a["feed"] for a in alerts) == ["interfax", "tass"]  # the first publisher
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        stories = dict(conn.execute("SELECT feed, story_id FROM hits"))
    assert stories["tass"] == stories["ria"] == stories["belta"] != stories["interfax"]
    listed = run_cli("hits", config=config).stdout
    assert listed.count(f"story {stories['tass']}") == 3


def test_a_report_is_not_the_announcements_story() -> None:
    announced = signature("ВГС пройдет 4 ноября в Москве",
                          "Заседание Высшего госсовета пройдет 4 ноября в Москве.")
    held = signature("ВГС прошел 4 ноября в Москве",
                     "Заседание Высшего госсовета прошло 4 ноября в Москве.")
    assert similar(announced, held) == 0.0


def test_short_headlines_alike_only_by_template_are_apart() -> None:
    assert similar(signature("alpha report 0-5", ""), signature("alpha report 1-5", "")) == 0.0
    assert similar(signature("Alpha report 1-0", ""), signature("Alpha report 0-1", "")) == 0.0
