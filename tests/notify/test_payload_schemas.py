"""Every webhook payload type has a JSON Schema (monitor/notify/schemas/) that the real
payloads a receiver gets validate against, and the README documents each type."""

from __future__ import annotations

import json
import time
from pathlib import Path

from jsonschema import Draft202012Validator
from pytest_httpserver import HTTPServer
from referencing import Registry, Resource

from monitor.notify import render
from tests.helpers import Item, rss, run_cli, write_config

SCHEMAS = Path(render.__file__).parent / "schemas"
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TYPES = ("hit", "digest", "summary", "source_failing", "source_recovered", "answer")


def validators() -> dict[str, Draft202012Validator]:
    loaded = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in loaded.values())
    for schema in loaded.values():
        Draft202012Validator.check_schema(schema)
    return {f"monitor.{name}": Draft202012Validator(s, registry=registry)
            for name, s in loaded.items()}


def test_there_is_a_schema_and_a_readme_section_for_each_type() -> None:
    assert set(validators()) == {f"monitor.{t}" for t in TYPES}
    for kind in TYPES:
        assert f"`monitor.{kind}`" in README and f"schemas/{kind}.json" in README


def recent(item_id: str) -> Item:
    return Item(item_id, f"Союзные программы {item_id}", "союзные программы",
                pub_date=time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()))


def test_real_payloads_of_every_type_validate(tmp_path: Path, httpserver: HTTPServer,
                                              webhook_server: HTTPServer) -> None:
    webhook_server.expect_request("/hook").respond_with_data("ok")
    webhook_server.expect_request("/digest").respond_with_data("ok")
    httpserver.expect_request("/news").respond_with_data(
        rss([recent("new"), Item("old", "Союзные программы в 2021", "союзные программы"),
             Item("council", "Высший госсовет соберется 26 февраля", "Высший госсовет "
                  "соберется 26 февраля.", pub_date=recent("x").pub_date)]))
    httpserver.expect_request("/belta").respond_with_data("down", status=503)
    config = write_config(
        tmp_path / "monitor.toml", monitor={"first_poll_window": "24h", "failing_after": "1s"},
        feeds=[{"name": "news", "url": httpserver.url_for("/news")},
               {"name": "belta", "url": httpserver.url_for("/belta")}],
        watches=[{"name": "union", "keywords": ["союзные программы"]},
                 {"name": "council", "query": '"высший госсовет"', "extract": "date"}],
        notifiers=[{"name": "hook", "type": "webhook", "url": webhook_server.url_for("/hook")},
                   {"name": "evening", "type": "webhook", "mode": "digest",
                    "digest_every": "1s", "url": webhook_server.url_for("/digest")}])
    run_cli("poll", config=config)  # hit + summary; belta starts failing
    time.sleep(1.1)
    run_cli("poll", config=config)  # the digest is due; belta failing for over 1s
    httpserver.clear()
    httpserver.expect_request("/belta").respond_with_data(rss([Item("1", "back")]))
    run_cli("poll", config=config)  # belta recovered
    payloads = [json.loads(request.get_data()) for request, _ in webhook_server.log]
    checks = validators()
    for payload in payloads:
        checks[payload["type"]].validate(payload)
    assert {p["type"] for p in payloads} == {f"monitor.{t}" for t in TYPES}
