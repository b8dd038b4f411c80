"""Small steps used only by the tests (importable by worker processes, so they live in a module of their own)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

from zhclean.record import DROP_REASON, ID, Batch, active_rows
from zhclean.steps.base import FilterStep, GlobalStep, TransformStep
from zhclean.text.edits import Edit, Explained, rewrite


@dataclass
class Upper(TransformStep):
    """Replaces every 'a' with 'A' (one edit per occurrence), raises on texts containing 'boom'."""

    name: ClassVar[str] = "upper"

    def transform(self, text: str) -> Explained:
        if "boom" in text:
            raise ValueError("boom in text")
        return rewrite(text, [Edit("test.upper", i, i + 1, "a", "A") for i, c in enumerate(text) if c == "a"])


@dataclass
class Bang(TransformStep):
    """Appends '!' to texts ending in 'A' (to check that edits from two steps chain)."""

    name: ClassVar[str] = "bang"

    def transform(self, text: str) -> Explained:
        if text.endswith("A"):
            return rewrite(text, [Edit("test.bang", len(text), len(text), "", "!")])
        return Explained(text)


@dataclass
class ShortFilter(FilterStep):
    name: ClassVar[str] = "short"
    min_len: int = 3

    def drop_reason(self, text: str) -> str | None:
        return "too_short" if len(text) < self.min_len else None


@dataclass
class Slow(FilterStep):
    """Keeps everything, slowly: lets a test kill a run midway."""

    name: ClassVar[str] = "slow"
    seconds_per_record: float = 0.002

    def drop_reason(self, text: str) -> str | None:
        time.sleep(self.seconds_per_record)
        return None


@dataclass
class FirstCopyOnly(GlobalStep):
    """A tiny exact dedup: keeps the first record (in input order) of each text, drops the others."""

    name: ClassVar[str] = "first_copy_only"

    def scan_batch(self, batch: Batch) -> Any:
        return [(batch[ID][i], batch[self.text_field][i]) for i in active_rows(batch)]

    def combine(self, summaries: list[Any]) -> Any:
        first: dict[str, str] = {}
        for summary in summaries:
            for rec_id, text in summary:
                first.setdefault(text, rec_id)
        return frozenset(first.values())

    def apply_batch(self, batch: Batch, decision: Any) -> Batch:
        drops = list(batch.get(DROP_REASON) or [None] * len(batch[ID]))
        for i in active_rows(batch):
            if batch[ID][i] not in decision:
                drops[i] = "duplicate"
        return {**batch, DROP_REASON: drops}


@dataclass
class BrokenSetup(FilterStep):
    """Fails in setup(), as a step whose model file is missing would."""

    name: ClassVar[str] = "broken_setup"

    def setup(self) -> None:
        raise RuntimeError("no model file")

    def drop_reason(self, text: str) -> str | None:
        return None


@dataclass
class DropLongest(GlobalStep):
    """Drops the active records whose text is as long as the longest one in the whole input."""

    name: ClassVar[str] = "drop_longest"

    def scan_batch(self, batch: Batch) -> Any:
        return max((len(batch[self.text_field][i]) for i in active_rows(batch)), default=0)

    def combine(self, summaries: list[Any]) -> Any:
        return max(summaries, default=0)

    def apply_batch(self, batch: Batch, decision: Any) -> Batch:
        drops = list(batch.get(DROP_REASON) or [None] * len(batch[ID]))
        for i in active_rows(batch):
            if len(batch[self.text_field][i]) == decision:
                drops[i] = "longest"
        return {**batch, DROP_REASON: drops}
