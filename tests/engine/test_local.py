import gzip
import json
from pathlib import Path

import pytest
import zstandard
from sample_steps import Bang, FirstCopyOnly, ShortFilter, Upper

from zhclean.config import parse_config
from zhclean.engine.base import ShardFailedError
from zhclean.engine.local import LocalEngine, build_passes
from zhclean.errors import ConfigError
from zhclean.io.inputs import discover_inputs
from zhclean.io.writers import read_jsonl
from zhclean.pipeline import Pipeline
from zhclean.record import DROP_REASON, ERROR, ID


def config(**io):
    return parse_config(
        {"steps": [], "io": {"records_per_shard": 50, **io}, "engine": {"workers": 2, "progress": False}}
    )


def run(pipeline, inputs, out, cfg=None):
    cfg = cfg or config()
    return LocalEngine(cfg.engine).run(pipeline.plan(), discover_inputs([str(p) for p in inputs]), out, cfg).report


def outputs(out: Path, folder: str) -> dict[str, dict]:
    return {r[ID]: r for p in sorted((out / folder).glob("part-*.jsonl.zst")) for r in read_jsonl(p)}


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def corpus(n):
    texts = ["banana", "ab", "cola", "boom here", "banana", "xyz"]
    return [{"id": f"d{i}", "text": texts[i % len(texts)] + ("" if i % 4 else f" {i}")} for i in range(n)]


def test_passes_for_a_plan_with_a_global_step():
    plan = Pipeline([Upper(), FirstCopyOnly(), Bang()]).plan()
    kinds = [(p.kind, p.ops, p.reads, p.final) for p in build_passes(plan)]
    assert kinds == [
        ("map", (("record", 0),), None, False),
        ("scan", (), 0, False),
        ("map", (("apply", 1), ("record", 2)), 0, True),
    ]


def test_engine_gives_the_same_records_as_run_local_across_shards_and_a_barrier(tmp_path):
    records = corpus(230)
    pipeline = Pipeline([Upper(), ShortFilter(), FirstCopyOnly(), Bang()])
    report = run(pipeline, [write_jsonl(tmp_path / "in.jsonl", records)], tmp_path / "out")
    expected = {r["id"]: r for r in pipeline.run_local(records)}
    got = {**outputs(tmp_path / "out", "kept"), **outputs(tmp_path / "out", "rejected")}
    got.update(outputs(tmp_path / "out", "quarantine"))
    assert set(got) == set(expected)
    for rec_id, rec in expected.items():
        assert got[rec_id]["text"] == rec["text"]
        assert got[rec_id].get(DROP_REASON) == rec.get(DROP_REASON)
        assert (got[rec_id].get(ERROR) is None) == (rec.get(ERROR) is None)
    assert report["shards"]["total"] == 5
    assert report["records_in"] == 230 == report["kept"] + report["rejected"] + report["quarantined"]
    assert report["drop_reasons"]["duplicate"] > 0 and report["drop_reasons"]["too_short"] > 0
    assert report["errors"] == {"upper:ValueError": report["quarantined"]}
    assert report["rules"]["test.upper"] > 0 and report["steps"]["first_copy_only"]["dropped"] > 0
    assert not list((tmp_path / "out" / "_work").rglob("*.jsonl.zst"))  # intermediate parts are cleaned up
    again = run(pipeline, [tmp_path / "in.jsonl"], tmp_path / "out")  # a finished run re-runs from its markers
    assert again["shards"]["done_before_this_run"] == 5
    assert {k: again[k] for k in ("kept", "rejected", "rules")} == {k: report[k] for k in ("kept", "rejected", "rules")}


