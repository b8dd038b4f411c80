"""The Ray engine: the same plan, passes and outputs as the local engine, executed by Ray Data on a cluster.

Ray is imported only here (``pip install 'zhclean[ray]'``); nothing else in zhclean imports this module.

How a run maps onto Ray Data (see ``docs/engines.md``)::

    groups of input files ──read tasks──▶ raw items, one block per shard     (zhclean's own readers, in Ray tasks)
        └─ map pass ──map_batches(actor pool)──▶ records (JSON rows)          phases fused, steps set up once per actor
        └─ scan     ──map_batches(actor pool)──▶ summaries ──▶ driver: combine (the barrier) ──▶ decision (ray.put)
        └─ map pass ──map_batches(actor pool)──▶ …                           applies the decision, next phases
        └─ final pass writes kept/ rejected/ quarantine/ parts and per-shard stats; the driver merges report.json

* **Passes** are the local engine's (:func:`zhclean.engine.local.build_passes`): phases up to a global step share a
  pass, each global step adds a scan.  A non-final pass is materialized in Ray's object store (spilled to disk when
  it does not fit) because both the scan and the next pass read it.
* **Reading.** The driver only groups input files the way the local engine cuts shards (a JSONL, Parquet or WARC
  file starts a new shard, consecutive text files share shards); each group is read by one Ray task with
  :func:`zhclean.io.shards.iter_chunks`, and parsing happens in the actors with
  :func:`zhclean.io.records.records_from_items`.  So bad lines are quarantined exactly as locally, with the same
  ids, and the shard and batch boundaries are the local engine's.  Ray's own JSON reader cannot do that: it fails
  a whole file on one bad line and has no line numbers for ``<file>:<line>`` ids.
* **Blocks** hold one row per record: its position (``zh__part``, ``zh__seq``) and the record as a JSON line, the
  encoding the local engine uses for its intermediate parts.  User columns whose type changes from record to record
  (a ``text`` that is sometimes a number) therefore never meet Arrow's one-type-per-column rule.
* **Global steps.** Scans run in parallel and return only their summaries (dedup: ~300 bytes per document); the
  driver collects them, orders them as the local engine does (shard, then batch) and calls ``combine``.  The
  decision goes to the actors through the object store.  The combine is the one step whose memory grows with the
  corpus on a single machine (dedup: about 1 GB at 1M documents).
* **Writing** uses zhclean's writers inside the final pass, so ``kept/``, ``rejected/``, ``quarantine/`` hold the
  same files and formats as locally; parts are named ``part-GGGGG-SSSSS`` (input group, shard within the group)
  because a Ray run never counts the shards of the whole input up front.  The output folder must be on a file
  system every node can write (one machine, or a shared mount on a cluster).
* **Statistics** are the local engine's per-shard stats files (``_work/pass-NN/done/…``), merged by the driver into
  the same ``report.json``.  A re-run recomputes everything: a Ray run does not resume half-way.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from zhclean.engine.base import RunResult, check_text_fields
from zhclean.engine.local import (
    WORK,
    PassSpec,
    WorkerSettings,
    build_passes,
    clean_work_parts,
    global_summaries,
    global_summary,
    prepare_out_dir,
)
from zhclean.io.inputs import InputFile
from zhclean.io.records import records_from_items
from zhclean.io.shards import ReadTotals, iter_chunks
from zhclean.io.writers import OUTCOME_DIRS, SplitSink, dumps_record, write_atomic
from zhclean.pipeline import Plan, apply_global, run_record_phase
from zhclean.record import Record, to_batch, to_records
from zhclean.report.merge import build_report, write_report
from zhclean.report.stats import ShardStats, merge_stats

logger = logging.getLogger(__name__)

PART = "zh__part"  # engine-internal columns of a Ray block (one row per shard); never written to the outputs
ROWS = "zh__rows"
# Every shard row is its own block (and so its own unit of work for the actor pools): Ray Data would otherwise
# pack all the shards a read task yields into one block, and one actor would process a whole input file.
MAX_BLOCK_BYTES = 1


@dataclass(frozen=True)
class ReadSettings:
    """What a read task needs (picklable)."""

    out_dir: Path
    records_per_shard: int
    max_record_bytes: int


class RayEngine:
    """Runs a plan on Ray Data; see the module docstring.

    Args:
        engine_config: the :class:`zhclean.config.EngineConfig`; ``workers`` is the size of each actor pool (and the
            CPUs of a local Ray instance this engine starts), ``batch_size`` the records per step call.
        address: a running Ray cluster to connect to (``ray://host:10001`` or ``host:6379``); default: the engine
            config's ``ray_address`` if it has one, else ``RAY_ADDRESS`` (Ray's own variable), else a new local Ray
            instance with ``workers`` CPUs that is shut down after the run.  If Ray is already initialised in this
            process, that instance is used as it is.
    """

    def __init__(self, engine_config: Any, address: str | None = None) -> None:
        self.config = engine_config
        self.address = address or getattr(engine_config, "ray_address", "") or os.environ.get("RAY_ADDRESS") or None

    def run(self, plan: Plan, inputs: Sequence[InputFile], out_dir: Path, config: Any) -> RunResult:
        import ray

        out_dir = Path(out_dir)
        started = time.perf_counter()
        check_text_fields(plan, config)
        prepare_out_dir(out_dir, plan, inputs, config)
        out_dir = out_dir.resolve()  # actors may run in another working directory
        started_ray = False
        if not ray.is_initialized():
            started_ray = True
            if self.address:
                ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False)
            else:
                workers = self.config.resolved_workers()
                ray.init(num_cpus=workers, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
        try:
            # workers = 0: every CPU of the cluster (of this machine, for a local instance).
            workers = self.config.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            ctx = ray.data.DataContext.get_current()
            saved = (ctx.enable_progress_bars, ctx.target_max_block_size)
            ctx.enable_progress_bars = bool(self.config.progress) and sys.stderr.isatty()
            ctx.target_max_block_size = MAX_BLOCK_BYTES
            # Ray Data's own notices (plans, progress-bar hints) only with zhclean -v; its errors always.
            verbose = logging.getLogger("zhclean").getEffectiveLevel() <= logging.INFO
            logging.getLogger("ray.data").setLevel(logging.INFO if verbose else logging.ERROR)
            settings = WorkerSettings(
                out_dir,
                config.io.text_field,
                config.io.id_field,
                config.io.format,
                config.engine.batch_size,
                logging.getLogger("zhclean").getEffectiveLevel(),
            )
            read = ReadSettings(out_dir, config.io.records_per_shard, config.io.max_record_bytes)
            try:
                with warnings.catch_warnings():
                    # A run with fewer shards than workers is fine; Ray Data would warn about every such pass.
                    warnings.filterwarnings("ignore", message="The minimum number of concurrent actors")
                    n_shards = _execute(plan, _groups(inputs), settings, read, workers)
            finally:
                ctx.enable_progress_bars, ctx.target_max_block_size = saved
        finally:
            if started_ray:
                ray.shutdown()
        stats = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out_dir / WORK).glob("pass-*/done/*.json"))]
        totals = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out_dir / WORK / "read").glob("*.json"))]
        wall = time.perf_counter() - started
        merged = merge_stats(stats)
        processed = int(merged.get("records_in", 0))
        report = build_report(
            merged,
            {
                "bytes_in": sum(t["bytes_in"] for t in totals),
                "blank_lines_skipped": sum(t["blank_lines"] for t in totals),
                "input_warnings": [w for t in totals for w in t["warnings"]],
                "shards": {"total": n_shards, "done_before_this_run": 0},
                "timings": {
                    "wall_seconds": round(wall, 3),
                    "docs_per_second": round(processed / wall, 1) if wall > 0 else 0.0,
                },
                "plan": plan.describe().splitlines(),
                "global_steps": global_summaries(out_dir),
                "format": config.io.format,
                "outputs": {k: str(out_dir / v) for k, v in OUTCOME_DIRS.items()},
                "engine": {"name": "ray", "workers": workers, "ray_version": ray.__version__},
            },
        )
        write_report(out_dir / "report.json", report)
        clean_work_parts(out_dir)
        return RunResult(out_dir, report)


# -- driver side ----------------------------------------------------------------------------------------------------


def _groups(inputs: Sequence[InputFile]) -> list[list[InputFile]]:
    """Input files in read groups whose shards are the local engine's: consecutive text files share a group."""
    groups: list[list[InputFile]] = []
    for inp in inputs:
        if inp.format == "text" and groups and groups[-1][-1].format == "text":
            groups[-1].append(inp)
        else:
            groups.append([inp])
    return groups


