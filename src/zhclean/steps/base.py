"""The step protocol and the base classes a new step is built from.

A step is a small dataclass: its fields are its parameters (what a TOML config may set), its class attributes say
what it is (``name``, ``kind``, ``needs``, ``summary``).  Expensive state is built in :meth:`Step.setup`, once per
worker, never at import or construction time.  :meth:`Step.process_batch` takes a column batch and returns a new one;
it never modifies its input, so a retried batch gives the same result.

Per-record steps derive from :class:`TransformStep`, :class:`FilterStep` or :class:`AnnotateStep` and implement one
method on a single text; the base class maps it over the batch, skips rows that are already dropped or quarantined
and isolates failures: if the method raises on one record, that record gets ``zh__error`` and the batch continues.

Global steps (dedup) derive from :class:`GlobalStep`: the engine scans every shard, combines the summaries behind a
barrier, then applies the decision shard by shard.

Example, a filter in three lines:

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class NoDigits(FilterStep):
    ...     name = "no_digits"
    ...     def drop_reason(self, text):
    ...         return "has_digits" if any(c.isdigit() for c in text) else None
    >>> NoDigits().process_batch({"text": ["一二", "12", None]})["zh__drop_reason"]
    [None, 'has_digits', None]
    >>> NoDigits().process_batch({"text": ["一二", "12", None]})["zh__error"]
    [None, None, "no_digits:TypeError: field 'text' is NoneType, expected str"]
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from zhclean.errors import ConfigError, MissingExtraError
from zhclean.record import (
    DROP_REASON,
    EDITS,
    ERROR,
    N_EDITS,
    Batch,
    active_rows,
    append_edits,
    batch_len,
    format_error,
    is_reserved,
)

logger = logging.getLogger(__name__)

KINDS = ("transform", "annotate", "score", "filter", "global")

# The modules each extra provides; a step's `needs` is checked against these when it is constructed.
EXTRA_MODULES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "parquet": ("pyarrow",),
        "html": ("resiliparse", "fastwarc", "charset_normalizer"),
        "dedup": ("numpy", "xxhash"),
        "ray": ("ray",),
    }
)


_PER_PROCESS: dict[str, Any] = {}


def per_process(key: str, build: Callable[[], Any]) -> Any:
    """Read-only state the steps of one worker process share, built on first use and kept for the process's life.

    A :class:`~zhclean.text.lexicon.Lexicon` is ~170 MB with jieba's table; restore, score and dedup each built their
    own, ~3× that per worker.  Shared within a process it is built once (its memos only gain entries, so sharing does
    not change any result).  Engines run steps in separate processes (spawn, Ray workers): nothing crosses them.

    >>> per_process("doc.example", lambda: [1]) is per_process("doc.example", lambda: [2])
    True
    """
    got = _PER_PROCESS.get(key)
    if got is None:
        got = _PER_PROCESS[key] = build()
    return got


def shared_lexicon() -> Any:
    """This process's :class:`~zhclean.text.lexicon.Lexicon` (see :func:`per_process`)."""
    from zhclean.text.lexicon import Lexicon

    return per_process("lexicon", Lexicon.load)


def check_extras(needs: tuple[str, ...], feature: str) -> None:
    """Raise :class:`MissingExtraError` naming the pip command if a module of one of ``needs`` is not installed."""
    for extra in needs:
        for module in EXTRA_MODULES.get(extra, (extra,)):
            if importlib.util.find_spec(module) is None:
                raise MissingExtraError(extra, module, feature)


@dataclass
class Step(ABC):
    """Base of every step.  Subclasses are dataclasses whose init fields are their parameters.

    Attributes:
        text_field: the column holding the document text; set for a whole pipeline by
            :meth:`zhclean.pipeline.Pipeline.with_text_field`, not a per-step config key.
    """

    name: ClassVar[str]
    kind: ClassVar[str] = "transform"
    needs: ClassVar[tuple[str, ...]] = ()
    summary: ClassVar[str] = ""

    text_field: str = field(default="text", kw_only=True)
    _ready: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ConfigError(f"step {self.name!r} has kind {self.kind!r}; use one of {', '.join(KINDS)}")
        check_extras(self.needs, f"the step '{self.name}'")
        self.validate()

    @classmethod
    def param_names(cls) -> tuple[str, ...]:
        """The parameters a config file may set for this step."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.init and f.name != "text_field")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Step:
        """Build the step from config parameters; unknown keys raise :class:`ConfigError` with a suggestion."""
        from zhclean.steps.table import did_you_mean

        allowed = cls.param_names()
        for key in params:
            if key not in allowed:
                known = ", ".join(allowed) or "none"
                raise ConfigError(
                    f"step '{cls.name}' has no parameter {key!r}{did_you_mean(key, allowed)} (parameters: {known})"
                )
        return cls(**params)

    def params(self) -> dict[str, Any]:
        """The step's parameters, as a config file would give them (used for the resolved config)."""
        return {name: getattr(self, name) for name in self.param_names()}

    def validate(self) -> None:  # noqa: B027 - an optional hook, not abstract
        """Check parameter values; raise :class:`ConfigError` with the fix.  Called on construction."""

    def setup(self) -> None:  # noqa: B027 - an optional hook, not abstract
        """Build expensive state (tables, models).  Called once per worker before the first batch."""

    def ensure_setup(self) -> None:
        """Run :meth:`setup` unless it already ran in this process."""
        if not self._ready:
            self.setup()
            self._ready = True

    def __getstate__(self) -> dict[str, Any]:
        # A step travels to workers as its parameters only: state built by setup() is rebuilt there.
        state = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}
        state["_ready"] = False
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @abstractmethod
    def process_batch(self, batch: Batch) -> Batch:
        """Return a new batch; never modify ``batch`` (retries must be harmless)."""


