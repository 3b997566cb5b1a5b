"""The image is reproducible: every runtime dependency is pinned in constraints.txt and the
Dockerfile installs through it; the bench's own packages stay out of the runtime."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-")
            for r in requirements}


def test_every_runtime_dependency_is_pinned_and_used_by_the_image() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "constraints.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    assert names(project["dependencies"]) <= pinned
    assert "-c constraints.txt" in (ROOT / "Dockerfile").read_text()


def test_pystemmer_is_only_for_the_bench() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "pystemmer" not in names(project["dependencies"])
    assert "pystemmer" in names(project["optional-dependencies"]["bench"])
