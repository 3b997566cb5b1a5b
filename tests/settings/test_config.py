"""Config validation: each broken config names the broken key and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.settings.load import load_config
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
FEED = '[[feeds]]\nname = "f"\nurl = "https://example.org/rss"\n'
WATCH = '[[watches]]\nname = "w"\nkeywords = ["x"]\n'

BROKEN = [
    # (config text, the `where` that must be named, a word of the explanation)
    ('[monitor]\nintervall = "5m"\n', "monitor.intervall", "did you mean 'interval'"),
    ('[monitor]\ninterval = "5 minutes"\n', "monitor.interval", "90s"),
    ('[monitor]\nfirst_poll = "maybe"\n', "monitor.first_poll", "'alert', 'store'"),
    ('[monitor]\nallow_private_networks = "yes"\n', "monitor.allow_private_networks",
     "true or false"),
    ('[monitor]\nconcurrency = 0\n', "monitor.concurrency", "whole number"),
    ('[monitor]\nmax_body_size = "lots"\n', "monitor.max_body_size", "15MB"),
    ("[extra]\n", "extra", "unknown section"),
    (FEED + '[[feeds]]\nname = "g"\nurl = "ftp://example.org/x"\n', "feeds[1].url", "http(s)"),
    (FEED + '[[feeds]]\nname = "g"\n', "feeds[1].url", "is required"),
    (FEED + FEED, "feeds[1].name", "used twice"),
    ('[[feeds]]\nname = "bad name!"\nurl = "https://e.org/"\n', "feeds[0].name", "letters"),
    (FEED + '[[watches]]\nname = "w"\nkeywords = []\n', "watches[0].keywords", "empty"),
    (FEED + '[[watches]]\nname = "w"\nkeywords = "x"\nfeeds = ["nope"]\n', "watches[0].feeds",
     "no feed is named 'nope'"),
    (FEED + WATCH + 'notify = ["deks"]\n[[notifiers]]\nname = "desk"\ntype = "webhook"\n'
     'url = "https://h.example.org/"\n', "watches[0].notify", "did you mean 'desk'"),
    ('[[notifiers]]\nname = "n"\ntype = "pager"\n', "notifiers[0].type", "'email', 'webhook'"),
    ('[[notifiers]]\nname = "n"\ntype = "email"\nsmtp_host = "h"\nfrom = "a@b"\n',
     "notifiers[0].to", "is required"),
    ('[[notifiers]]\nname = "n"\ntype = "webhook"\nurl = "https://h/"\nsecrte = "x"\n',
     "notifiers[0].secrte", "did you mean 'secret'"),
    ('[[notifiers]]\nname = "n"\ntype = "webhook"\nurl = "https://h/"\n'
     'secret_file = "/nonexistent/secret"\n', "notifiers[0].secret_file", "check the path"),
    ('[[notifiers]]\nname = "n"\ntype = "webhook"\nurl = "https://h/"\nurl_env = "X"\n',
     "notifiers[0].url_env", "given twice"),
    ("[monitor\n", "monitor.toml", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "where", "hint"), BROKEN)
def test_broken_config_names_the_key(tmp_path: Path, text: str, where: str, hint: str) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    problem = next((p for p in info.value.problems if p.split(": ")[0].endswith(where)), None)
    assert problem is not None, info.value.problems
    assert hint in problem


def test_check_command_exits_2_and_prints_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text('[monitor]\ntick = "x"\n[[feeds]]\nname = "f"\nurl = "nope"\n')
    result = run_cli("check", config=path)
    assert result.returncode == 2
    assert "monitor.tick: " in result.stderr and "feeds[0].url: " in result.stderr


def test_missing_config_file_says_how_to_fix(tmp_path: Path) -> None:
    result = run_cli("--config", str(tmp_path / "absent.toml"), "check")
    assert result.returncode == 2 and "MONITOR_CONFIG" in result.stderr


def test_shipped_config_passes_check_with_notifiers_disabled() -> None:
    result = run_cli("check", config=REPO / "config" / "monitor.toml",
                     env={"MONITOR_SMTP_HOST": "", "MONITOR_WEBHOOK_URL": ""})
    assert result.returncode == 0, result.stderr
    assert "disabled: MONITOR_SMTP_HOST is not set" in result.stdout
    assert "disabled: MONITOR_WEBHOOK_URL is not set" in result.stdout


def test_settings_from_env_and_file_and_secrets_never_printed(tmp_path: Path) -> None:
    secret_file = tmp_path / "smtp_password"
    secret_file.write_text("hunter2-file\n")
    path = tmp_path / "monitor.toml"
    path.write_text('[[notifiers]]\nname = "desk"\ntype = "email"\nsmtp_host_env = "H"\n'
                    'smtp_port_env = "P"\nfrom = "m@example.org"\nto_env = "TO"\n'
                    f'password_file = "{secret_file}"\nusername = "u"\n'
                    '[[notifiers]]\nname = "hook"\ntype = "webhook"\nurl_env = "U"\n'
                    'secret_env = "S"\n')
    env = {"H": "smtp.example.org", "P": "2525", "TO": "a@example.org, b@example.org",
           "U": "https://hooks.example.org/x", "S": "hunter2-env"}
    config = load_config(path, env=env)
    desk, hook = config.notifiers
    assert desk.options["smtp_port"] == 2525 and desk.options["password"] == "hunter2-file"
    assert desk.options["to"] == ("a@example.org", "b@example.org") and not desk.disabled
    assert hook.options["secret"] == "hunter2-env"
    result = run_cli("check", config=path, env=env)
    assert result.returncode == 0
    assert "hunter2" not in result.stdout + result.stderr


def test_durations_and_sizes() -> None:
    from monitor.settings.units import parse_duration, parse_size

    assert parse_duration("90s") == 90 and parse_duration("10m") == 600
    assert parse_duration("1h30m") == 5400 and parse_duration(45) == 45
    assert parse_size("15MB") == 15_000_000 and parse_size("1KiB") == 1024
    for bad in ("", "10", "1 h", "-5s", "0s"):
        with pytest.raises(ValueError):
            parse_duration(bad)
