"""Killing a run in each dedup phase (signatures, clustering, keep/drop) and re-running gives the same clusters."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhclean.io.writers import read_jsonl

HANG_STEPS = '''
import os
import time
from pathlib import Path

from zhclean.steps.dedup import Consensus, Dedup

CALLS = {"scan": 0, "apply": 0}


def _maybe_hang(phase):
    """With ZH_TEST_HANG=<phase>, the second call of that phase in a process announces itself and hangs."""
    if os.environ.get("ZH_TEST_HANG") != phase:
        return
    CALLS[phase] = CALLS.get(phase, 0) + 1
    if phase == "combine" or CALLS[phase] >= 2:
        Path(os.environ["ZH_TEST_FLAG"]).write_text(phase)
        time.sleep(600)


class HangingDedup(Dedup):
    def scan_batch(self, batch):
        _maybe_hang("scan")
        return super().scan_batch(batch)

    def combine(self, summaries):
        _maybe_hang("combine")
        return super().combine(summaries)

    def apply_batch(self, batch, decision):
        _maybe_hang("apply")
        return super().apply_batch(batch, decision)
'''

SCRIPT = '''
import sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from hang_steps import Consensus, HangingDedup
from zhclean.config import parse_config
from zhclean.engine.local import LocalEngine
from zhclean.io.inputs import discover_inputs
from zhclean.pipeline import Pipeline

if __name__ == "__main__":
    settings = {"steps": [], "io": {"records_per_shard": 6}, "engine": {"workers": 2, "progress": False,
                "batch_size": 3}}
    cfg = parse_config(settings)
    plan = Pipeline([HangingDedup(), Consensus()]).plan()
    report = LocalEngine(cfg.engine).run(plan, discover_inputs([sys.argv[1]]), Path(sys.argv[2]), cfg).report
    print(report["records_in"])
'''


def _corpus(path: Path) -> None:
    from zhclean.simulate import DamageKit, damage_document, load_texts
    from zhclean.text.lexicon import Lexicon

    kit = DamageKit(Lexicon.load())
    texts = load_texts("news")
    rows = []
    for a in range(8):
        for c in range(1 + a % 4):
            d = damage_document(texts[a].title, texts[a].paragraphs, rng=random.Random(f"r:{a}:{c}"), kit=kit)
            rows.append({"id": f"a{a}-c{c}", "text": d.damaged})
    random.Random(5).shuffle(rows)  # copies of one article land in different shards
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _run(tmp: Path, src: Path, out: Path, hang: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "ZH_TEST_FLAG": str(tmp / f"flag-{out.name}")}
    env.pop("ZH_TEST_HANG", None)
    if hang:
        env["ZH_TEST_HANG"] = hang
    return subprocess.Popen(
        [sys.executable, str(tmp / "run.py"), str(src), str(out), str(tmp)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
        start_new_session=True,  # the test kills the driver and its workers as one process group
    )


def _clusters(out: Path) -> dict:
    rows = [r for d in ("kept", "rejected") for p in sorted((out / d).glob("*.jsonl.zst")) for r in read_jsonl(p)]
    return {r["zh__id"]: (r["zh__cluster"], r.get("zh__dup_of"), r["text"]) for r in rows}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    (tmp / "hang_steps.py").write_text(HANG_STEPS, encoding="utf-8")
    (tmp / "run.py").write_text(SCRIPT, encoding="utf-8")
    src = tmp / "in.jsonl"
    _corpus(src)
    reference = tmp / "reference"
    proc = _run(tmp, src, reference)
    assert proc.wait(timeout=300) == 0
    return tmp, src, _clusters(reference)


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["scan", "combine", "apply"])
def test_kill_during_a_dedup_phase_then_rerun_gives_the_same_clusters(setup, phase):
    tmp, src, reference = setup
    assert len({c for c, _, _ in reference.values()}) == 8
    out = tmp / f"out-{phase}"
    flag = tmp / f"flag-{out.name}"
    proc = _run(tmp, src, out, hang=phase)
    deadline = time.monotonic() + 240
    while not flag.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert flag.exists(), f"the run never reached the {phase} phase"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert not (out / "report.json").exists()

    rerun = _run(tmp, src, out)
    stdout, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0
    assert int(stdout.split()[-1]) == len(reference)
    assert _clusters(out) == reference
