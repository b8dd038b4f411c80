#!/usr/bin/env python3
"""Throughput of the Ray engine on 1 and 2 workers against the local engine, on the same data and pipeline.

    python benchmarks/bench_ray.py [--docs 2000] [--pipeline default|no-dedup] [--records-per-shard 100]

The input is the demo corpus (:func:`zhclean.simulate.corpus.build_demo_corpus`: damaged mirrors, duplicates, clean
pages and bad records).  Each run starts from an empty output folder; a Ray run starts its own local Ray instance
with ``workers`` CPUs (its start-up is part of the wall time, as it is for a user) and checks that its counts equal
the local engine's.  Results go to ``benchmarks/results/<date>-<cores>core-ray.json`` (``…-ray-no-dedup.json`` for
``--pipeline no-dedup``: one per-record pass, which shows the per-record scaling without the global barriers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from common import HERE, write_result

from zhclean.config import RunConfig
from zhclean.engine.base import run_pipeline

COUNTS = ("records_in", "kept", "rejected", "quarantined", "records_changed", "rules", "drop_reasons", "errors")


def run_once(corpus: Path, out: Path, engine: str, workers: int, no_dedup: bool, per_shard: int) -> dict:
    config = RunConfig().with_overrides(
        io={"records_per_shard": per_shard}, engine={"name": engine, "workers": workers, "progress": False}
    )
    pipeline = config.build_pipeline()
    if no_dedup:
        from zhclean.pipeline import Pipeline

        pipeline = Pipeline([s for s in pipeline.steps if s.name not in ("dedup", "consensus")])
    shutil.rmtree(out, ignore_errors=True)
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    report = run_pipeline(pipeline, [str(corpus)], out, config).report
    wall = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return {
        "engine": engine,
        "workers": workers,
        "wall_seconds": round(wall, 2),
        "docs_per_second": round(report["records_in"] / wall, 1),
        "mb_per_second": round(report["bytes_in"] / 1e6 / wall, 3),
        # The machine is shared: a 1-minute load average above the cores means these figures are pessimistic.
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "counts": {k: report[k] for k in COUNTS},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pipeline", choices=["default", "no-dedup"], default="default")
    parser.add_argument("--records-per-shard", type=int, default=100, help="shards are the unit of parallelism")
    args = parser.parse_args()
    from zhclean.simulate.corpus import build_demo_corpus

    work = HERE / "_work"
    work.mkdir(exist_ok=True)
    corpus = work / f"ray-demo-{args.docs}-{args.seed}.jsonl"
    if not corpus.exists():
        build_demo_corpus(corpus, n_docs=args.docs, seed=args.seed)
    runs = []
    for engine, workers in (("local", 1), ("local", 2), ("ray", 1), ("ray", 2)):
        no_dedup = args.pipeline == "no-dedup"
        result = run_once(corpus, work / "ray-bench-out", engine, workers, no_dedup, args.records_per_shard)
        print(
            f"{engine:<6} {workers} worker(s): {result['wall_seconds']:7.1f} s  {result['docs_per_second']:7.1f} docs/s"
        )
        runs.append(result)
    same = all(r["counts"] == runs[0]["counts"] for r in runs)
    import ray

    path = write_result(
        "ray" if args.pipeline == "default" else "ray-no-dedup",
        {
            "args": vars(args),
            "ray_version": ray.__version__,
            "input_mb": round(corpus.stat().st_size / 1e6, 2),
            "same_counts_as_local": same,
            "runs": [{k: v for k, v in r.items() if k != "counts"} for r in runs],
            "counts": runs[0]["counts"],
        },
    )
    print(f"same counts on every run: {same}; wrote {path}")


if __name__ == "__main__":
    main()
