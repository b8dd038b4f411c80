import gzip
import json

import pytest
import zstandard

from zhclean.errors import InputError, MissingExtraError
from zhclean.io.inputs import discover_inputs
from zhclean.io.records import records_from_items
from zhclean.io.shards import ReadTotals, iter_chunks, part_name
from zhclean.record import ERROR, ID, ORIGIN, RAW


def read_all(paths, *, records_per_shard=1000, max_record_bytes=1 << 20, text_field="text", id_field="id"):
    totals = ReadTotals()
    chunks = list(iter_chunks(discover_inputs([str(p) for p in paths]), records_per_shard, max_record_bytes, totals))
    records = [r for c in chunks for r in records_from_items(c.items, text_field, id_field)]
    return records, totals, chunks


def lines(n, start=0):
    return "".join(json.dumps({"id": f"r{i}", "text": f"文本{i}"}, ensure_ascii=False) + "\n" for i in range(start, n))


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_jsonl_plain_gz_zst_read_the_same(tmp_path, suffix):
    data = lines(5).encode()
    path = tmp_path / f"in{suffix}"
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    elif suffix.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    records, totals, _ = read_all([path])
    assert [r["text"] for r in records] == [f"文本{i}" for i in range(5)]
    assert [r[ID] for r in records] == [f"r{i}" for i in range(5)]
    assert records[2][ORIGIN] == f"{path}:3"
    assert totals.warnings == []


def test_multi_frame_zst_is_read_whole(tmp_path):
    c = zstandard.ZstdCompressor()
    path = tmp_path / "in.jsonl.zst"
    path.write_bytes(c.compress(lines(3).encode()) + c.compress(lines(6, 3).encode()))
    records, totals, _ = read_all([path])
    assert len(records) == 6 and totals.warnings == []


def test_missing_id_becomes_file_and_line_and_id_field_is_configurable(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"body": "x", "key": 7}\n{"body": "y"}\n', encoding="utf-8")
    records, _, _ = read_all([path], text_field="body", id_field="key")
    assert [r[ID] for r in records] == ["7", f"{path}:2"]
    assert ERROR not in records[0]


def test_bad_lines_are_quarantined_with_file_line_and_raw(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"text": "ok"}\n'
        b"not json at all\n"
        b'{"title": "no text"}\n'
        b'{"text": 42}\n'
        b'{"text": "\xff\xfe bad utf8"}\n'
        b"[1, 2]\n"
        b"\n"
        b'{"text": "last", "id": "z"}'  # no final newline
    )
    records, totals, _ = read_all([path])
    errors = [r.get(ERROR) for r in records]
    assert errors[0] is None and errors[-1] is None
    assert errors[1].startswith("reader:InvalidJSON: ")
    assert errors[2].startswith("reader:MissingTextField: ") and "--text-field" in errors[2]
    assert errors[3] == "reader:TextNotString: field 'text' is int, expected a string"
    assert errors[4].startswith("reader:InvalidUTF8: byte 10 ")
    assert errors[5].startswith("reader:NotAnObject")
    assert records[1][RAW] == "not json at all"
    assert records[4][RAW] == '{"text": "\\xff\\xfe bad utf8"}'
    assert records[2]["title"] == "no text"  # the record's own fields are kept
    assert records[4][ORIGIN] == f"{path}:5"
    assert records[-1][ID] == "z" and records[-1][ORIGIN] == f"{path}:8"
    assert totals.blank_lines == 1


def test_a_bom_on_the_first_line_is_ignored(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "a"}\n')
    records, _, _ = read_all([path])
    assert records[0]["text"] == "a" and ERROR not in records[0]


