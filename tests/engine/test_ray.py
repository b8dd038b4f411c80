"""The Ray engine gives exactly what the local engine gives: same records in kept/rejected/quarantine, same report.

Runs on a local 2-CPU Ray instance started once for the module (select with ``-m ray``, skip with ``-m "not ray"``).
"""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhclean.config import parse_config
from zhclean.engine.base import run_pipeline
from zhclean.io.writers import read_jsonl
from zhclean.record import ID, ORIGIN

# Keys of report.json that describe how a run went rather than what it produced.
RUN_KEYS = {"timings", "outputs", "engine", "shards"}


@pytest.fixture(scope="module")
def ray_instance():
    ray = pytest.importorskip("ray", reason="the Ray engine needs the ray extra: pip install 'zhclean[ray]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def run_both(tmp_path: Path, inputs: list[Path], data: dict) -> tuple[Path, dict, Path, dict]:
    base = {"io": {"records_per_shard": 250}, "engine": {"workers": 2, "progress": False}}
    local_cfg = parse_config({**base, **data})
    ray_cfg = local_cfg.with_overrides(engine={"name": "ray"})
    paths = [str(p) for p in inputs]
    local = run_pipeline(local_cfg.build_pipeline(), paths, tmp_path / "local", local_cfg)
    ray_run = run_pipeline(ray_cfg.build_pipeline(), paths, tmp_path / "ray", ray_cfg)
    return local.out_dir, local.report, ray_run.out_dir, ray_run.report


def outputs(out: Path) -> dict[str, dict[tuple[str, str], dict]]:
    got = {}
    for folder in ("kept", "rejected", "quarantine"):
        records = {}
        for part in sorted((out / folder).glob("part-*.jsonl.zst")):
            for rec in read_jsonl(part):
                key = (rec[ID], rec.get(ORIGIN, ""))
                assert key not in records, f"{key} written twice in {folder}"
                records[key] = rec
        got[folder] = records
    return got


def comparable(report: dict) -> dict:
    out = {k: v for k, v in report.items() if k not in RUN_KEYS}
    out["steps"] = {name: {k: v for k, v in s.items() if k != "seconds"} for name, s in report["steps"].items()}
    return out


def assert_same_run(local_out: Path, local_report: dict, ray_out: Path, ray_report: dict) -> None:
    local, ray_got = outputs(local_out), outputs(ray_out)
    for folder in ("kept", "rejected", "quarantine"):
        assert set(ray_got[folder]) == set(local[folder]), folder
        for key, rec in local[folder].items():
            assert ray_got[folder][key] == rec, key  # every column: text, edits, drop reason, error, user columns
    assert comparable(ray_report) == comparable(local_report)
    assert ray_report["shards"]["total"] == local_report["shards"]["total"]
    assert ray_report["invariant_ok"] and ray_report["timings"]["docs_per_second"] > 0
    assert not list((ray_out / "_work").rglob("*.jsonl.zst"))


@pytest.mark.ray
@pytest.mark.slow
def test_default_pipeline_with_dedup_and_consensus_matches_the_local_engine(ray_instance, tmp_path):
    from zhclean.simulate.corpus import build_demo_corpus

    corpus = tmp_path / "demo.jsonl"
    kinds = build_demo_corpus(corpus, n_docs=1200, seed=3)
    assert kinds["damaged_mirror"] and kinds["exact_duplicate"] and kinds["clean_simplified"] and kinds["bad_record"]
    local_out, local_report, ray_out, ray_report = run_both(tmp_path, [corpus], {})
    assert [line.split(": ", 1)[1] for line in ray_report["plan"]][-2:] == ["dedup", "consensus"]
    assert local_report["drop_reasons"]["duplicate"] > 100 and local_report["quarantined"] == 3
    assert local_report["steps"]["consensus"]["records"] > 0 and local_report["global_steps"]["dedup"]["clusters"] > 50
    assert_same_run(local_out, local_report, ray_out, ray_report)
    assert sorted(p.name for p in (ray_out / "kept").iterdir())[0] == "part-00000-00000.jsonl.zst"


@pytest.mark.ray
def test_every_input_kind_and_bad_record_matches_the_local_engine(ray_instance, tmp_path):
    src = tmp_path / "in"
    (src / "docs" / "sub").mkdir(parents=True)
    texts = [
        "今天天气很好，我们去公园散步吧。",
        "短",
        "今天天气很好，我们去公园散步吧。",
        "春天来了，花都开了，孩子们在草地上放风筝。",
    ]
    lines = [
        json.dumps({"id": f"g{i}", "text": texts[i % 4] + str(i % 7), "n": i if i % 5 else "x"}) for i in range(700)
    ]
    lines[10] = "{not json"
    lines[20] = json.dumps({"id": "no-text"})
    lines[30] = json.dumps({"id": "num", "text": 42})
    lines[40] = ""
    (src / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(src / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("".join(json.dumps({"text": t + "，好。"}, ensure_ascii=False) + "\n" for t in texts * 20))
    (src / "docs" / "one.txt").write_text("这是一个文本文件，内容足够长，可以保留下来。", encoding="utf-8")
    (src / "docs" / "sub" / "gbk.txt").write_bytes(
        "这是一个用国标编码保存的中文文本文件，内容足够长。".encode("gb18030")
    )
    (src / "docs" / "sub" / "bin.txt").write_bytes(b"\x00\x01binary")
    (src / "empty.jsonl").write_text("", encoding="utf-8")
    data = {"steps": [{"name": "min_length", "min_chars": 8}, "dedup"], "io": {"records_per_shard": 100}}
    local_out, local_report, ray_out, ray_report = run_both(tmp_path, [src], data)
    assert local_report["quarantined"] >= 4 and local_report["input_warnings"]
    assert local_report["drop_reasons"]["duplicate"] > 0 and local_report["drop_reasons"]["too_short"] > 0
    assert_same_run(local_out, local_report, ray_out, ray_report)


def test_engine_ray_without_ray_fails_with_one_line_pip_message(tmp_path):
    # Simulates an installation without the extra (whether or not ray is installed here).
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "今天天气很好"}\n', encoding="utf-8")
    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from zhclean.cli.main import main\n"
        f"sys.exit(main(['run', {str(src)!r}, '-o', {str(tmp_path / 'o')!r}, '--engine', 'ray', '--quiet']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert "pip install 'zhclean[ray]'" in done.stderr
    assert done.stdout == ""
