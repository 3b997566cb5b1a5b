"""What every command pays before it starts: the CLI does not load what a poll with nothing
new never uses (README, "Polling speed": start-up was most of such a poll)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NEVER_AT_START = ["numpy", "pandas", "certifi", "monitor.answers.dates",
                  "monitor.answers.extract", "monitor.sources.parse", "fastfeedparser",
                  "feedparser", "pymorphy3"]

PROBE = """
import json, sys
before = set(sys.modules)  # what the interpreter's own start loaded (a site hook may)
import monitor.cli.main
import monitor.store
loaded = sorted(set(json.loads(sys.argv[1])) & (set(sys.modules) - before))
import numpy, pandas  # hidden from sqlite-utils only while it loaded
print(json.dumps([loaded, numpy.__name__, pandas.__name__]))
"""


def test_the_cli_starts_without_optional_libraries_tls_or_the_date_grammar(
        tmp_path: Path) -> None:
    # stand-ins for numpy and pandas, found first: the probe sees the same whether or not
    # the real ones are installed on the machine that runs the test
    for name in ("numpy", "pandas"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(NEVER_AT_START)],
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [[], "numpy", "pandas"]
