"""The local engine: shards → a pool of worker processes → per-shard outputs, stats and completion markers.

How a run is laid out on disk (``OUT`` is the output folder)::

    OUT/kept/part-00000.jsonl.zst        records that passed (or .parquet with format = "parquet")
    OUT/rejected/part-00000.jsonl.zst    records a filter dropped, with zh__drop_reason
    OUT/quarantine/part-00000.jsonl.zst  records that could not be read or processed, with zh__error
    OUT/report.json                      the merged statistics
    OUT/run.json, OUT/config.toml        versions, input fingerprint and the resolved config
    OUT/_work/pass-00/done/part-00000.json   a shard's stats: its completion marker, written last

The plan becomes a list of *passes*.  A pass reads the input (or the previous pass's intermediate parts), runs one
or more phases on each shard and writes its parts.  A global step adds a *scan* pass (summaries of every shard), a
barrier where the driver combines the summaries into a decision, and applies that decision at the start of the
next pass.  Every part is written under a temporary name and renamed; the marker comes last, so after Ctrl-C or
``kill -9`` the same command skips the finished shards and redoes the others.

Workers are started with ``spawn`` (safe on every platform and with threads); each one builds the steps' state in
``setup()`` once, then processes shard after shard.  The driver reads the input and hands raw lines to the workers
through a bounded queue, so memory does not grow with the input.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing as mp
import os
import pickle
import queue
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from zhclean.engine.base import RunResult, ShardFailedError, check_text_fields
from zhclean.errors import ConfigError
from zhclean.io.inputs import InputFile
from zhclean.io.records import records_from_items
from zhclean.io.shards import RawItem, ReadTotals, iter_chunks, part_name
from zhclean.io.writers import OUTCOME_DIRS, IntermediateSink, SplitSink, read_jsonl, write_atomic
from zhclean.pipeline import Plan, apply_global, run_record_phase
from zhclean.record import Record, to_batch
from zhclean.report.merge import build_report, write_report
from zhclean.report.stats import ShardStats, merge_stats

logger = logging.getLogger(__name__)

WORK = "_work"
# How often idle loops wake up to check that workers (and, in a worker, the driver) are still alive.
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class PassSpec:
    """One pass over all shards.

    Attributes:
        index: position in the pass list (names the ``_work/pass-NN`` folder).
        kind: ``map`` runs phases and writes parts; ``scan`` runs a global step's ``scan_batch``.
        ops: for a map pass, ``("record", phase)`` or ``("apply", phase)`` in order.
        phase: for a scan pass, the global phase it scans for.
        reads: the map pass whose intermediate parts this pass reads; None for the input.
        final: this pass writes ``kept/``, ``rejected/`` and ``quarantine/``.
    """

    index: int
    kind: Literal["map", "scan"]
    ops: tuple[tuple[str, int], ...] = ()
    phase: int = -1
    reads: int | None = None
    final: bool = False


def build_passes(plan: Plan) -> tuple[PassSpec, ...]:
    """Turn the plan's phases into passes: phases up to a global step share a pass; each global step adds a scan."""
    passes: list[PassSpec] = []
    ops: list[tuple[str, int]] = []
    reads: int | None = None
    for k, phase in enumerate(plan.phases):
        if phase.kind == "record":
            ops.append(("record", k))
            continue
        passes.append(PassSpec(len(passes), "map", tuple(ops), reads=reads))
        map_index = len(passes) - 1
        passes.append(PassSpec(len(passes), "scan", phase=k, reads=map_index))
        reads, ops = map_index, [("apply", k)]
    passes.append(PassSpec(len(passes), "map", tuple(ops), reads=reads, final=True))
    return tuple(passes)


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs besides the plan (picklable)."""

    out_dir: Path
    text_field: str
    id_field: str
    format: str
    batch_size: int
    log_level: int = logging.WARNING


class LocalEngine:
    """Process pool over shards; see the module docstring."""

    def __init__(self, engine_config: Any) -> None:
        self.config = engine_config

    def run(self, plan: Plan, inputs: Sequence[InputFile], out_dir: Path, config: Any) -> RunResult:
        out_dir = Path(out_dir)
        started = time.perf_counter()
        check_text_fields(plan, config)
        prepare_out_dir(out_dir, plan, inputs, config)
        passes = build_passes(plan)
        settings = WorkerSettings(
            out_dir,
            config.io.text_field,
            config.io.id_field,
            config.io.format,
            config.engine.batch_size,
            logging.getLogger("zhclean").getEffectiveLevel(),
        )
        totals = ReadTotals()
        done_before = 0
        processed_now = 0
        with _WorkerPool(self.config.resolved_workers(), plan, passes, settings) as pool:
            n_shards = 0
            with _progress(self.config.progress, "docs") as bar:

                def on_input_done(key: tuple[int, int], stats: dict[str, Any]) -> None:
                    nonlocal processed_now
                    processed_now += stats.get("records_in", 0)
                    bar.update(stats.get("records_in", 0))
                    bar.set_postfix_str(f"{totals.bytes_in / 1e6 / max(bar.format_dict['elapsed'], 1e-9):.1f} MB/s")

                first = passes[0]
                chunks = iter_chunks(list(inputs), config.io.records_per_shard, config.io.max_record_bytes, totals)
                for chunk in chunks:
                    n_shards += 1
                    marker = _marker(out_dir, first.index, chunk.shard)
                    if marker.exists():
                        done_before += 1
                        bar.update(len(chunk.items))
                        continue
                    pool.submit((first.index, chunk.shard), chunk.items, on_input_done)
                pool.wait_all(on_input_done)
            for spec in passes[1:]:
                pending = [s for s in range(n_shards) if not _marker(out_dir, spec.index, s).exists()]
                if pending and spec.kind == "map" and passes[spec.index - 1].kind == "scan":
                    _combine(plan, passes[spec.index - 1], n_shards, out_dir)
                with _progress(self.config.progress, "shards") as bar:
                    bar.total = n_shards

                    def on_shard_done(key: tuple[int, int], stats: dict[str, Any], bar: Any = bar) -> None:
                        bar.update(1)

                    bar.update(n_shards - len(pending))
                    for shard in pending:
                        pool.submit((spec.index, shard), None, on_shard_done)
                    pool.wait_all(on_shard_done)
        shard_stats = [
            json.loads(_marker(out_dir, spec.index, shard).read_text(encoding="utf-8"))
            for spec in passes
            for shard in range(n_shards)
        ]
        wall = time.perf_counter() - started
        report = build_report(
            merge_stats(shard_stats),
            {
                "bytes_in": totals.bytes_in,
                "blank_lines_skipped": totals.blank_lines,
                "input_warnings": [asdict(w) for w in totals.warnings],
                "shards": {"total": n_shards, "done_before_this_run": done_before},
                "timings": {
                    "wall_seconds": round(wall, 3),
                    "docs_per_second": round(processed_now / wall, 1) if wall > 0 else 0.0,
                },
                "plan": plan.describe().splitlines(),
                "global_steps": global_summaries(out_dir),
                "format": config.io.format,
                "outputs": {k: str(out_dir / v) for k, v in OUTCOME_DIRS.items()},
            },
        )
        write_report(out_dir / "report.json", report)
        clean_work_parts(out_dir)
        return RunResult(out_dir, report)


# -- driver side ----------------------------------------------------------------------------------------------------


def prepare_out_dir(out_dir: Path, plan: Plan, inputs: Sequence[InputFile], config: Any) -> None:
    """Check that ``out_dir`` is new or holds the same run (then it resumes), and record the run."""
    from zhclean.config import dump_toml, package_versions

    # The plan's steps, not the config's: a pipeline composed in Python has no steps in its config.
    resolved = {**config.to_dict(), "steps": [{"name": s.name, **s.params()} for s in plan.steps]}
    fingerprint_of = {
        "steps": resolved["steps"],
        "io": resolved["io"],
        "inputs": [[i.name, i.format, i.path.stat().st_size] for i in inputs],
        "version": package_versions().get("zhclean", ""),
    }
    fingerprint = hashlib.sha256(json.dumps(fingerprint_of, sort_keys=True, default=str).encode()).hexdigest()[:16]
    run_file = out_dir / "run.json"
    if run_file.exists():
        try:
            previous = json.loads(run_file.read_text(encoding="utf-8")).get("fingerprint")
        except (OSError, ValueError):
            previous = None
        if previous != fingerprint:
            raise ConfigError(
                f"{out_dir} holds a run with other inputs or settings; choose a new -o folder or delete this one"
            )
    elif out_dir.exists() and any(out_dir.iterdir()):
        raise ConfigError(f"{out_dir} exists and is not a zhclean run folder; choose a new or empty -o folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    record = {
        "fingerprint": fingerprint,
        "versions": package_versions(),
        "inputs": fingerprint_of["inputs"],
        "config": resolved,
    }
    write_atomic(run_file, (json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8"))
    write_atomic(out_dir / "config.toml", dump_toml(resolved).encode("utf-8"))


def _marker(out_dir: Path, pass_index: int, shard: int) -> Path:
    return out_dir / WORK / f"pass-{pass_index:02d}" / "done" / f"{part_name(shard)}.json"


def _intermediate(out_dir: Path, pass_index: int, shard: int) -> Path:
    return out_dir / WORK / f"pass-{pass_index:02d}" / f"{part_name(shard)}.jsonl.zst"


def _summary(out_dir: Path, pass_index: int, shard: int) -> Path:
    return out_dir / WORK / f"pass-{pass_index:02d}" / f"{part_name(shard)}.scan.pkl"


def _decision(out_dir: Path, phase: int) -> Path:
    return out_dir / WORK / f"phase-{phase:02d}-decision.pkl"


def _combine(plan: Plan, scan: PassSpec, n_shards: int, out_dir: Path) -> None:
    """The barrier: combine every shard's summaries, in shard order, into the global step's decision."""
    path = _decision(out_dir, scan.phase)
    if path.exists():
        return
    summaries: list[Any] = []
    for shard in range(n_shards):
        summaries.extend(pickle.loads(_summary(out_dir, scan.index, shard).read_bytes()))
    step = plan.phases[scan.phase].global_step
    decision = step.combine(summaries)
    # A decision may carry a JSON summary for the report (dedup: cluster sizes and the biggest clusters).
    summary = getattr(decision, "summary", None)
    if isinstance(summary, dict):
        write_atomic(global_summary(out_dir, scan.phase, step.name), json.dumps(summary, ensure_ascii=False).encode())
    write_atomic(path, pickle.dumps(decision, protocol=pickle.HIGHEST_PROTOCOL))


def global_summary(out_dir: Path, phase: int, name: str) -> Path:
    return out_dir / WORK / f"phase-{phase:02d}-{name}.summary.json"


def global_summaries(out_dir: Path) -> dict[str, Any]:
    """The summaries global steps left for the report, by step name."""
    out = {}
    for p in sorted((out_dir / WORK).glob("phase-*.summary.json")):
        out[p.name[len("phase-00-") : -len(".summary.json")]] = json.loads(p.read_text(encoding="utf-8"))
    return out


def clean_work_parts(out_dir: Path) -> None:
    """Remove intermediate parts and leftover temporary files once the run is complete (markers stay)."""
    work = out_dir / WORK
    for pattern in ("pass-*/*.jsonl.zst", "pass-*/*.scan.pkl", "phase-*-decision.pkl"):
        for path in work.glob(pattern):
            path.unlink(missing_ok=True)
    for folder in (out_dir, *(out_dir / d for d in OUTCOME_DIRS.values())):
        for path in folder.glob(".*.tmp"):
            path.unlink(missing_ok=True)


class _NoBar:
    """Stands in for a tqdm bar when there is no terminal to draw on."""

    total: int | None = None

    @property
    def format_dict(self) -> dict[str, float]:
        return {"elapsed": 1.0}

    def update(self, n: int) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _progress(enabled: bool, unit: str) -> Any:
    """A tqdm bar on stderr (docs/s from tqdm, MB/s as postfix), or a silent stand-in when not on a terminal."""
    if not enabled or not sys.stderr.isatty():
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit=unit, unit_scale=True, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


class _WorkerPool:
    """Worker processes fed through a bounded queue; started on demand, at most ``size``."""

    def __init__(self, size: int, plan: Plan, passes: tuple[PassSpec, ...], settings: WorkerSettings) -> None:
        self._ctx = mp.get_context("spawn")
        self._size = max(1, size)
        self._args = (plan, passes, settings)
        # One queued shard per worker keeps them busy; more would only hold raw input in memory.
        self._tasks: Any = self._ctx.Queue(maxsize=self._size)
        self._results: Any = self._ctx.Queue()
        self._procs: list[Any] = []
        self._outstanding: set[tuple[int, int]] = set()
        self._closing = False

    def __enter__(self) -> _WorkerPool:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._shutdown()
        else:
            self._terminate()

    def submit(self, key: tuple[int, int], items: list[RawItem] | None, on_done: Callable[..., None]) -> None:
        """Queue one task; waits (handling results) while the queue is full."""
        if len(self._procs) < self._size and len(self._outstanding) >= len(self._procs):
            proc = self._ctx.Process(target=_worker_main, args=(self._args, self._tasks, self._results, os.getpid()))
            proc.daemon = True
            proc.start()
            self._procs.append(proc)
        while True:
            try:
                self._tasks.put((key, items), timeout=POLL_SECONDS)
                break
            except queue.Full:
                self._handle_result(on_done, timeout=0)
        self._outstanding.add(key)
        while self._handle_result(on_done, timeout=0):
            pass

    def wait_all(self, on_done: Callable[..., None]) -> None:
        while self._outstanding:
            self._handle_result(on_done, timeout=POLL_SECONDS)

    def _handle_result(self, on_done: Callable[..., None], timeout: float) -> bool:
        try:
            kind, key, payload = self._results.get(timeout=timeout) if timeout else self._results.get_nowait()
        except queue.Empty:
            self._check_alive()
            return False
        if kind == "done":
            self._outstanding.discard(key)
            on_done(key, payload)
            return True
        where = "worker setup" if key is None else f"{part_name(key[1])} (pass {key[0]})"
        last = payload.strip().splitlines()[-1] if payload.strip() else "unknown error"
        logger.error("%s failed:\n%s", where, payload)
        raise ShardFailedError(f"{where} failed: {last}; fix it and re-run the same command to resume")

    def _check_alive(self) -> None:
        for proc in self._procs:
            if proc.exitcode is not None and not self._closing:
                if not self._results.empty():  # its last words (e.g. a setup error) are still in the pipe
                    return
                raise ShardFailedError(
                    f"a worker process died (exit code {proc.exitcode}, out of memory?); "
                    "re-run the same command to resume"
                )

    def _shutdown(self) -> None:
        self._closing = True
        for _ in self._procs:
            self._tasks.put(None)
        for proc in self._procs:
            proc.join(timeout=30)
        self._terminate()

    def _terminate(self) -> None:
        self._closing = True
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join(timeout=5)
        self._tasks.cancel_join_thread()


# -- worker side ----------------------------------------------------------------------------------------------------


def _worker_main(
    job: tuple[Plan, tuple[PassSpec, ...], WorkerSettings], tasks: Any, results: Any, driver_pid: int
) -> None:
    """A worker's life: set up the steps once, then run tasks until told to stop or the driver is gone."""
    plan, passes, settings = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C and stops the workers
    # A spawned process starts without logging configuration: show the steps' warnings (the first quarantined
    # record of each step, with its traceback) on stderr at the driver's level.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("zhclean: worker %(process)d: %(levelname)s: %(message)s"))
    package_logger = logging.getLogger("zhclean")
    package_logger.addHandler(handler)
    package_logger.setLevel(settings.log_level)
    package_logger.propagate = False
    try:
        plan.setup()
    except Exception:
        results.put(("failed", None, traceback.format_exc()))
        return
    decisions: dict[int, Any] = {}
    while True:
        try:
            task = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != driver_pid:  # the driver was killed: stop rather than linger
                return
            continue
        if task is None or os.getppid() != driver_pid:  # tasks left in the pipe of a killed driver are not ours
            return
        key, items = task
        try:
            stats = _run_task(plan, passes[key[0]], key[1], items, settings=settings, decisions=decisions)
        except Exception:
            results.put(("failed", key, traceback.format_exc()))
            continue
        results.put(("done", key, stats))


