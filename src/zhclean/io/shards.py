"""Cut the inputs into shards (driver side) and name shard outputs.

A shard is up to ``records_per_shard`` consecutive records of one input file (or up to that many consecutive text
files of a folder).  Shards are numbered in input order, so the same inputs and settings always give the same
shards: this is what lets a re-run skip the shards it already finished.

The driver only cuts raw lines and bytes; parsing JSON, decoding and everything after happens in the workers
(:mod:`zhclean.io.records`).  Problems the driver meets are handled here without losing anything else:

* a line longer than ``max_record_bytes`` becomes an item with a problem (quarantined by the worker) and is skipped
  without being held in memory;
* a truncated ``.gz``/``.zst`` file, an empty file or an unreadable file is reported as an :class:`InputWarning`
  with file and line, and the run goes on with the next file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import zstandard

from zhclean.io.compressed import READ_SIZE, open_binary
from zhclean.io.inputs import InputFile

# A raw line or file kept in a quarantined record (zh__raw) is cut to this size.
RAW_KEEP_BYTES = 64 * 1024


def part_name(shard: int) -> str:
    """``part-00000``: the stem of every file that belongs to shard ``shard``."""
    return f"part-{shard:05d}"


@dataclass(frozen=True, slots=True)
class RawItem:
    """One input record before parsing.

    Attributes:
        fmt: ``jsonl`` (payload: the line's bytes), ``parquet`` (payload: the row dict) or ``text`` (payload: the
            file's bytes).
        name: the input's name (see :class:`zhclean.io.inputs.InputFile`).
        line: 1-based line (JSONL), row (Parquet) or 1 (text file).
        payload: the raw record; for an item with a problem, the start of it or None.
        problem: ``"Type: message"`` when the driver could not read the record; the worker quarantines it.
        doc_id: the id of a text document.
    """

    fmt: str
    name: str
    line: int
    payload: Any
    problem: str | None = None
    doc_id: str = ""


@dataclass
class Chunk:
    """The raw records of one shard."""

    shard: int
    items: list[RawItem]
    n_bytes: int


@dataclass(frozen=True)
class InputWarning:
    """A problem with an input file that is not one record: reported in ``report.json`` with file and line."""

    file: str
    line: int
    message: str


@dataclass
class ReadTotals:
    """What the driver saw while cutting shards (re-counted on every run, so resumed runs report it too)."""

    bytes_in: int = 0
    blank_lines: int = 0
    warnings: list[InputWarning] = field(default_factory=list)


def iter_chunks(
    inputs: list[InputFile], records_per_shard: int, max_record_bytes: int, totals: ReadTotals
) -> Iterator[Chunk]:
    """Yield the shards of ``inputs`` in order, updating ``totals`` as it goes."""
    shard = 0
    pending: list[RawItem] = []  # consecutive text files share shards
    pending_bytes = 0
    for inp in inputs:
        if inp.format == "text":
            item = _read_text_file(inp, max_record_bytes, totals)
            pending.append(item)
            pending_bytes += len(item.payload or b"")
            if len(pending) >= records_per_shard:
                yield Chunk(shard, pending, pending_bytes)
                shard, pending, pending_bytes = shard + 1, [], 0
            continue
        if pending:
            yield Chunk(shard, pending, pending_bytes)
            shard, pending, pending_bytes = shard + 1, [], 0
        readers: dict[str, Callable[..., Iterator[tuple[RawItem, int]]]] = {
            "jsonl": _iter_jsonl,
            "parquet": _iter_parquet,
            "warc": _iter_warc,
        }
        reader = readers[inp.format]
        items: list[RawItem] = []
        n_bytes = 0
        for item, size in reader(inp, max_record_bytes, totals):
            items.append(item)
            n_bytes += size
            if len(items) >= records_per_shard:
                yield Chunk(shard, items, n_bytes)
                shard, items, n_bytes = shard + 1, [], 0
        if items:
            yield Chunk(shard, items, n_bytes)
            shard += 1
    if pending:
        yield Chunk(shard, pending, pending_bytes)


def _iter_jsonl(inp: InputFile, limit: int, totals: ReadTotals) -> Iterator[tuple[RawItem, int]]:
    line_no = 0
    records = 0
    try:
        with open_binary(inp.path) as fh:
            while True:
                line = fh.readline(limit + 1)
                if not line:
                    break
                line_no += 1
                totals.bytes_in += len(line)
                if len(line) > limit and not line.endswith(b"\n"):
                    size = len(line) + _skip_rest_of_line(fh, totals)
                    problem = (
                        f"RecordTooLarge: the line is {size} bytes, more than io.max_record_bytes = {limit}; "
                        "raise it in the config to process this record"
                    )
                    yield RawItem("jsonl", inp.name, line_no, line[:RAW_KEEP_BYTES], problem), 0
                    records += 1
                    continue
                if not line.strip():
                    totals.blank_lines += 1
                    continue
                records += 1
                yield RawItem("jsonl", inp.name, line_no, line), len(line)
    except (EOFError, zstandard.ZstdError, OSError) as exc:
        what = "truncated or corrupt" if not isinstance(exc, PermissionError) else "unreadable"
        totals.warnings.append(
            InputWarning(inp.name, line_no + 1, f"{what} file, stopped reading after line {line_no}: {exc}")
        )
        return
    if records == 0:
        totals.warnings.append(InputWarning(inp.name, 0, "empty file: no records"))


def _skip_rest_of_line(fh: Any, totals: ReadTotals) -> int:
    skipped = 0
    while True:
        more = fh.readline(READ_SIZE)
        skipped += len(more)
        totals.bytes_in += len(more)
        if not more or more.endswith(b"\n"):
            return skipped


def _iter_parquet(inp: InputFile, limit: int, totals: ReadTotals) -> Iterator[tuple[RawItem, int]]:
    from zhclean.io.parquet import import_pyarrow

    pa, pq = import_pyarrow("Reading Parquet input")
    row = 0
    try:
        pf = pq.ParquetFile(inp.path)
        for batch in pf.iter_batches(batch_size=1024):
            totals.bytes_in += batch.nbytes
            for rec in batch.to_pylist():
                row += 1
                yield RawItem("parquet", inp.name, row, rec), 0
    except (OSError, pa.ArrowException) as exc:
        totals.warnings.append(InputWarning(inp.name, row + 1, f"unreadable Parquet, stopped after row {row}: {exc}"))
        return
    if row == 0:
        totals.warnings.append(InputWarning(inp.name, 0, "empty file: no records"))


def _iter_warc(inp: InputFile, limit: int, totals: ReadTotals) -> Iterator[tuple[RawItem, int]]:
    from zhclean.html.warc import iter_warc_payloads

    n = 0
    for n, payload in enumerate(iter_warc_payloads(inp.path, max_bytes=limit), 1):
        totals.bytes_in += len(payload["body"])
        yield RawItem("warc", inp.name, n, payload), len(payload["body"])
    if n == 0:
        totals.warnings.append(InputWarning(inp.name, 0, "no HTML responses in the WARC file"))


def _read_text_file(inp: InputFile, limit: int, totals: ReadTotals) -> RawItem:
    try:
        size = inp.path.stat().st_size
        if size > limit:
            problem = (
                f"RecordTooLarge: the file is {size} bytes, more than io.max_record_bytes = {limit}; "
                "raise it in the config to process this file"
            )
            return RawItem("text", inp.name, 1, None, problem, inp.doc_id)
        data = inp.path.read_bytes()
    except OSError as exc:
        return RawItem("text", inp.name, 1, None, f"Unreadable: {exc}", inp.doc_id)
    totals.bytes_in += len(data)
    return RawItem("text", inp.name, 1, data, None, inp.doc_id)
