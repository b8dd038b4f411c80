"""Shard output: JSONL.zst or Parquet parts, written atomically, split into kept / rejected / quarantine.

A part is written under a temporary name and renamed when complete, so a killed run never leaves a half-written
file under a final name; the engine writes the shard's completion marker only after every rename.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

import zstandard

from zhclean.io.compressed import open_binary
from zhclean.record import Batch, Record, outcome, to_records

logger = logging.getLogger(__name__)

# Where each outcome (see zhclean.record.outcome) is written.
OUTCOME_DIRS: Mapping[str, str] = MappingProxyType(
    {"kept": "kept", "rejected": "rejected", "quarantined": "quarantine"}
)
ZSTD_LEVEL = 3


def temp_path(path: Path) -> Path:
    """The name a file is written under before it is renamed to ``path``.

    The process id is part of the name: a worker left over from a killed run may still be finishing the same shard
    as the re-run, and each must write its own temporary file (both then rename identical content).
    """
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    tmp.write_bytes(data)
    os.replace(tmp, path)


def dumps_record(rec: Mapping[str, Any]) -> bytes:
    """One JSONL line.  Falls back to ASCII escapes for text that is not valid Unicode (lone surrogates)."""
    try:
        return (json.dumps(rec, ensure_ascii=False, default=_json_default) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(rec, ensure_ascii=True, default=_json_default) + "\n").encode("ascii")


def _json_default(value: Any) -> Any:
    # Parquet input can hold bytes, dates and decimals; JSONL output keeps them readable rather than failing.
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return str(value)


class JsonlZstWriter:
    """Streams records into ``path`` (zstd JSONL) through a temporary file; :meth:`commit` renames it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: BinaryIO = open(temp_path(path), "wb")  # noqa: SIM115 - closed in commit()
        self._zw = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(self._fh, closefd=False)
        self.count = 0

    def write(self, rec: Mapping[str, Any]) -> None:
        self._zw.write(dumps_record(rec))
        self.count += 1

    def commit(self) -> Path:
        self._zw.close()
        self._fh.close()
        os.replace(temp_path(self.path), self.path)
        return self.path


class ParquetBufferWriter:
    """Collects one part's records and writes them as Parquet on :meth:`commit` (a part is one shard, bounded)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records: list[Record] = []
        self.count = 0

    def write(self, rec: Mapping[str, Any]) -> None:
        self._records.append(dict(rec))
        self.count += 1

    def commit(self) -> Path:
        from zhclean.io.parquet import import_pyarrow, write_parquet

        pa, _ = import_pyarrow("Writing Parquet output")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(self.path)
        try:
            write_parquet(tmp, self._records)
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
            # A user column that mixes types cannot be one Arrow column; keep the records rather than lose them.
            fallback = self.path.with_name(self.path.name.removesuffix(".parquet") + ".jsonl.zst")
            logger.warning("cannot write %s as Parquet (%s); wrote %s instead", self.path, exc, fallback.name)
            tmp.unlink(missing_ok=True)
            writer = JsonlZstWriter(fallback)
            for rec in self._records:
                writer.write(rec)
            return writer.commit()
        os.replace(tmp, self.path)
        return self.path


class SplitSink:
    """Routes the rows of a shard to ``kept/``, ``rejected/`` and ``quarantine/`` parts (opened on first use)."""

    def __init__(self, out_dir: Path, part: str, fmt: str) -> None:
        self._out_dir = out_dir
        self._part = part
        self._fmt = fmt
        self._writers: dict[str, JsonlZstWriter | ParquetBufferWriter] = {}

    def write_batch(self, batch: Batch) -> None:
        for i, rec in enumerate(to_records(batch)):
            self._writer(outcome(batch, i)).write(rec)

    def _writer(self, where: str) -> JsonlZstWriter | ParquetBufferWriter:
        writer = self._writers.get(where)
        if writer is None:
            folder = self._out_dir / OUTCOME_DIRS[where]
            # Quarantined records are often malformed; JSONL keeps them whatever their columns hold.
            if self._fmt == "parquet" and where != "quarantined":
                writer = ParquetBufferWriter(folder / f"{self._part}.parquet")
            else:
                writer = JsonlZstWriter(folder / f"{self._part}.jsonl.zst")
            self._writers[where] = writer
        return writer

    def commit(self) -> list[Path]:
        return [w.commit() for w in self._writers.values()]


class IntermediateSink:
    """All rows of a shard between two phases (before a global step): one JSONL.zst part."""

    def __init__(self, path: Path) -> None:
        self._writer = JsonlZstWriter(path)

    def write_batch(self, batch: Batch) -> None:
        for rec in to_records(batch):
            self._writer.write(rec)

    def commit(self) -> list[Path]:
        return [self._writer.commit()]


def read_jsonl(path: Path) -> Iterator[Record]:
    """Records of a JSONL file written by zhclean (plain, .gz or .zst)."""
    with open_binary(path) as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
