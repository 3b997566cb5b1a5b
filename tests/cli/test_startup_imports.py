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


TLS_PROBE = """
import json, ssl
import monitor.cli
import aiohttp.connector as connector
stores = [connector._SSL_CONTEXT_VERIFIED.cert_store_stats()["x509_ca"],
          connector._SSL_CONTEXT_UNVERIFIED.cert_store_stats()["x509_ca"]]
fresh = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
fresh.set_default_verify_paths()
print(json.dumps([stores, connector._SSL_CONTEXT_VERIFIED.verify_mode == ssl.CERT_REQUIRED,
                  "set_default_verify_paths" in vars(ssl.SSLContext),
                  ssl.create_default_context().cert_store_stats()["x509_ca"] > 0,
                  fresh.cert_store_stats()["x509_ca"] > 0]))
"""


def test_aiohttp_loads_without_reading_the_ca_store_and_ssl_is_as_before() -> None:
    """aiohttp's own default contexts (which monitor never uses: each request passes its
    own) are built bare while the CLI imports it: they trust no CA, so a request that used
    one would fail. The system CA store still loads for everything else afterwards."""
    done = subprocess.run([sys.executable, "-c", TLS_PROBE], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [[0, 0], True, False, True, True]
