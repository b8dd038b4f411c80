"""Smoke runs of the benchmark scripts: they import what they use and run end to end (small sizes, one round).

The figures they print are not checked here (speed goals live in the recorded results, never in tests); what is
checked is that a change to the package does not leave a benchmark broken until the next time someone records one.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ZHCLEAN_SHARED", REPO.parent / "shared"))  # as the benchmarks find it


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO / "benchmarks", capture_output=True, text=True, check=False, timeout=900
    )


@pytest.mark.slow
def test_every_benchmark_runs_in_its_quick_form():
    done = run_script("run_all.py", "--quick")  # writes to benchmarks/_work/quick-results, never the README
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for name in ("restore", "clean", "dedup", "memory"):
        assert f"== {name}: exit 0" in done.stdout


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.skipif(not (SHARED / "realdata").is_dir(), reason="../shared is absent: the table times its real pages")
def test_the_restore_stage_table_runs():
    done = run_script("restore_stages.py", "--rounds", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| **`restore_text`, whole** |" in done.stdout
    assert "| table T→S + candidate pass |" in done.stdout