def _execute(
    plan: Plan, groups: list[list[InputFile]], settings: WorkerSettings, read: ReadSettings, workers: int
) -> int:
    """Run every pass; returns the number of shards.  Only shard stats and global summaries reach the driver."""
    import ray

    passes = build_passes(plan)
    pool = ray.data.ActorPoolStrategy(size=max(1, workers))
    # One tiny row per input group: what the read tasks are scheduled by (no data).  A read task needs no CPU of
    # its own, so the actor pools may use every CPU without starving the reads that feed them.
    ds = ray.data.from_items([{"group": g} for g in range(len(groups))], override_num_blocks=max(1, len(groups)))
    ds = ds.map_batches(_read_groups, fn_args=(groups, read), batch_size=1, batch_format="pyarrow", num_cpus=0)
    # The read task's per-shard output blocks are the unit of work of every later pass.
    decisions: dict[int, Any] = {}
    n_shards = 0
    for spec in passes:
        if spec.kind == "scan":
            step = plan.phases[spec.phase].global_step
            scanned = ds.map_batches(
                _ScanPass,
                fn_constructor_args=(plan, spec, settings),
                batch_size=1,
                batch_format="pyarrow",
                compute=pool,
            )
            # Summaries only, in the local engine's order (shard, then batch); never the records themselves.
            parts: list[tuple[str, bytes]] = []
            for batch in scanned.iter_batches(batch_format="pyarrow", batch_size=None):
                parts.extend(zip(batch[PART].to_pylist(), batch[ROWS].to_pylist(), strict=True))
            parts.sort(key=lambda p: tuple(int(x) for x in p[0].split("-")))
            summaries = [s for _, blob in parts for s in pickle.loads(blob)]
            del parts, scanned
            decision = step.combine(summaries)
            del summaries
            summary = getattr(decision, "summary", None)
            if isinstance(summary, dict):
                write_atomic(
                    global_summary(settings.out_dir, spec.phase, step.name),
                    json.dumps(summary, ensure_ascii=False).encode(),
                )
            decisions[spec.phase] = ray.put(decision)
            del decision
            continue
        refs = {k: decisions[k] for op, k in spec.ops if op == "apply"}
        ds = ds.map_batches(
            _MapPass,
            fn_constructor_args=(plan, spec, settings, [refs]),  # in a list: Ray must not resolve the refs itself
            batch_size=1,
            batch_format="pyarrow",
            compute=pool,
        )
        if spec.final:
            for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                n_shards += batch.num_rows  # one small row per shard
        else:
            # Both the scan and the next pass read this pass's records: keep them in the object store.
            ds = ds.materialize()
    return n_shards


