"""type = "apprise": alerts through Apprise's json:// to a local receiver, with the stable
delivery id in the body; a refused message is temporary (retried); check accepts a
Telegram-style URL and refuses one Apprise cannot read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.helpers import Item, rss, run_cli, write_config

ITEM = Item("u1", "Союзные программы опубликованы", "Тексты союзных программ опубликованы.")


def config_for(tmp_path: Path, feed: HTTPServer, receiver: HTTPServer) -> Path:
    feed.expect_request("/feed").respond_with_data(rss([ITEM]))
    host = receiver.url_for("/chat").split("://", 1)[1]
    return write_config(tmp_path / "monitor.toml",
                        feeds=[{"name": "f", "url": feed.url_for("/feed")}],
                        watches=[{"name": "union", "keywords": ["союзные программы"]}],
                        notifiers=[{"name": "chat", "type": "apprise",
                                    "urls": [f"json://{host}"]}])


def test_an_alert_reaches_a_chat_with_its_delivery_id(tmp_path: Path, httpserver: HTTPServer,
                                                      webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/chat").respond_with_data("ok")
    config = config_for(tmp_path, httpserver, webhook_server)
    assert "sent=1" in run_cli("poll", config=config).stdout
    [(request, _)] = webhook_server.log
    body = json.loads(request.get_data())
    assert body["title"] == "[monitor] union: Союзные программы опубликованы"
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        [(delivery,)] = conn.execute("SELECT id FROM deliveries").fetchall()
    assert f"monitor alert {delivery}" in body["message"]


def test_a_refusal_is_retried(tmp_path: Path, httpserver: HTTPServer,
                              webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/chat").respond_with_data("no", status=500)
    config = config_for(tmp_path, httpserver, webhook_server)
    assert "retry=1" in run_cli("poll", config=config).stdout
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        assert conn.execute("SELECT status FROM deliveries").fetchall() == [("pending",)]


def test_check_accepts_a_telegram_url_and_refuses_an_unreadable_one(tmp_path: Path) -> None:
    good = write_config(tmp_path / "good.toml", notifiers=[{
        "name": "tg", "type": "apprise",
        "urls": ["tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-1001234567890"]}])
    assert run_cli("check", "--no-connect", config=good).returncode == 0
    bad = write_config(tmp_path / "bad.toml", notifiers=[{
        "name": "tg", "type": "apprise", "urls": ["telegram-bot-please"]}])
    result = run_cli("check", "--no-connect", config=bad)
    assert result.returncode == 2 and "notifiers[0].urls[0]: Apprise cannot read" in result.stderr