def test_an_empty_file_is_reported(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl.gz").write_bytes(gzip.compress(b"\n\n"))
    records, totals, _ = read_all([tmp_path / "empty.jsonl", tmp_path / "blank.jsonl.gz"])
    assert records == []
    assert [(w.file.split("/")[-1], w.message) for w in totals.warnings] == [
        ("empty.jsonl", "empty file: no records"),
        ("blank.jsonl.gz", "empty file: no records"),
    ]


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_a_truncated_compressed_file_keeps_what_came_before_and_reports_the_line(tmp_path, suffix):
    data = lines(30_000).encode()  # several zstd blocks: a cut inside the only block would leave nothing to keep
    packed = gzip.compress(data) if suffix.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(packed[: len(packed) // 2])
    after = tmp_path / "after.jsonl"
    after.write_text(lines(2), encoding="utf-8")
    records, totals, _ = read_all([path, after])
    from_cut = [r for r in records if r[ORIGIN].startswith(str(path))]
    assert 0 < len(from_cut) < 30_000
    # every record before the cut is intact or quarantined, never silently lost
    assert all(r.get(ERROR) is None or r[ERROR].startswith("reader:InvalidJSON") for r in from_cut)
    [warning] = totals.warnings
    assert warning.file == str(path) and "truncated" in warning.message and warning.line > 1
    assert [r["text"] for r in records if r[ORIGIN].startswith(str(after))] == ["文本0", "文本1"]


def test_a_line_over_the_size_limit_is_quarantined_without_being_held(tmp_path):
    path = tmp_path / "big.jsonl"
    big = json.dumps({"text": "字" * 300_000}).encode()
    path.write_bytes(b'{"text": "before"}\n' + big + b'\n{"text": "after"}\n')
    records, _, _ = read_all([path], max_record_bytes=100_000)
    assert [r.get("text") for r in records] == ["before", None, "after"]
    assert records[1][ERROR].startswith(f"reader:RecordTooLarge: the line is {len(big) + 1} bytes")
    assert records[1][ORIGIN] == f"{path}:2"


def test_a_50_mb_single_line_is_quarantined_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as fh:
        fh.write(b'{"text": "' + b"a" * (50 * 1024 * 1024) + b'"}\n{"text": "next"}\n')
    records, _, _ = read_all([path], max_record_bytes=16 * 1024 * 1024)
    assert records[0][ERROR].startswith("reader:RecordTooLarge")
    assert len(records[0][RAW]) <= 64 * 1024
    assert records[1]["text"] == "next"


def test_a_text_folder_gives_one_document_per_file_with_relative_ids(tmp_path):
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("第一篇", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("第二篇", encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "gbk.txt").write_bytes("今天天气很好，我们去公园散步。".encode("gbk"))
    (root / "latin.txt").write_bytes(bytes(range(128, 256)) * 4)
    (root / ".hidden.txt").write_text("skip", encoding="utf-8")
    records, _, _ = read_all([root])
    by_id = {r[ID]: r for r in records}
    assert set(by_id) == {"a.txt", "gbk.txt", "image.png", "latin.txt", "sub/b.txt"}
    assert by_id["sub/b.txt"]["text"] == "第二篇" and by_id["sub/b.txt"]["id"] == "sub/b.txt"
    assert by_id["image.png"][ERROR].startswith("reader:BinaryFile")
    assert by_id["image.png"][ORIGIN] == f"{root}/image.png"
    assert by_id["gbk.txt"]["text"] == "今天天气很好，我们去公园散步。"
    assert by_id["gbk.txt"]["zh__encoding"] == "gb18030" and ERROR not in by_id["gbk.txt"]
    assert "zh__encoding" not in by_id["a.txt"]
    assert by_id["latin.txt"][ERROR].startswith("reader:InvalidUTF8")


def test_shards_are_deterministic_and_cut_at_file_boundaries(tmp_path):
    (tmp_path / "a.jsonl").write_text(lines(5), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(lines(3), encoding="utf-8")
    _, _, chunks = read_all([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], records_per_shard=2)
    assert [(c.shard, len(c.items)) for c in chunks] == [(0, 2), (1, 2), (2, 1), (3, 2), (4, 1)]
    _, _, again = read_all([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], records_per_shard=2)
    assert [[i.line for i in c.items] for c in chunks] == [[i.line for i in c.items] for c in again]
    assert part_name(3) == "part-00003"


def test_inputs_that_cannot_be_used_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        discover_inputs([str(tmp_path / "nope.jsonl")])
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported input"):
        discover_inputs([str(tmp_path / "data.csv")])
    with pytest.raises(InputError, match="no input"):
        discover_inputs([])


def test_parquet_input_reads_rows(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": ["甲", None, "丙"], "n": [1, 2, 3]}), path)
    records, _, _ = read_all([path])
    assert [r.get(ERROR) is None for r in records] == [True, False, True]
    assert records[1][ERROR].startswith("reader:TextNotString")
    assert records[2][ID] == f"{path}:3" and records[2]["n"] == 3


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    import sys

    from zhclean.io.parquet import import_pyarrow

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'zhclean\[parquet\]'"):
        import_pyarrow("Reading Parquet input")


def test_a_highly_compressible_zst_is_read_in_bounded_memory(tmp_path):
    import tracemalloc

    from zhclean.io.compressed import open_binary

    path = tmp_path / "big.jsonl.zst"
    line = b'{"text": "' + b"a" * 100 + b'"}\n'
    with open(path, "wb") as fh, zstandard.ZstdCompressor().stream_writer(fh) as writer:
        for _ in range(200):
            writer.write(line * 5000)  # 113 MB of text that compresses to a few KB
    tracemalloc.start()
    try:
        with open_binary(path) as fh:
            n = sum(1 for _ in fh)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 1_000_000
    assert peak < 16 * 1024 * 1024