# -- worker side ----------------------------------------------------------------------------------------------------


def _read_groups(batch: Any, groups: list[list[InputFile]], read: ReadSettings) -> Iterator[Any]:
    """A read task: the raw items of one input group, one row per shard (zhclean's readers, as locally)."""

    for group in batch["group"].to_pylist():
        totals = ReadTotals()
        for chunk in iter_chunks(groups[group], read.records_per_shard, read.max_record_bytes, totals):
            # A RawItem's payload is bytes (JSONL line, text file) or a dict (Parquet row, WARC payload): pickled
            # as is, so the actors parse exactly what the local engine's workers parse.
            yield _shard_table([f"{group:05d}-{chunk.shard:05d}"], [pickle.dumps(chunk.items, pickle.HIGHEST_PROTOCOL)])
        data = {
            "bytes_in": totals.bytes_in,
            "blank_lines": totals.blank_lines,
            "warnings": [asdict(w) for w in totals.warnings],
        }
        write_atomic(read.out_dir / WORK / "read" / f"group-{group:05d}.json", json.dumps(data).encode("utf-8"))


def _shard_table(parts: list[str], blobs: list[bytes]) -> Any:
    import pyarrow as pa

    return pa.table({PART: pa.array(parts, pa.string()), ROWS: pa.array(blobs, pa.large_binary())})


def _encode_records(records: list[Record]) -> bytes:
    """A shard's records as JSONL bytes: the encoding of the local engine's intermediate parts."""
    return b"".join(dumps_record(r) for r in records)


