"""Everything users touch is documented: CLI help with examples, every config key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.settings.schema import SECTIONS

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
CONFIG_DOC = (REPO / "config" / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"monitor {name}" in result.output.replace(
        "monitor --config config/monitor.toml check", "monitor check")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`monitor {name}" in README


def test_the_contract_commands_exist() -> None:
    assert {"check", "poll", "run", "feeds", "hits", "healthcheck"} <= set(COMMANDS)


def _section_of(title: str) -> str:
    """The part of config/README.md under the heading that names this schema section."""
    heading = {"monitor": "## `[monitor]`", "feeds": "## `[[feeds]]`", "pages": "## `[[pages]]`",
               "watches": "## `[[watches]]`", "notifiers": "## `[[notifiers]]`",
               "notifiers (email)": '### `type = "email"`',
               "notifiers (webhook)": '### `type = "webhook"`',
               "notifiers (apprise)": '### `type = "apprise"`',
               "notifiers (digest)": "### Digests (all types)"}[title]
    start = CONFIG_DOC.index(heading)
    rest = CONFIG_DOC[start + len(heading):]
    level = len(heading.split()[0])  # a section ends at the next heading of its level or above
    end = re.search(rf"\n#{{1,{level}}} ", rest)
    return rest[: end.start()] if end else rest


@pytest.mark.parametrize(("section", "key"),
                         [(s, k.name) for s, keys in SECTIONS.items() for k in keys])
def test_every_config_key_is_documented_with_an_example(section: str, key: str) -> None:
    text = _section_of(section)
    assert re.search(rf"^\| `{re.escape(key)}` \|", text, re.MULTILINE), (section, key)
    assert re.search(rf"^{re.escape(key)}(_env|_file)? = ", text, re.MULTILINE), key


def test_readme_has_the_two_setup_commands() -> None:
    assert "pip install . && monitor run" in README
    assert "pip install '.[test]' && pytest" in README
