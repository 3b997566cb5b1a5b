"""config/monitor.env.example lists every variable the shipped config and the CLI read, and
nothing else; docker-compose.yml passes them all; the shipped config loads with it."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.settings.load import load_config

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "config" / "monitor.env.example").read_text(encoding="utf-8")
SHIPPED = (ROOT / "config" / "monitor.toml").read_text(encoding="utf-8")
CLI_VARS = {"MONITOR_CONFIG", "MONITOR_DB", "MONITOR_LOG_FORMAT"}


def example_vars() -> dict[str, str]:
    return dict(line.split("=", 1) for line in EXAMPLE.splitlines()
                if line and not line.startswith("#"))


def test_the_example_has_every_variable_and_no_other() -> None:
    used = set(re.findall(r'_env\s*=\s*"([A-Z0-9_]+)"', SHIPPED)) | CLI_VARS
    assert set(example_vars()) == used


def test_compose_passes_every_variable() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert {v for v in example_vars() if v != "MONITOR_DB"} <= set(
        re.findall(r"^\s+(MONITOR_[A-Z_]+):", compose, re.MULTILINE))


def test_the_shipped_config_loads_with_the_example_as_it_is() -> None:
    config = load_config(ROOT / "config" / "monitor.toml", env=example_vars())
    assert config.settings.timezone == "UTC"
    assert all(n.disabled for n in config.notifiers)  # empty means not set