def _decode_records(blob: bytes) -> list[Record]:
    return [json.loads(line) for line in blob.splitlines() if line]


def _setup_logging(level: int) -> None:
    package_logger = logging.getLogger("zhclean")
    if not any(getattr(h, "_zhclean_ray", False) for h in package_logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("zhclean: ray worker %(process)d: %(levelname)s: %(message)s"))
        handler._zhclean_ray = True  # type: ignore[attr-defined]
        package_logger.addHandler(handler)
    package_logger.setLevel(level)


def _batched(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _write_marker(out_dir: Path, spec: PassSpec, part: str, stats: ShardStats, start: float) -> dict[str, Any]:
    stats.add("seconds", time.perf_counter() - start)
    data = stats.to_dict()
    path = out_dir / WORK / f"pass-{spec.index:02d}" / "done" / f"part-{part}.json"
    write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return data


class _MapPass:
    """One map pass as an actor: its steps are set up once, then it runs shard after shard."""

    def __init__(self, plan: Plan, spec: PassSpec, settings: WorkerSettings, refs: list[dict[int, Any]]) -> None:
        import ray

        _setup_logging(settings.log_level)
        self.plan, self.spec, self.settings = plan, spec, settings
        self.decisions = {k: ray.get(ref) for k, ref in refs[0].items()}
        for _, k in spec.ops:
            for step in plan.phases[k].steps:
                step.ensure_setup()

    def __call__(self, table: Any) -> Any:
        import pyarrow as pa

        parts, blobs, counts = [], [], []
        for part, blob in zip(table[PART].to_pylist(), table[ROWS].to_pylist(), strict=True):
            start = time.perf_counter()
            stats = ShardStats()
            if self.spec.reads is None:
                items = pickle.loads(blob)
                records = list(records_from_items(items, self.settings.text_field, self.settings.id_field))
            else:
                records = _decode_records(blob)
            sink = SplitSink(self.settings.out_dir, f"part-{part}", self.settings.format) if self.spec.final else None
            out_records: list[Record] = []
            for chunk in _batched(records, self.settings.batch_size):
                batch = to_batch(chunk)
                if self.spec.reads is None:
                    stats.count_input(batch, self.settings.text_field)
                for op, k in self.spec.ops:
                    phase = self.plan.phases[k]
                    if op == "record":
                        batch, measures = run_record_phase(phase, batch)
                        stats.count_steps(measures)
                    else:
                        batch, measure = apply_global(phase.global_step, batch, self.decisions[k])
                        stats.count_steps([measure])
                if sink is not None:
                    stats.count_outcomes(batch, self.settings.text_field)
                    sink.write_batch(batch)
                else:
                    out_records.extend(to_records(batch))
            if sink is not None:
                sink.commit()
            data = _write_marker(self.settings.out_dir, self.spec, part, stats, start)
            parts.append(part)
            counts.append(int(data.get("records_in", 0)))
            if not self.spec.final:
                blobs.append(_encode_records(out_records))
        if self.spec.final:  # what reaches the driver: one small row per shard
            return pa.table({PART: pa.array(parts, pa.string()), "records_in": pa.array(counts, pa.int64())})
        return _shard_table(parts, blobs)


class _ScanPass:
    """A global step's scan as an actor: one row of pickled summaries per shard."""

    def __init__(self, plan: Plan, spec: PassSpec, settings: WorkerSettings) -> None:
        _setup_logging(settings.log_level)
        self.step = plan.phases[spec.phase].global_step
        self.spec, self.settings = spec, settings
        self.step.ensure_setup()

    def __call__(self, table: Any) -> Any:
        parts, blobs = [], []
        for part, blob in zip(table[PART].to_pylist(), table[ROWS].to_pylist(), strict=True):
            start = time.perf_counter()
            records = _decode_records(blob)
            summaries = [self.step.scan_batch(to_batch(c)) for c in _batched(records, self.settings.batch_size)]
            parts.append(part)
            blobs.append(pickle.dumps(summaries, protocol=pickle.HIGHEST_PROTOCOL))
            _write_marker(self.settings.out_dir, self.spec, part, ShardStats(), start)
        return _shard_table(parts, blobs)