def _run_task(
    plan: Plan,
    spec: PassSpec,
    shard: int,
    items: list[RawItem] | None,
    *,
    settings: WorkerSettings,
    decisions: dict[int, Any],
) -> dict[str, Any]:
    start = time.perf_counter()
    out = settings.out_dir
    stats = ShardStats()
    if spec.reads is None:
        records: Iterable[Record] = records_from_items(items or [], settings.text_field, settings.id_field)
    else:
        records = read_jsonl(_intermediate(out, spec.reads, shard))
    if spec.kind == "scan":
        step = plan.phases[spec.phase].global_step
        summaries = [step.scan_batch(to_batch(chunk)) for chunk in _batched(records, settings.batch_size)]
        write_atomic(_summary(out, spec.index, shard), pickle.dumps(summaries, protocol=pickle.HIGHEST_PROTOCOL))
    else:
        sink = (
            SplitSink(out, part_name(shard), settings.format)
            if spec.final
            else IntermediateSink(_intermediate(out, spec.index, shard))
        )
        for chunk in _batched(records, settings.batch_size):
            batch = to_batch(chunk)
            if spec.reads is None:
                stats.count_input(batch, settings.text_field)
            for op, k in spec.ops:
                phase = plan.phases[k]
                if op == "record":
                    batch, measures = run_record_phase(phase, batch)
                    stats.count_steps(measures)
                else:
                    if k not in decisions:
                        decisions[k] = pickle.loads(_decision(out, k).read_bytes())
                    batch, measure = apply_global(phase.global_step, batch, decisions[k])
                    stats.count_steps([measure])
            if spec.final:
                stats.count_outcomes(batch, settings.text_field)
            sink.write_batch(batch)
        sink.commit()
    stats.add("seconds", time.perf_counter() - start)
    data = stats.to_dict()
    write_atomic(_marker(out, spec.index, shard), json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return data


def _batched(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