def test_every_bad_input_is_counted_and_nothing_is_lost(tmp_path):
    src = tmp_path / "in"
    (src / "docs").mkdir(parents=True)
    write_jsonl(src / "good.jsonl", corpus(120))
    (src / "bad.jsonl").write_bytes(
        b'{"id": "ok1", "text": "banana split"}\n'
        b"{not json\n"
        b'{"id": "nt", "title": "no text"}\n'
        b'{"id": "ns", "text": ["not", "a", "string"]}\n'
        b'{"id": "u8", "text": "\xc3\x28 invalid"}\n'
        b'{"id": "big", "text": "' + b"a" * 5000 + b'"}\n'
        b'{"id": "ok2", "text": "cola cola"}\n'
    )
    (src / "empty.jsonl").write_bytes(b"")
    with open(src / "huge.jsonl", "wb") as fh:  # a 50 MB single line, then a normal one
        fh.write(b'{"id": "huge", "text": "' + b"a" * (50 * 1024 * 1024) + b'"}\n')
        fh.write(b'{"id": "after-huge", "text": "cola"}\n')
    packed = gzip.compress("".join(json.dumps(r) + "\n" for r in corpus(3000)).encode())
    (src / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 3])
    # several zstd blocks (128 KiB each), so that the part before the cut can be decoded
    packed = zstandard.ZstdCompressor().compress("".join(json.dumps(r) + "\n" for r in corpus(10_000)).encode())
    (src / "cut.jsonl.zst").write_bytes(packed[: len(packed) // 2])
    (src / "docs" / "a.txt").write_text("banana banana", encoding="utf-8")
    (src / "docs" / "blob.txt").write_bytes(bytes(range(256)) * 4)
    cfg = config(max_record_bytes=4096, records_per_shard=500)
    out = tmp_path / "out"
    report = run(Pipeline([Upper(), ShortFilter()]), [src], out, cfg)

    assert report["records_in"] == report["kept"] + report["rejected"] + report["quarantined"]
    assert report["invariant_ok"] is True
    errors = report["errors"]
    for kind in ("InvalidJSON", "MissingTextField", "TextNotString", "InvalidUTF8", "RecordTooLarge", "BinaryFile"):
        assert errors.get(f"reader:{kind}", 0) >= 1, kind
    warnings = {Path(w["file"]).name: w for w in report["input_warnings"]}
    assert set(warnings) == {"empty.jsonl", "cut.jsonl.gz", "cut.jsonl.zst"}
    assert warnings["cut.jsonl.gz"]["line"] > 100 and "truncated" in warnings["cut.jsonl.gz"]["message"]
    quarantined = outputs(out, "quarantine")
    assert quarantined[f"{src}/bad.jsonl:2"]["zh__raw"] == "{not json"
    assert quarantined[f"{src}/bad.jsonl:6"]["zh__error"].startswith("reader:RecordTooLarge")
    assert quarantined[f"{src}/huge.jsonl:1"]["zh__error"].startswith("reader:RecordTooLarge: the line is 52428")
    assert quarantined["docs/blob.txt"]["zh__origin"] == f"{src}/docs/blob.txt"
    kept = outputs(out, "kept")
    assert kept["after-huge"]["text"] == "colA"
    assert kept["ok1"]["text"] == "bAnAnA split" and kept["docs/a.txt"]["text"] == "bAnAnA bAnAnA"
    # Every record read is in exactly one output, including all lines before each cut.
    every = [
        r for folder in ("kept", "rejected", "quarantine") for p in (out / folder).glob("*") for r in read_jsonl(p)
    ]
    assert len(every) == report["records_in"]
    for name in ("cut.jsonl.gz", "cut.jsonl.zst"):
        from_cut = [r for r in every if r["zh__origin"].startswith(f"{src}/{name}:")]
        assert len(from_cut) == warnings[name]["line"] - 1 > 0


def test_rerun_skips_finished_shards_and_redoes_missing_ones(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", corpus(200))
    out = tmp_path / "out"
    pipeline = Pipeline([Upper(), ShortFilter()])
    first = run(pipeline, [src], out)
    kept_before = outputs(out, "kept")
    (out / "_work" / "pass-00" / "done" / "part-00002.json").unlink()
    (out / "kept" / "part-00002.jsonl.zst").unlink()
    second = run(pipeline, [src], out)
    assert second["shards"] == {"total": 4, "done_before_this_run": 3}
    assert outputs(out, "kept") == kept_before
    for key in ("records_in", "kept", "rejected", "quarantined", "rules", "drop_reasons"):
        assert second[key] == first[key]


def test_an_out_dir_with_other_settings_is_refused(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", corpus(20))
    run(Pipeline([Upper()]), [src], tmp_path / "out")
    with pytest.raises(ConfigError, match="holds a run with other inputs or settings"):
        run(Pipeline([Upper(), ShortFilter()]), [src], tmp_path / "out")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a zhclean run folder"):
        run(Pipeline([Upper()]), [src], tmp_path / "other")


def test_run_folder_records_the_resolved_config_and_versions(tmp_path):
    from zhclean.config import load_config

    src = write_jsonl(tmp_path / "in.jsonl", corpus(10))
    run(Pipeline([ShortFilter(min_len=4)]), [src], tmp_path / "out")
    info = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert info["versions"]["python"] and "zstandard" in info["versions"]
    assert info["config"]["steps"] == [{"name": "short", "min_len": 4}]
    assert (tmp_path / "out" / "config.toml").read_text(encoding="utf-8").count("[[steps]]") == 1
    with pytest.raises(ConfigError, match="unknown step 'short'"):  # test steps are not in the table
        load_config(tmp_path / "out" / "config.toml")


def test_parquet_output(tmp_path):
    pytest.importorskip("pyarrow")
    from zhclean.io.parquet import read_parquet_records

    src = write_jsonl(tmp_path / "in.jsonl", corpus(60))
    report = run(Pipeline([Upper(), ShortFilter()]), [src], tmp_path / "out", config(format="parquet"))
    kept = [r for p in sorted((tmp_path / "out" / "kept").glob("*.parquet")) for r in read_parquet_records(p)]
    assert len(kept) == report["kept"] > 0
    assert all("A" in r["text"] or "a" not in r["text"] for r in kept)


def test_a_worker_that_cannot_set_up_stops_the_run_with_one_clear_line(tmp_path):
    from sample_steps import BrokenSetup

    src = write_jsonl(tmp_path / "in.jsonl", corpus(10))
    with pytest.raises(ShardFailedError, match="worker setup failed: RuntimeError: no model file"):
        run(Pipeline([BrokenSetup()]), [src], tmp_path / "out")


def test_run_pipeline_uses_the_pipelines_text_field_by_default(tmp_path):
    from zhclean.engine.base import run_pipeline

    src = write_jsonl(tmp_path / "in.jsonl", [{"body": "banana"}, {"body": "ab"}])
    result = run_pipeline(Pipeline([Upper(), ShortFilter()], text_field="body"), [src], tmp_path / "out")
    assert (result.report["kept"], result.report["rejected"]) == (1, 1)
    assert [r["body"] for r in read_jsonl(tmp_path / "out" / "kept" / "part-00000.jsonl.zst")] == ["bAnAnA"]
    assert result.report_path.exists()


def test_a_plan_reading_another_field_than_the_config_is_refused(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"text": "a"}])
    plan = Pipeline([Upper()], text_field="body").plan()
    cfg = config()
    with pytest.raises(ConfigError, match="reads field 'body'"):
        LocalEngine(cfg.engine).run(plan, discover_inputs([str(src)]), tmp_path / "out", cfg)


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io

    from zhclean.engine.local import _NoBar, _progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert isinstance(_progress(True, "docs"), _NoBar)
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    assert isinstance(_progress(False, "docs"), _NoBar)
    with _progress(True, "docs") as bar:
        bar.update(1500)
        bar.set_postfix_str("2.5 MB/s")
    assert "1.50kdocs" in screen.getvalue() and "2.5 MB/s" in screen.getvalue()


def test_two_global_steps_in_a_row(tmp_path):
    from sample_steps import DropLongest

    records = corpus(180)
    pipeline = Pipeline([Upper(), FirstCopyOnly(), DropLongest(), Bang()])
    assert [p.kind for p in build_passes(pipeline.plan())] == ["map", "scan", "map", "scan", "map"]
    report = run(pipeline, [write_jsonl(tmp_path / "in.jsonl", records)], tmp_path / "out")
    expected = {r["id"]: r for r in pipeline.run_local(records)}
    got = {**outputs(tmp_path / "out", "kept"), **outputs(tmp_path / "out", "rejected")}
    got.update(outputs(tmp_path / "out", "quarantine"))
    assert {k: (r["text"], r.get(DROP_REASON)) for k, r in got.items()} == {
        k: (r["text"], r.get(DROP_REASON)) for k, r in expected.items()
    }
    assert report["drop_reasons"]["longest"] >= 1 and report["drop_reasons"]["duplicate"] >= 1


def test_workers_log_the_first_quarantined_record_of_a_step_with_its_traceback(tmp_path, capfd):
    src = write_jsonl(tmp_path / "in.jsonl", corpus(120))
    report = run(Pipeline([Upper()]), [src], tmp_path / "out")
    err = capfd.readouterr().err
    assert report["quarantined"] > 2  # several records raised ...
    assert 1 <= err.count("WARNING: step upper raised on a record") <= 2  # ... logged once per worker
    assert "ValueError: boom in text" in err and "Traceback" in err
