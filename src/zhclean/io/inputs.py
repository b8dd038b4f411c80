"""Find the input files behind the paths a user gives, and decide how to read each one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from zhclean.errors import InputError

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.zstd", ".ndjson", ".json.gz", ".json.zst")
PARQUET_SUFFIXES = (".parquet",)
TEXT_SUFFIXES = (".txt",)
WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4")


@dataclass(frozen=True)
class InputFile:
    """One file to read.

    Attributes:
        path: the file.
        format: ``jsonl``, ``parquet`` or ``text`` (one document per file).
        name: how ids and ``zh__origin`` refer to it: the path as given, or for a file found in a folder, the
            folder as given joined with the path relative to it (so ids do not depend on the current directory
            more than the command line does).
        doc_id: for ``text`` files, the document id: the path relative to the folder that was given.
    """

    path: Path
    format: str
    name: str
    doc_id: str = ""


def format_of(path: Path) -> str | None:
    """The reader for a file name, or None if the name says nothing."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def discover_inputs(paths: list[str]) -> list[InputFile]:
    """Expand files and folders into :class:`InputFile` s, in a deterministic order.

    A file must have a known extension.  In a folder (walked recursively, sorted, hidden entries skipped) JSONL and
    Parquet files are read as such and every other file is one text document: a folder of ``.txt`` files is the
    common case, and a stray binary file in it is quarantined by the reader rather than silently skipped.
    """
    if not paths:
        raise InputError("no input given: pass one or more files or folders")
    found: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(_walk(path, raw))
        elif path.is_file():
            fmt = format_of(path)
            if fmt is None:
                raise InputError(
                    f"unsupported input {raw!r}: expected .jsonl, .jsonl.gz, .jsonl.zst, .parquet, .warc(.gz), .txt "
                    "or a folder"
                )
            found.append(InputFile(path, fmt, raw, path.name if fmt == "text" else ""))
        elif path.exists():
            raise InputError(f"input {raw!r} is neither a file nor a folder")
        else:
            raise InputError(f"input not found: {raw!r}")
    return found


def _walk(root: Path, given: str) -> list[InputFile]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            if fname.startswith("."):
                continue
            path = Path(dirpath) / fname
            rel = path.relative_to(root).as_posix()
            fmt = format_of(path) or "text"
            out.append(InputFile(path, fmt, f"{given.rstrip('/')}/{rel}", rel if fmt == "text" else ""))
    return out
