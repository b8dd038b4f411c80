"""Records, column batches and the reserved ``zh__*`` columns.

A record is a plain dict.  Steps see a :data:`Batch`: the same records in column form (``dict[str, list]``), which is
what ``pyarrow.Table.to_pydict()`` and Ray give cheaply.  User columns pass through untouched; everything zhclean
adds is a flat column whose name starts with ``zh__``:

===================  =====================================================================================
``zh__id``           the record's id: the user's id field, or ``<file>:<line>`` (txt folders: the relative path)
``zh__origin``       where the record came from: ``<file>:<line>`` (line or row number, 1-based)
``zh__edits``        JSON string: the list of :meth:`zhclean.text.edits.Edit.to_dict` dicts, in order applied
``zh__n_edits``      number of edits (an int, so reports and filters need not parse ``zh__edits``)
``zh__drop_reason``  set by filter steps; the row goes to ``rejected/`` at the end
``zh__error``        ``"<step>:<ExceptionType>: <message>"``; the row goes to ``quarantine/``
``zh__raw``          the raw input line of a record the reader could not parse (kept when small)
``zh__encoding``     the encoding a non-UTF-8 text file or an HTML page was decoded from (``gb18030``, ``big5``, …)
``zh__title``        the article's title, from the page's title line (step ``clean``)
``zh__published``    the publication time, ISO 8601 (step ``clean``)
``zh__source``       the article's ``来源`` (step ``clean``)
``zh__editor``       the ``责任编辑`` (step ``clean``); ``zh__author`` the author where the page names one
``zh__captions``     how many image captions the text keeps (step ``clean``)
``zh__score_*``      quality signals, each with a documented direction and range (step ``score``)
``zh__cluster``      the id of the record's duplicate cluster (its own id when unique) (step ``dedup``)
``zh__dup_of``       for a dropped duplicate, the id of the copy that was kept (step ``dedup``)
``zh__declared_charset``, ``zh__html_title``  from WARC/HTML input: the charset the page declared, its <title>
===================  =====================================================================================

``zh__edits`` is a JSON string rather than a nested list so that it round-trips unchanged through JSONL, Parquet and
Arrow whatever optional keys the edits carry.

Examples:
    >>> b = to_batch([{"text": "a", "lang": "zh"}, {"text": "b"}])
    >>> b
    {'text': ['a', 'b'], 'lang': ['zh', None]}
    >>> to_records(with_column(b, DROP_REASON, [None, "too_short"]))
    [{'text': 'a', 'lang': 'zh'}, {'text': 'b', 'lang': None, 'zh__drop_reason': 'too_short'}]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

Record = dict[str, Any]
Batch = dict[str, list[Any]]
Outcome = Literal["kept", "rejected", "quarantined"]

PREFIX = "zh__"
ID = "zh__id"
ORIGIN = "zh__origin"
EDITS = "zh__edits"
N_EDITS = "zh__n_edits"
DROP_REASON = "zh__drop_reason"
ERROR = "zh__error"
RAW = "zh__raw"
ENCODING = "zh__encoding"

# An error message is one line and bounded: it is written into every quarantined row.
MAX_ERROR_CHARS = 500


def is_reserved(column: str) -> bool:
    """True for a column zhclean owns (``zh__*``)."""
    return column.startswith(PREFIX)


def batch_len(batch: Mapping[str, Sequence[Any]]) -> int:
    """Number of rows in a batch (0 for a batch without columns)."""
    for values in batch.values():
        return len(values)
    return 0


def to_batch(records: Sequence[Mapping[str, Any]]) -> Batch:
    """Records → column batch; the columns are the union of the records' keys, missing values are ``None``."""
    columns: dict[str, None] = {}
    for rec in records:
        for key in rec:
            columns.setdefault(key)
    return {key: [rec.get(key) for rec in records] for key in columns}


