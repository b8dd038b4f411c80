"""Turn raw items into records (worker side), quarantining what cannot be read instead of stopping.

Every record gets ``zh__id`` and ``zh__origin``.  A record that cannot be read gets ``zh__error =
"reader:<Problem>: <message>"`` and, when small, its raw line in ``zh__raw``; it goes to ``quarantine/`` and is
counted like any other record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from zhclean.io.shards import RAW_KEEP_BYTES, RawItem
from zhclean.record import ENCODING, ERROR, ID, ORIGIN, RAW, Record
from zhclean.text.encoding import decode_bytes

# A text file whose first bytes hold a NUL, or this share of other control characters, is binary, not text.
BINARY_SNIFF_BYTES = 8192
BINARY_CONTROL_SHARE = 0.10
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
# A non-UTF-8 text file is decoded when decode_bytes is at least this sure (its fallback guesses score <= 0.5).
MIN_DECODE_CONFIDENCE = 0.9


def records_from_items(items: Iterable[RawItem], text_field: str, id_field: str) -> Iterator[Record]:
    """Parse raw items into records, in order; never raises on bad data."""
    for item in items:
        if item.problem is not None:
            yield _quarantined(item, item.problem, item.payload)
        elif item.fmt == "jsonl":
            yield _from_jsonl(item, text_field, id_field)
        elif item.fmt == "parquet":
            yield _checked(item, item.payload, text_field, id_field)
        elif item.fmt == "warc":
            # extraction (decode + main text) runs here, in the worker, with its own size and time limits
            from zhclean.html.warc import record_from_payload

            yield _checked(item, record_from_payload(item.payload, text_field=text_field), text_field, id_field)
        else:
            yield _from_text_file(item, text_field, id_field)


def _from_jsonl(item: RawItem, text_field: str, id_field: str) -> Record:
    raw: bytes = item.payload
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _quarantined(item, f"InvalidUTF8: byte {exc.start} of the line is not UTF-8", raw)
    if item.line == 1:
        line = line.removeprefix("\ufeff")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return _quarantined(item, f"InvalidJSON: {exc}", raw)
    except RecursionError:
        return _quarantined(item, "InvalidJSON: nested too deeply", raw)
    if not isinstance(value, dict):
        return _quarantined(item, f"NotAnObject: the line holds a JSON {type(value).__name__}, not an object", raw)
    return _checked(item, value, text_field, id_field)


def _checked(item: RawItem, rec: dict[str, Any], text_field: str, id_field: str) -> Record:
    rec = dict(rec)
    source = f"{item.name}:{item.line}"
    rec_id = rec.get(id_field)
    rec[ID] = source if rec_id is None else str(rec_id)
    rec[ORIGIN] = source
    if text_field not in rec:
        rec[ERROR] = f"reader:MissingTextField: the record has no field {text_field!r} (choose one with --text-field)"
    elif not isinstance(rec[text_field], str):
        kind = type(rec[text_field]).__name__
        rec[ERROR] = f"reader:TextNotString: field {text_field!r} is {kind}, expected a string"
    return rec


def _from_text_file(item: RawItem, text_field: str, id_field: str) -> Record:
    data: bytes = item.payload
    head = data[:BINARY_SNIFF_BYTES]
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if b"\x00" in head or (head and controls / len(head) > BINARY_CONTROL_SHARE):
        return _quarantined(item, "BinaryFile: the file looks binary (NUL or control bytes), not text", None)
    rec = {id_field: item.doc_id, text_field: "", ID: item.doc_id, ORIGIN: item.name}
    try:
        rec[text_field] = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A folder of Chinese text files often holds GB18030 or Big5 ones: take a reading only when it is clear.
        decoded = decode_bytes(data)
        if decoded.confidence < MIN_DECODE_CONFIDENCE:
            problem = f"InvalidUTF8: byte {exc.start} is not UTF-8 and no Chinese encoding fits; convert the file"
            return _quarantined(item, problem, data)
        rec[text_field] = decoded.text
        rec[ENCODING] = decoded.encoding
    return rec


def _quarantined(item: RawItem, problem: str, raw: bytes | None) -> Record:
    source = f"{item.name}:{item.line}" if item.fmt != "text" else item.name
    rec: Record = {ID: item.doc_id or source, ORIGIN: source, ERROR: f"reader:{problem}"}
    if isinstance(raw, bytes) and len(raw) <= RAW_KEEP_BYTES:
        # backslashreplace keeps every byte visible and the value valid UTF-8 for any output format.
        rec[RAW] = raw.decode("utf-8", "backslashreplace").rstrip("\r\n")
    return rec
