"""`poll` prints its table and keeps the log for --verbose; `run` starts with a summary of
what it will do."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from monitor.cli.report import startup_lines
from monitor.settings.load import load_config
from tests.helpers import Item, rss, run_cli, write_config


def config_for(tmp_path: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/feed").respond_with_data(rss([Item("1", "Союзные программы")]))
    return write_config(tmp_path / "monitor.toml",
                        feeds=[{"name": "f", "url": httpserver.url_for("/feed")}],
                        watches=[{"name": "w", "keywords": ["союзные программы"]}])


def test_poll_prints_the_table_and_logs_only_when_verbose(tmp_path: Path,
                                                          httpserver: HTTPServer) -> None:
    config = config_for(tmp_path, httpserver)
    quiet = run_cli("poll", config=config)
    assert quiet.stdout.startswith("f ") and "poll feed=" not in quiet.stderr
    verbose = run_cli("poll", "--verbose", config=config)
    assert "poll feed=f status=" in verbose.stderr


def test_commands_that_match_log_no_library_chatter(tmp_path: Path,
                                                   httpserver: HTTPServer) -> None:
    """Loading the Russian dictionary logs its revision at INFO: not in monitor's log."""
    config = config_for(tmp_path, httpserver)
    run_cli("poll", config=config)
    result = run_cli("rematch", config=config)
    assert result.returncode == 0 and "pymorphy3" not in result.stderr, result.stderr


def test_the_startup_summary_names_what_run_will_do() -> None:
    shipped = Path(__file__).resolve().parents[2] / "config" / "monitor.toml"
    config = load_config(shipped, env={})
    lines = "\n".join(startup_lines(config, "storage/monitor.db", 17, None))
    assert "17 feeds and 2 pages, every 10m to 30m" in lines
    assert "2 watches: union-program-texts, supreme-state-council-date" in lines
    assert "desk (email, disabled: MONITOR_SMTP_HOST is not set" in lines
    assert "database:  storage/monitor.db" in lines and "next poll: now (17 feeds due)" in lines
    later = "\n".join(startup_lines(config, "x.db", 0, "2026-12-02T12:10:00Z"))
    assert "next poll: 2026-12-02 12:10 UTC" in later


def test_json_log_lines_for_log_collectors(tmp_path: Path, httpserver: HTTPServer) -> None:
    import json

    config = config_for(tmp_path, httpserver)
    result = run_cli("poll", "--verbose", config=config, env={"MONITOR_LOG_FORMAT": "json"})
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert any(line["message"].startswith("poll feed=f status=ok") for line in lines)
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    import logging

    from monitor.cli.support import JsonLines

    record = logging.LogRecord("monitor", logging.INFO, __file__, 1, "Высший госсовет", (), None)
    assert '"message": "Высший госсовет"' in JsonLines().format(record)  # not \\u escapes