def to_records(batch: Mapping[str, Sequence[Any]]) -> list[Record]:
    """Column batch → records.  Reserved columns that are ``None`` are left out, user columns are kept as they are."""
    n = batch_len(batch)
    out: list[Record] = []
    for i in range(n):
        rec: Record = {}
        for key, values in batch.items():
            value = values[i]
            if value is None and is_reserved(key):
                continue
            rec[key] = value
        out.append(rec)
    return out


def with_column(batch: Mapping[str, list[Any]], name: str, values: list[Any]) -> Batch:
    """A new batch with one column added or replaced; the input batch is not modified."""
    if batch and len(values) != batch_len(batch):
        raise ValueError(f"column {name!r} has {len(values)} values, the batch has {batch_len(batch)} rows")
    return {**batch, name: values}


def outcome(batch: Mapping[str, Sequence[Any]], i: int) -> Outcome:
    """Where row ``i`` ends up: an error wins over a drop reason (the row could not be judged properly)."""
    if _get(batch, ERROR, i) is not None:
        return "quarantined"
    if _get(batch, DROP_REASON, i) is not None:
        return "rejected"
    return "kept"


def active_rows(batch: Mapping[str, Sequence[Any]]) -> list[int]:
    """Rows that are neither dropped nor quarantined: the only rows later steps process."""
    errors = batch.get(ERROR)
    drops = batch.get(DROP_REASON)
    return [
        i
        for i in range(batch_len(batch))
        if (errors is None or errors[i] is None) and (drops is None or drops[i] is None)
    ]


def format_error(step: str, exc: BaseException) -> str:
    """The ``zh__error`` value for an exception raised by ``step``: ``"step:Type: message"``, one bounded line."""
    message = " ".join(str(exc).split())
    text = f"{step}:{type(exc).__name__}: {message}" if message else f"{step}:{type(exc).__name__}"
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def encode_edits(edits: Iterable[Mapping[str, Any]]) -> str | None:
    """Edit dicts → the ``zh__edits`` value (``None`` when there are none)."""
    items = list(edits)
    return json.dumps(items, ensure_ascii=False) if items else None


def append_edits(
    value: str | list[Any] | None, count: int | None, edits: Iterable[Mapping[str, Any]]
) -> tuple[str | None, int]:
    """``zh__edits`` and ``zh__n_edits`` after ``edits`` are applied on top of ``value`` (with ``count`` edits).

    Gives the same string as ``encode_edits(decode_edits(value) + edits)`` when ``value`` was written by
    :func:`encode_edits`, without decoding it: a real damaged page carries ~120 edits (~11 KB of JSON), and
    decoding and re-encoding them was a third of the clean step's time (the 90 real damaged pages of ../shared:
    37 → 24 ms).  ``value`` is checked only for its brackets; the score step and the report decode it whole.

    Examples:
        >>> first = encode_edits([{"rule": "a.b", "start": 0, "end": 1, "before": "x", "after": "y"}])
        >>> value, count = append_edits(first, 1, [{"rule": "c.d", "start": 1, "end": 1, "before": "", "after": "z"}])
        >>> value == encode_edits(decode_edits(first) + decode_edits(value)[1:]), count
        (True, 2)
    """
    items = list(edits)
    if value is None or isinstance(value, list):
        previous = decode_edits(value)
        return encode_edits(previous + items), len(previous) + len(items)
    body = value.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise ValueError(f"{EDITS} is not a JSON list: {body[:40]!r}")
    if count is None:  # a column from elsewhere without its count
        count = len(decode_edits(body))
    if not items:
        return value, count
    added = encode_edits(items)
    assert added is not None
    if not body[1:-1].strip():
        return added, len(items)
    return f"{body[:-1]}, {added[1:]}", count + len(items)


def decode_edits(value: str | list[Any] | None) -> list[dict[str, Any]]:
    """The ``zh__edits`` value → edit dicts (accepts an already decoded list, for batches built in Python)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return json.loads(value)


def _get(batch: Mapping[str, Sequence[Any]], column: str, i: int) -> Any:
    values = batch.get(column)
    return None if values is None else values[i]