class RecordStep(Step):
    """A step that works on one record at a time; the base maps it over the batch with error isolation."""

    def process_batch(self, batch: Batch) -> Batch:
        n = batch_len(batch)
        if n == 0:
            return dict(batch)
        texts = batch.get(self.text_field, [None] * n)
        changed: dict[str, list[Any]] = {}

        def column(name: str) -> list[Any]:
            if name not in changed:
                changed[name] = list(batch[name]) if name in batch else [None] * n
            return changed[name]

        for i in active_rows(batch):
            text = texts[i]
            try:
                if not isinstance(text, str):
                    raise TypeError(f"field {self.text_field!r} is {type(text).__name__}, expected str")
                updates = self.process_record(text, batch, i)
            except Exception as exc:
                if not self.__dict__.get("_error_logged"):  # the first traceback per step and process is enough
                    self.__dict__["_error_logged"] = True
                    logger.warning("step %s raised on a record; it is quarantined", self.name, exc_info=True)
                column(ERROR)[i] = format_error(self.name, exc)
                continue
            for name, value in updates.items():
                column(name)[i] = value
        return {**batch, **changed}

    @abstractmethod
    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        """Column updates for row ``i`` (whose text is ``text``); raising quarantines the row."""


class TransformStep(RecordStep):
    """Rewrites the text.  Implement :meth:`transform` returning an :class:`~zhclean.text.edits.Explained`."""

    kind: ClassVar[str] = "transform"

    @abstractmethod
    def transform(self, text: str) -> Any:
        """Return ``Explained(new_text, edits)`` for ``text``."""

    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        explained = self.transform(text)
        if not explained.edits and explained.text == text:
            return {}
        value, count = append_edits(
            batch[EDITS][i] if EDITS in batch else None,
            batch[N_EDITS][i] if N_EDITS in batch else None,
            [e.to_dict() for e in explained.edits],
        )
        return {self.text_field: explained.text, EDITS: value, N_EDITS: count}


class FilterStep(RecordStep):
    """Judges the text.  Implement :meth:`drop_reason`; a reason moves the row to ``rejected/`` at the end."""

    kind: ClassVar[str] = "filter"

    @abstractmethod
    def drop_reason(self, text: str) -> str | None:
        """A short snake_case reason to drop ``text``, or ``None`` to keep it."""

    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        reason = self.drop_reason(text)
        return {} if reason is None else {DROP_REASON: reason}


class AnnotateStep(RecordStep):
    """Adds ``zh__*`` columns (scores, flags, titles).  Implement :meth:`annotate`."""

    kind: ClassVar[str] = "annotate"

    @abstractmethod
    def annotate(self, text: str) -> Mapping[str, Any]:
        """Reserved columns to set for ``text``."""

    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        updates = self.annotate(text)
        for name in updates:
            if not is_reserved(name) or name in (ERROR, DROP_REASON, EDITS, N_EDITS):
                raise ValueError(f"step {self.name!r} may only add its own zh__* columns, not {name!r}")
        return updates


class GlobalStep(Step):
    """A step that needs to see every shard before it can decide (dedup).

    The engine runs it in three moves, with a barrier after the second:

    1. :meth:`scan_batch` on every batch of every shard (in parallel) → picklable summaries;
    2. :meth:`combine` over all summaries, in shard and batch order → one decision (deterministic);
    3. :meth:`apply_batch` on every batch with that decision (in parallel) → the new batch.

    Only rows that are still active (see :func:`zhclean.record.active_rows`) should be considered.
    """

    kind: ClassVar[str] = "global"

    @abstractmethod
    def scan_batch(self, batch: Batch) -> Any:
        """A summary of one batch (small: it is kept until :meth:`combine` runs)."""

    @abstractmethod
    def combine(self, summaries: list[Any]) -> Any:
        """The decision, from all summaries in order."""

    @abstractmethod
    def apply_batch(self, batch: Batch, decision: Any) -> Batch:
        """Return a new batch with the decision applied (typically ``zh__drop_reason`` set)."""

    def process_batch(self, batch: Batch) -> Batch:
        raise TypeError(f"global step {self.name!r} runs through a plan: scan_batch, combine, then apply_batch")
