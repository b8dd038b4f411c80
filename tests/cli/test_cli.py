"""The command line, run as a user would: `python -m zhclean ...` in a subprocess."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhclean.io.writers import read_jsonl
from zhclean.text.edits import Edit, apply_edits

DAMAGED = "中國(guó)人民銀行(háng)今天宣布了新的貨幣政策，市場反應平穩。"


def zhclean(*args, stdin=None, cwd=None, timeout=180, env=None):
    return subprocess.run(
        [sys.executable, "-m", "zhclean", *map(str, args)],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=timeout,
        env=env,
    )


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhclean: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_steps_lists_one_line_per_step():
    proc = zhclean("steps")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines() if line and not line.startswith("default")]
    assert names[:5] == ["restore", "clean", "score", "quality_filter", "min_length"]
    assert {"dedup", "consensus"} <= set(names)
    assert "default pipeline: restore → clean → score → quality_filter → dedup → consensus" in proc.stdout


@pytest.mark.parametrize("args", [[], ["run", "x.jsonl"], ["run", "x", "-o", "o", "--workers", "-1"], ["frobnicate"]])
def test_usage_errors_exit_2(args):
    proc = zhclean(*args)
    assert proc.returncode == 2 and "usage:" in proc.stderr


def test_run_with_a_config_and_field_names(tmp_path):
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [{"key": "a", "content": "足够长的一段中文文本内容"}, {"key": "b", "content": "短"}, {"content": 3}],
    )
    config = tmp_path / "c.toml"
    config.write_text('[[steps]]\nname = "min_length"\nmin_chars = 5\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = zhclean("run", src, "-o", out, "--config", config, "--text-field", "content", "--id-field", "key", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "records in" in proc.stdout and str(out / "kept") in proc.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert (report["records_in"], report["kept"], report["rejected"], report["quarantined"]) == (3, 1, 1, 1)
    assert [r["key"] for r in read_jsonl(out / "kept" / "part-00000.jsonl.zst")] == ["a"]
    again = zhclean("run", src, "-o", out, "--config", config, "--text-field", "content", "--id-field", "key")
    assert again.returncode == 0
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["shards"]["done_before_this_run"] == 1


def test_run_with_the_default_pipeline_restores_text(tmp_path):
    clean = "今天天气很好，我们一起去公园散步吧，顺便买点水果回家。"
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "1", "text": DAMAGED}, {"id": "2", "text": clean}])
    out = tmp_path / "out"
    proc = zhclean("run", src, "-o", out, "--workers", "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    # one-sentence pages are rejected by the default quality filter as too short, after restoration
    assert report["kept"] + report["rejected"] == 2 and report["records_changed"] >= 1
    assert any(rule.startswith("pinyin.") for rule in report["rules"])
    out_records = {}
    for folder in ("kept", "rejected"):
        for part in sorted((out / folder).glob("part-*.jsonl.zst")):
            out_records.update({r["id"]: r for r in read_jsonl(part)})
    assert "(guó)" not in out_records["1"]["text"] and out_records["2"]["text"] == clean
    assert all(r.get("zh__drop_reason") in (None, "too_short") for r in out_records.values())


@pytest.mark.parametrize(
    ("config_text", "fragments"),
    [
        ('[[steps]]\nname = "min_lenght"\n', ["unknown step 'min_lenght'", "did you mean 'min_length'"]),
        ('[io]\ntext_feild = "x"\n', ["unknown key 'text_feild'", "did you mean 'text_field'"]),
        ("[[steps]\n", ["not valid TOML"]),
    ],
)
def test_config_errors_are_one_actionable_line(tmp_path, config_text, fragments):
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    config = tmp_path / "c.toml"
    config.write_text(config_text, encoding="utf-8")
    assert_one_line_error(zhclean("run", src, "-o", tmp_path / "out", "--config", config), *fragments)


def test_input_errors_are_one_actionable_line(tmp_path):
    assert_one_line_error(zhclean("run", tmp_path / "missing.jsonl", "-o", tmp_path / "o"), "input not found")
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": "一二三四五六七八九十一二三四五六七八九十"}])
    assert zhclean("run", src, "-o", tmp_path / "o", "--quiet").returncode == 0
    other = write_jsonl(tmp_path / "other.jsonl", [{"text": "y"}])
    assert_one_line_error(zhclean("run", other, "-o", tmp_path / "o"), "holds a run with other inputs")


def test_engine_ray_without_ray_names_the_extra(tmp_path):
    # Hide an installed ray behind a package that fails to import, as a machine without the extra would.
    (tmp_path / "hide" / "ray").mkdir(parents=True)
    (tmp_path / "hide" / "ray" / "__init__.py").write_text("raise ImportError('ray is hidden by this test')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "hide"), os.environ.get("PYTHONPATH", "")])}
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    proc = zhclean("run", src, "-o", tmp_path / "o", "--engine", "ray", env=env)
    assert_one_line_error(proc, "pip install 'zhclean[ray]'")


def test_restore_reads_stdin_or_a_file(tmp_path):
    proc = zhclean("restore", stdin=DAMAGED)
    assert proc.returncode == 0, proc.stderr
    assert "(guó)" not in proc.stdout and proc.stdout.startswith("中國")
    path = tmp_path / "doc.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    assert zhclean("restore", path).stdout == proc.stdout
    path.write_bytes(DAMAGED.encode("gbk", "replace"))
    assert_one_line_error(zhclean("restore", path), "is not UTF-8", "convert it to UTF-8")
    assert_one_line_error(zhclean("restore", tmp_path / "missing.txt"), "file not found")


def test_explain_lists_every_edit_and_json_replays(tmp_path):
    text = zhclean("explain", stdin=DAMAGED)
    assert text.returncode == 0 and "pinyin.paren_annotation" in text.stdout and "→" in text.stdout
    proc = zhclean("explain", "-", "--json", stdin=DAMAGED)
    data = json.loads(proc.stdout)
    edits = [Edit.from_dict(e) for e in data["edits"]]
    assert edits and all({"rule", "start", "end", "before", "after", "confidence"} <= e.keys() for e in data["edits"])
    assert apply_edits(DAMAGED, edits) == data["text"]


def test_demo_builds_cleans_and_says_where_the_outputs_are(tmp_path):
    pytest.importorskip("zhclean.simulate.corpus")
    proc = zhclean("demo", "--out", tmp_path / "demo", "--docs", "40", "--workers", "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "demo" / "output"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["records_in"] == 43 and report["invariant_ok"]
    assert report["quarantined"] >= 3  # the corpus carries three bad lines on purpose
    assert "records in" in proc.stdout and str(out / "kept") in proc.stdout
    assert zhclean("demo", "--out", tmp_path / "demo", "--docs", "40", "--workers", "1", "--quiet").returncode == 0


def test_ctrl_c_leaves_a_resumable_run(tmp_path):
    texts = [DAMAGED * 4, "今天天气很好，我们去公园散步吧。" * 6]
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "text": texts[i % 2] + str(i)} for i in range(1200)])
    config = tmp_path / "c.toml"
    config.write_text("[io]\nrecords_per_shard = 20\n", encoding="utf-8")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "zhclean", "run", str(src), "-o", str(out), "--config", str(config), "--quiet"]
    proc = subprocess.Popen([*args, "--workers", "1"], stderr=subprocess.PIPE, text=True)
    done = out / "_work" / "pass-00" / "done"
    deadline = time.monotonic() + 90
    while not list(done.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    rerun = subprocess.run([*args, "--workers", "1"], check=False, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["records_in"] == 1200 == report["kept"] + report["rejected"] + report["quarantined"]
    assert report["shards"]["done_before_this_run"] >= 1
