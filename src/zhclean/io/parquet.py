"""Parquet support through pyarrow, imported only when Parquet is used (the ``parquet`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zhclean.errors import MissingExtraError
from zhclean.record import DROP_REASON, EDITS, ENCODING, ERROR, ID, N_EDITS, ORIGIN, RAW, Record


def import_pyarrow(feature: str) -> tuple[Any, Any]:
    """``(pyarrow, pyarrow.parquet)``, or :class:`MissingExtraError` with the pip command."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise MissingExtraError("parquet", "pyarrow", feature) from exc
    return pyarrow, pyarrow.parquet


def write_parquet(path: Path, records: list[Record]) -> None:
    """Write records as one Parquet file.  Reserved columns get fixed types, so parts of a run share a schema.

    Raises:
        pyarrow.ArrowException: a user column mixes types that Arrow cannot put in one column.
    """
    pa, pq = import_pyarrow("Writing Parquet output")
    reserved_types = {
        ID: pa.string(),
        ORIGIN: pa.string(),
        EDITS: pa.string(),
        N_EDITS: pa.int64(),
        DROP_REASON: pa.string(),
        ERROR: pa.string(),
        RAW: pa.string(),
        ENCODING: pa.string(),
    }
    columns: dict[str, None] = {}
    for rec in records:
        for key in rec:
            columns.setdefault(key)
    arrays = {}
    for name in columns:
        values = [rec.get(name) for rec in records]
        arrays[name] = pa.array(values, type=reserved_types.get(name))
    pq.write_table(pa.table(arrays), path, compression="zstd")


def read_parquet_records(path: Path) -> list[Record]:
    """All rows of a Parquet file as records (for tests and small files)."""
    _, pq = import_pyarrow("Reading Parquet")
    return pq.read_table(path).to_pylist()
