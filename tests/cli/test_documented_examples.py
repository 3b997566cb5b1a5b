"""Every example in the README and in `--help` runs against the shipped config, with a
database it fills from local feeds: each exits 0 and prints something.

The shipped config is used as it is, except that its feed URLs point to a local server
(same feed names) and private addresses are allowed; the notifiers are set from the
environment to a local SMTP server and webhook receiver. Example ids (``dlv_…``,
``hit_…``) are replaced by ids of the filled database. ``monitor run`` and ``monitor
serve`` (which run until stopped) are not run here: tests/e2e/test_run.py and
tests/cli/test_serve.py run them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from monitor.cli import cli
from tests.conftest import SMTPServer
from tests.helpers import Item, rss

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "config" / "README.md"]
NOT_RUN = {"run", "serve"}  # run until stopped: tests/e2e/test_run.py, tests/cli/test_serve.py


def help_examples() -> list[str]:
    commands: list[click.Command] = [cli]
    for command in commands:  # groups' subcommands too (monitor feeds import, ...)
        commands += list(getattr(command, "commands", {}).values())
    found = []
    for command in commands:
        text = command.help or ""
        found += _joined(text.split("Example", 1)[1].splitlines() if "Example" in text else [])
    return found


def doc_examples() -> list[str]:
    found = []
    for path in DOCS:
        for block in re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
            found += [line for line in _joined(block.splitlines())
                      if line.startswith(("monitor ", "sqlite-utils "))]
    return found


def _joined(lines: list[str]) -> list[str]:
    """Shell lines with their continuations joined (a trailing backslash, or a quote
    still open), stripped."""
    out: list[str] = []
    pending = ""
    for raw in lines:
        line = raw.strip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        if not _complete(line):
            pending = line + " "
            continue
        pending = ""
        if "monitor " in line or line.startswith("sqlite-utils "):
            out.append(line)
    return out


def _complete(line: str) -> bool:
    try:
        shlex.split(line, comments=True)
    except ValueError:
        return False
    return True


def commands(example: str) -> Iterator[tuple[dict[str, str], list[str]]]:
    """Each command of an example line: its environment assignments and its words, with a
    shell redirect ``> FILE`` as a last word ``>FILE``."""
    for part in example.split("&&"):
        words = shlex.split(part, comments=True)
        if ">" in words:
            at = words.index(">")
            words = [*words[:at], ">" + words[at + 1]]
        env = {}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            key, value = words.pop(0).split("=", 1)
            env[key] = value
        yield env, words


def test_examples_are_found() -> None:
    found = help_examples()
    assert len(found) >= 12 and len(doc_examples()) >= 8
    assert {w[1] for e in found for _, w in commands(e) if w[1:]} >= {
        "check", "poll", "feeds", "hits", "deliveries", "redeliver", "test-notify",
        "test-rule", "rematch", "healthcheck", "backup"}


def shipped_config_with_local_feeds(root: Path, feeds: HTTPServer) -> None:
    text = (ROOT / "config" / "monitor.toml").read_text(encoding="utf-8")
    text = text.replace("allow_private_networks = false", "allow_private_networks = true")
    text = re.sub(r'name = "([\w.-]+)"(\s*(?:#[^\n]*)?\n)url = "[^"]+"',
                  lambda m: f'name = "{m[1]}"{m[2]}url = "{feeds.url_for("/feed/" + m[1])}"',
                  text)
    (root / "config").mkdir()
    (root / "config" / "monitor.toml").write_text(text, encoding="utf-8")
    (root / "storage").mkdir()


SHIPPED = (ROOT / "config" / "monitor.toml").read_text(encoding="utf-8")
SOURCES = dict(re.findall(r'name = "([\w.-]+)"\s*(?:#[^\n]*)?\nurl = "([^"]+)"', SHIPPED))
PAGES = set(re.findall(r'\[\[pages\]\]\nname = "([\w.-]+)"', SHIPPED))
DOCUMENTS_PAGE = ('<html><body><nav><a href="/">home</a></nav><main><ul>'
                  '<li><a href="/documents/28-programs.html">Тексты 28 союзных программ</a></li>'
                  "</ul></main></body></html>")


def news() -> bytes:
    now = format_datetime(datetime.now(UTC))
    return rss([
        Item("ru", "Тексты 28 союзных программ опубликованы",
             "Тексты 28 союзных программ опубликованы на сайте Постоянного комитета.",
             pub_date=now),
        Item("en", "Putin, Lukashenko to hold meeting of Union State’s Supreme State Council",
             "Putin, Lukashenko to hold meeting of Union State’s Supreme State Council on "
             "Feb 26.", pub_date=now),
        Item("be", "Пасяджэнне Вышэйшага дзяржаўнага савета адбудзецца ў Мінску",
             "Пасяджэнне Вышэйшага дзяржаўнага савета адбудзецца ў Мінску.", pub_date=now)])


@pytest.fixture
def desk(tmp_path: Path, httpserver: HTTPServer, smtp_server: SMTPServer,
         webhook_server: HTTPServer) -> Iterator[Path]:
    for name in PAGES:
        httpserver.expect_request(f"/feed/{name}").respond_with_data(
            DOCUMENTS_PAGE, content_type="text/html; charset=utf-8")
    httpserver.expect_request(re.compile(r"/feed/.*")).respond_with_data(news())
    webhook_server.expect_request("/hook").respond_with_data("ok")
    shipped_config_with_local_feeds(tmp_path, httpserver)
    env = {"MONITOR_SMTP_HOST": "127.0.0.1", "MONITOR_SMTP_PORT": str(smtp_server.port),
           "MONITOR_SMTP_SECURITY": "none", "MONITOR_MAIL_FROM": "monitor@example.org",
           "MONITOR_MAIL_TO": "desk@example.org",
           "MONITOR_WEBHOOK_URL": webhook_server.url_for("/hook"),
           "MONITOR_TEST_FEEDS": httpserver.url_for("").rstrip("/"),
           "MONITOR_CONFIG": "", "MONITOR_DB": ""}
    before, cwd = dict(os.environ), Path.cwd()
    os.environ.update(env)
    for name in ("MONITOR_CONFIG", "MONITOR_DB"):
        os.environ.pop(name)
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(before)


def real_ids(root: Path) -> dict[str, str]:
    import sqlite3

    with sqlite3.connect(root / "storage" / "monitor.db") as conn:
        return {"dlv": conn.execute("SELECT id FROM deliveries LIMIT 1").fetchone()[0],
                "hit": conn.execute("SELECT id FROM hits LIMIT 1").fetchone()[0]}


def run(env: dict[str, str], words: list[str], ids: dict[str, str],
        local: dict[str, str]) -> tuple[int, str]:
    target = words.pop()[1:] if words[-1].startswith(">") else None
    code, output = _run(env, words, ids, local)
    if target:
        Path(target).write_text(output, encoding="utf-8")
    return code, output


def _run(env: dict[str, str], words: list[str], ids: dict[str, str],
         local: dict[str, str]) -> tuple[int, str]:
    words = [re.sub(r"^(dlv|hit)_[0-9a-f]{24}$", lambda m: ids[m[1]], w) for w in words]
    words = [local.get(w, w) for w in words]  # a shipped source's URL: its local copy
    if words[0] == "sqlite-utils":
        done = subprocess.run([sys.executable, "-m", "sqlite_utils", *words[1:]],
                              capture_output=True, text=True, env={**os.environ, **env})
        return done.returncode, done.stdout + done.stderr
    result = CliRunner().invoke(cli, words[1:], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def test_every_documented_example_runs_against_the_shipped_config(desk: Path) -> None:
    assert CliRunner().invoke(cli, ["poll"]).exit_code == 0  # fills the database
    ids = real_ids(desk)
    base = os.environ["MONITOR_TEST_FEEDS"]
    local = {url: f"{base}/feed/{name}" for name, url in SOURCES.items()}
    failures, ran = [], 0
    for example in help_examples() + doc_examples():
        for env, words in commands(example):
            if words[1:2] and words[1] in NOT_RUN:
                continue
            code, output = run(env, words, ids, local)
            ran += 1
            if code != 0 or not output.strip():
                failures.append(f"{example!r} -> exit {code}: {output[-500:]}")
    assert ran >= 20 and failures == []
