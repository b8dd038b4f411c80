"""Pipeline → plan → phases.

A :class:`Pipeline` is an ordered tuple of steps.  :meth:`Pipeline.plan` groups consecutive per-record steps into
one :class:`Phase` (an engine runs a phase as one fused function per batch) and gives every global step a phase of
its own; between phases there is a barrier.  Planning returns new objects and never changes the pipeline.

:meth:`Pipeline.run_local` runs a plan in memory, for tests, notebooks and small inputs; engines in
:mod:`zhclean.engine` run the same plan over shards.

Examples:
    >>> from zhclean.steps.library import MinLength
    >>> p = Pipeline([MinLength(min_chars=3)])
    >>> out = p.run_local([{"text": "一二三"}, {"text": "一", "id": 7}])
    >>> [(r["zh__id"], r.get("zh__drop_reason")) for r in out]
    [('record:1', None), ('7', 'too_short')]
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from zhclean.errors import ConfigError
from zhclean.record import (
    DROP_REASON,
    ERROR,
    ID,
    Batch,
    Record,
    active_rows,
    batch_len,
    format_error,
    to_batch,
    to_records,
)
from zhclean.steps.base import GlobalStep, Step


@dataclass(frozen=True)
class StepMeasure:
    """What one step did to one batch (the engine adds these up into the report)."""

    step: str
    records: int  # active rows the step saw
    changed: int  # rows whose text it changed
    dropped: int  # rows it gave a drop reason
    errors: int  # rows it quarantined
    seconds: float


@dataclass(frozen=True)
class Phase:
    """Steps that run together: several per-record steps (``kind="record"``) or one global step."""

    kind: Literal["record", "global"]
    steps: tuple[Step, ...]

    @property
    def global_step(self) -> GlobalStep:
        """The step of a global phase."""
        step = self.steps[0]
        if self.kind != "global" or not isinstance(step, GlobalStep):
            raise TypeError("not a global phase")
        return step


@dataclass(frozen=True)
class Plan:
    """The phases of a pipeline, in order."""

    phases: tuple[Phase, ...]

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(s for phase in self.phases for s in phase.steps)

    def setup(self) -> None:
        """Set up every step once in this process (a worker calls this before its first batch)."""
        for step in self.steps:
            step.ensure_setup()

    def describe(self) -> str:
        """One line per phase, e.g. ``phase 1 (record): restore → min_length``."""
        lines = []
        for n, phase in enumerate(self.phases, 1):
            lines.append(f"phase {n} ({phase.kind}): " + " → ".join(s.name for s in phase.steps))
        return "\n".join(lines)


def run_record_phase(phase: Phase, batch: Batch) -> tuple[Batch, list[StepMeasure]]:
    """Run the steps of a per-record phase on one batch; returns the new batch and one measure per step."""
    measures = []
    for step in phase.steps:
        before = batch
        start = time.perf_counter()
        batch = step.process_batch(before)
        seconds = time.perf_counter() - start
        measures.append(_measure(step, before, batch, seconds))
    return batch, measures


def apply_global(step: GlobalStep, batch: Batch, decision: Any) -> tuple[Batch, StepMeasure]:
    """Apply a global step's decision to one batch.  If it raises, the batch's active rows are quarantined."""
    start = time.perf_counter()
    try:
        out = step.apply_batch(batch, decision)
    except Exception as exc:
        errors = list(batch.get(ERROR) or [None] * batch_len(batch))
        for i in active_rows(batch):
            errors[i] = format_error(step.name, exc)
        out = {**batch, ERROR: errors}
    return out, _measure(step, batch, out, time.perf_counter() - start)


def _measure(step: Step, before: Batch, after: Batch, seconds: float) -> StepMeasure:
    def newly_set(column: str) -> int:
        old, new = before.get(column), after.get(column)
        if new is None or new is old:
            return 0
        return sum(1 for i, v in enumerate(new) if v is not None and (old is None or old[i] is None))

    old_text, new_text = before.get(step.text_field), after.get(step.text_field)
    changed = 0
    if old_text is not None and new_text is not None and new_text is not old_text:
        changed = sum(1 for a, b in zip(old_text, new_text, strict=True) if a is not b and a != b)
    return StepMeasure(step.name, len(active_rows(before)), changed, newly_set(DROP_REASON), newly_set(ERROR), seconds)


class Pipeline:
    """An ordered list of steps; build it in Python or with :func:`zhclean.config.load_config`."""

    def __init__(self, steps: Iterable[Step], *, text_field: str = "text") -> None:
        steps = tuple(steps)
        seen: set[str] = set()
        for step in steps:
            if not isinstance(step, Step):
                raise ConfigError(f"a pipeline takes Step objects, got {type(step).__name__}: {step!r}")
            if step.name in seen:
                raise ConfigError(f"step {step.name!r} appears twice in the pipeline; give it once")
            seen.add(step.name)
        if any(s.text_field != text_field for s in steps):
            steps = tuple(dataclasses.replace(s, text_field=text_field) for s in steps)
        self._steps = steps
        self._text_field = text_field

    @property
    def steps(self) -> tuple[Step, ...]:
        return self._steps

    @property
    def text_field(self) -> str:
        return self._text_field

    def with_text_field(self, text_field: str) -> Pipeline:
        """A new pipeline whose steps read and write ``text_field``."""
        return Pipeline(self._steps, text_field=text_field)

    def plan(self) -> Plan:
        """Group steps into phases (a new object; the pipeline is not changed)."""
        phases: list[Phase] = []
        run: list[Step] = []
        for step in self._steps:
            if isinstance(step, GlobalStep):
                if run:
                    phases.append(Phase("record", tuple(run)))
                    run = []
                phases.append(Phase("global", (step,)))
            else:
                run.append(step)
        if run:
            phases.append(Phase("record", tuple(run)))
        return Plan(tuple(phases))

    def describe(self) -> str:
        return self.plan().describe()

    def run_local(self, records: Iterable[Record], *, batch_size: int = 1000, id_field: str = "id") -> list[Record]:
        """Run the pipeline in memory and return every record with its ``zh__*`` columns, dropped ones included.

        Like the engines' readers, it gives each record a ``zh__id`` (its ``id_field``, else ``record:<n>``).
        Global phases need all records at once, so this is for tests, notebooks and small inputs; use
        :mod:`zhclean.engine` for a corpus.
        """
        plan = self.plan()
        plan.setup()
        with_ids = (_with_id(rec, n, id_field) for n, rec in enumerate(records, 1))
        batches = [to_batch(chunk) for chunk in _chunks(with_ids, batch_size)]
        for phase in plan.phases:
            if phase.kind == "record":
                batches = [run_record_phase(phase, b)[0] for b in batches]
            else:
                step = phase.global_step
                decision = step.combine([step.scan_batch(b) for b in batches])
                batches = [apply_global(step, b, decision)[0] for b in batches]
        return [rec for b in batches for rec in to_records(b)]

    def __repr__(self) -> str:
        return f"Pipeline([{', '.join(repr(s) for s in self._steps)}])"


def _with_id(rec: Record, n: int, id_field: str) -> Record:
    if ID in rec:
        return rec
    value = rec.get(id_field)
    return {**rec, ID: f"record:{n}" if value is None else str(value)}


def _chunks(items: Iterable[Record], size: int) -> Iterator[Sequence[Record]]:
    chunk: list[Record] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
