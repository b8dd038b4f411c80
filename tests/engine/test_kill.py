"""kill -9 in the middle of a run, run the same command again: the result equals an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import PIPELINE_TESTS

from zhclean.io.writers import read_jsonl
from zhclean.record import DROP_REASON, ID

SCRIPT = f"""
import sys
sys.path.insert(0, {PIPELINE_TESTS!r})
from pathlib import Path
from sample_steps import ShortFilter, Slow, Upper
from zhclean.config import parse_config
from zhclean.engine.local import LocalEngine
from zhclean.io.inputs import discover_inputs
from zhclean.pipeline import Pipeline

if __name__ == "__main__":
    settings = {{"steps": [], "io": {{"records_per_shard": 40}}, "engine": {{"workers": 2, "progress": False}}}}
    cfg = parse_config(settings)
    plan = Pipeline([Upper(), Slow(seconds_per_record=0.008), ShortFilter()]).plan()
    report = LocalEngine(cfg.engine).run(plan, discover_inputs([sys.argv[1]]), Path(sys.argv[2]), cfg).report
    print(report["records_in"], report["shards"]["done_before_this_run"])
"""
N_SHARDS = 10


def start(script: Path, src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(script), str(src), str(out)], stdout=subprocess.PIPE, text=True)


def results(out: Path) -> tuple[dict, dict]:
    kept = {r[ID]: r["text"] for p in sorted((out / "kept").glob("*.jsonl.zst")) for r in read_jsonl(p)}
    rejected = {r[ID]: r[DROP_REASON] for p in sorted((out / "rejected").glob("*.jsonl.zst")) for r in read_jsonl(p)}
    return kept, rejected


def test_kill_9_then_rerun_gives_the_same_kept_and_rejected_sets(tmp_path):
    src = tmp_path / "in.jsonl"
    texts = ["banana", "ab", "cola", "xy", "papaya"]
    src.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"{texts[i % 5]}{i % 3 or ''}"}) + "\n" for i in range(400)),
        encoding="utf-8",
    )
    script = tmp_path / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")

    reference = tmp_path / "reference"
    assert start(script, src, reference).wait(timeout=120) == 0

    out = tmp_path / "out"
    proc = start(script, src, out)
    done = out / "_work" / "pass-00" / "done"
    deadline = time.monotonic() + 60
    while len(list(done.glob("*.json"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    finished_before = len(list(done.glob("*.json")))
    assert 3 <= finished_before < N_SHARDS
    time.sleep(1.5)  # let the orphaned workers notice the driver is gone and stop

    rerun = start(script, src, out)
    stdout, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0
    records_in, skipped = map(int, stdout.split())
    assert records_in == 400 and skipped >= finished_before

    assert results(out) == results(reference)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["records_in"] == report["kept"] + report["rejected"] + report["quarantined"] == 400
    assert not [p for p in out.rglob("*.tmp") if "_work" not in p.parts]
