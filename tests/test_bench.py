"""The poll benchmark runs from the repository with one command and prints its table (a
smoke test with a few feeds: no time is asserted; the numbers are for people to read)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpus" / "news"


@pytest.mark.skipif(not any(NEWS.glob("*.jsonl")), reason="../shared/corpus/news is absent")
def test_poll_benchmark_prints_its_table() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.poll", "--feeds", "20", "--repeat", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for cycle in ("cold", "304", "10% changed"):
        row = next(line for line in lines if line.startswith(cycle + " "))
        assert row.count("x (") == 2  # the wall ratio and the cycle-alone ratio


@pytest.mark.skipif(not any(NEWS.glob("*.jsonl")), reason="../shared/corpus/news is absent")
@pytest.mark.skipif(shutil.which("r2e") is None, reason="rss2email is not installed "
                    "(pip install '.[bench]'; .ci/run does)")
def test_poll_benchmark_times_rss2email_on_the_same_farm() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.poll", "--feeds", "5", "--repeat", "1",
                           "--rss2email"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "rss2email 3.14, cold cycle:" in done.stdout and "x faster" in done.stdout


@pytest.mark.skipif(not any(NEWS.glob("*.jsonl")), reason="../shared/corpus/news is absent")
def test_match_benchmark_prints_a_ratio_per_vocabulary() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.match", "--watches", "30",
                           "--entries", "400"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    for language in ("en", "ru", "be"):
        assert f"\n{language} vocabulary: 30 watches" in done.stdout
    ratios = [line for line in done.stdout.splitlines() if "ratio: gate" in line]
    assert len(ratios) == 3 and all("(same hits)" in line for line in ratios)


@pytest.mark.skipif(not any(NEWS.glob("*.jsonl")), reason="../shared/corpus/news is absent")
def test_stages_benchmark_prints_each_stage() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.stages", "--feeds", "4"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for stage in ("parse: monitor's parse_feed", "match: the gate's scan", "store: save each",
                  "worker job", "poller main process"):
        assert stage in done.stdout


@pytest.mark.skipif(not any(NEWS.glob("*.jsonl")), reason="../shared/corpus/news is absent")
def test_match_benchmark_times_another_revision_side_by_side() -> None:
    before = worktrees()
    done = subprocess.run([sys.executable, "-m", "bench.match", "--watches", "30",
                           "--entries", "300", "--vocabulary", "ru", "--against", "HEAD",
                           "--rounds", "1"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if "against HEAD" in line]
    assert len(rows) == 2 and all("same hits" in row and "x (" in row for row in rows)
    assert worktrees() == before  # the revision's checkout is removed


def worktrees() -> list[str]:
    return subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True,
                          text=True, check=True).stdout.splitlines()


@pytest.mark.skipif(not any(NEWS.glob("*.jsonl")), reason="../shared/corpus/news is absent")
def test_match_benchmark_names_a_revision_git_does_not_have() -> None:
    done = subprocess.run([sys.executable, "-m", "bench.match", "--against", "no-such-rev",
                           "--vocabulary", "en", "--entries", "10", "--watches", "3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "--against no-such-rev: git could not check it out" \
        in done.stderr and "Traceback" not in done.stderr
