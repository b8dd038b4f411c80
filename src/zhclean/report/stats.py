"""Statistics of one shard, computed from the reserved columns and the step measures.

A shard's stats are a JSON-ready dict of integers, floats and nested dicts of counts; :func:`merge_stats` adds any
number of them up, so the report of a run is the sum of its shards whatever order they finished in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zhclean.pipeline import StepMeasure
from zhclean.record import DROP_REASON, EDITS, ERROR, Batch, batch_len, decode_edits, outcome


class ShardStats:
    """Accumulates the counts of one shard in one pass."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def add(self, key: str, n: float) -> None:
        self.data[key] = self.data.get(key, 0) + n

    def add_to(self, group: str, key: str, n: float = 1) -> None:
        bucket = self.data.setdefault(group, {})
        bucket[key] = bucket.get(key, 0) + n

    def count_input(self, batch: Batch, text_field: str) -> None:
        """Records read (every one, including those the reader quarantined) and their characters."""
        self.add("records_in", batch_len(batch))
        self.add("chars_in", sum(len(t) for t in batch.get(text_field, ()) if isinstance(t, str)))

    def count_steps(self, measures: Iterable[StepMeasure]) -> None:
        for m in measures:
            step = self.data.setdefault("steps", {}).setdefault(m.step, {})
            for key, value in (
                ("records", m.records),
                ("changed", m.changed),
                ("dropped", m.dropped),
                ("errors", m.errors),
                ("seconds", m.seconds),
            ):
                step[key] = step.get(key, 0) + value

    def count_outcomes(self, batch: Batch, text_field: str) -> None:
        """Where each row ended up, and the rules, drop reasons and errors it carries."""
        texts = batch.get(text_field)
        edits = batch.get(EDITS)
        for i in range(batch_len(batch)):
            where = outcome(batch, i)
            self.add(where, 1)
            if where == "kept" and texts is not None and isinstance(texts[i], str):
                self.add("chars_out", len(texts[i]))
            if where == "rejected":
                self.add_to("drop_reasons", batch[DROP_REASON][i])
            elif where == "quarantined":
                self.add_to("errors", _error_kind(batch[ERROR][i]))
            if edits is not None and edits[i] is not None:
                self.add("records_changed", 1)
                for e in decode_edits(edits[i]):
                    self.add_to("rules", e.get("rule", "?"))

    def to_dict(self) -> dict[str, Any]:
        return self.data


def _error_kind(error: str) -> str:
    """``"step:Type: message"`` → ``"step:Type"`` (messages vary per record; kinds are what a report counts)."""
    head, _, _ = error.partition(": ")
    return head


def merge_stats(parts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Add up stats dicts: numbers are summed, nested dicts merged key by key.

    >>> merge_stats([{"kept": 1, "rules": {"a.b": 2}}, {"kept": 2, "rules": {"a.b": 1, "c.d": 1}}])
    {'kept': 3, 'rules': {'a.b': 3, 'c.d': 1}}
    """
    out: dict[str, Any] = {}
    for part in parts:
        _merge_into(out, part)
    return out


def _merge_into(out: dict[str, Any], part: Mapping[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, Mapping):
            _merge_into(out.setdefault(key, {}), value)
        else:
            out[key] = out.get(key, 0) + value
