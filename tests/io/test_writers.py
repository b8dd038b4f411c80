import json

import pytest

from zhclean.io.compressed import open_binary
from zhclean.io.writers import JsonlZstWriter, SplitSink, dumps_record, read_jsonl, temp_path
from zhclean.record import DROP_REASON, EDITS, ERROR, N_EDITS, decode_edits, encode_edits, to_batch
from zhclean.text.edits import Edit, apply_edits

EDIT_DICTS = [
    Edit("mojibake.x", 0, 2, "浣犲", "你", confidence=0.75, alternatives=("妳",)).to_dict(),
    Edit("pinyin.paren_annotation", 1, 6, "(hǎo)", "").to_dict(),
]


def batch_with_outcomes():
    return to_batch(
        [
            {"text": "你好", "id": "k", EDITS: encode_edits(EDIT_DICTS), N_EDITS: 2, "extra": {"a": [1, 2]}},
            {"text": "x", "id": "r", DROP_REASON: "too_short"},
            {"text": "y", "id": "q", ERROR: "reader:InvalidJSON: x", DROP_REASON: "too_short"},
        ]
    )


def test_split_sink_routes_rows_and_renames_atomically(tmp_path):
    sink = SplitSink(tmp_path, "part-00007", "jsonl")
    sink.write_batch(batch_with_outcomes())
    assert not (tmp_path / "kept" / "part-00007.jsonl.zst").exists()  # nothing final before commit
    paths = sink.commit()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == [
        "kept/part-00007.jsonl.zst",
        "quarantine/part-00007.jsonl.zst",
        "rejected/part-00007.jsonl.zst",
    ]
    kept = list(read_jsonl(tmp_path / "kept" / "part-00007.jsonl.zst"))
    assert kept[0]["extra"] == {"a": [1, 2]} and DROP_REASON not in kept[0]
    assert decode_edits(kept[0][EDITS]) == EDIT_DICTS
    assert [r["id"] for r in read_jsonl(tmp_path / "quarantine" / "part-00007.jsonl.zst")] == ["q"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_edits_round_trip_through_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    from zhclean.io.parquet import read_parquet_records

    sink = SplitSink(tmp_path, "part-00000", "parquet")
    sink.write_batch(batch_with_outcomes())
    sink.commit()
    [kept] = read_parquet_records(tmp_path / "kept" / "part-00000.parquet")
    edits = [Edit.from_dict(d) for d in decode_edits(kept[EDITS])]
    assert decode_edits(kept[EDITS]) == EDIT_DICTS and edits[0].alternatives == ("妳",)
    assert kept[N_EDITS] == 2
    assert (tmp_path / "quarantine" / "part-00000.jsonl.zst").exists()  # quarantine stays JSONL


def test_parquet_falls_back_to_jsonl_for_mixed_user_columns(tmp_path):
    pytest.importorskip("pyarrow")
    sink = SplitSink(tmp_path, "part-00000", "parquet")
    sink.write_batch(to_batch([{"text": "a", "v": 1}, {"text": "b", "v": "one"}]))
    [path] = sink.commit()
    assert path.name == "part-00000.jsonl.zst"
    assert [r["v"] for r in read_jsonl(path)] == [1, "one"]


def test_lone_surrogates_are_written_as_escapes():
    line = dumps_record({"text": "a\ud800b"})
    assert json.loads(line)["text"] == "a\ud800b"


def test_an_unfinished_writer_leaves_only_a_temporary_file(tmp_path):
    target = tmp_path / "kept" / "part-00000.jsonl.zst"
    writer = JsonlZstWriter(target)
    writer.write({"text": "a"})
    assert temp_path(target).exists() and not target.exists()
    writer.commit()
    with open_binary(target) as fh:
        assert json.loads(fh.readline()) == {"text": "a"}


def test_edits_replay_from_the_written_column():
    text = "你(hǎo)"
    edits = [Edit("pinyin.paren_annotation", 1, 6, "(hǎo)", "")]
    value = encode_edits(e.to_dict() for e in edits)
    assert apply_edits(text, [Edit.from_dict(d) for d in decode_edits(value)]) == "你"
