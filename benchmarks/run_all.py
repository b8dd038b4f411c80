#!/usr/bin/env python3
"""Run every benchmark in turn, then regenerate the README tables from the results.

    python benchmarks/run_all.py            # the figures of the README: restore, clean, dedup, memory and scaling
    python benchmarks/run_all.py --quick    # a smoke run (small sizes, one round), results in benchmarks/_work/
    python benchmarks/run_all.py --only memory dedup     # some of them
    python benchmarks/run_all.py --with-ray             # also the Ray engine (needs the ray extra)

What runs (each in its own process, so one's memory does not weigh on the next; the anchors need
``pip install --group bench --group anchors -e .`` or run as "skipped" without them):

==========  =================================================================================================
restore     quality and MB/s per core of zhclean and the anchors (ftfy, OpenCC, datatrove, Data-Juicer)
clean       cost of the clean and score steps relative to restore, on ../shared/realdata (skipped without it)
dedup       mirror-cluster precision/recall, signature MB/s per core, 1,000,000 documents through the dedup phases
memory      `zhclean run` with the default pipeline: peak RSS, docs/s and MB/s per core at 10k and 100k records,
            and the scaling from 1 to 2 workers on 10k records
ray         (``--with-ray``) the Ray engine against the local engine on 1 and 2 workers
==========  =================================================================================================

The whole default run takes about 40 minutes on a 2-core machine; each result lands in
``benchmarks/results/<date>-<cores>core-<name>.json`` and ``benchmarks/render.py`` rewrites the README block.
``--quick`` writes to ``benchmarks/_work/quick-results/`` instead and prints the tables without touching the README,
so a smoke run never replaces recorded figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> (script, full arguments, --quick arguments)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "restore": ("bench_restore.py", [], ["--rounds", "1", "--clean-mb", "2", "--scale", "0.25"]),
    "clean": ("bench_clean.py", [], ["--repeats", "1"]),
    "dedup": ("bench_dedup.py", ["--scale-docs", "1000000"], ["--articles", "60", "--speed-mb", "1"]),
    "memory": ("bench_memory.py", ["--sizes", "10000", "100000", "--workers", "1", "2", "--scaling-size", "10000"],
               ["--sizes", "1000", "--workers", "1", "2", "--scaling-size", "1000"]),
    "ray": ("bench_ray.py", [], ["--docs", "300"]),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and one round: checks that everything runs")
    ap.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these")
    ap.add_argument("--with-ray", action="store_true", help="also run the Ray engine benchmark")
    ap.add_argument("--no-render", action="store_true", help="do not rewrite the README block")
    args = ap.parse_args(argv)
    names = args.only or [n for n in BENCHMARKS if n != "ray" or args.with_ray]
    env = dict(os.environ)
    if args.quick:
        env["ZHCLEAN_BENCH_RESULTS"] = str(HERE / "_work" / "quick-results")
    failed = []
    for name in names:
        script, full, quick = BENCHMARKS[name]
        cmd = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        start = time.perf_counter()
        code = subprocess.run(cmd, check=False, env=env).returncode
        print(f"== {name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(name)
    if args.quick:
        subprocess.run([sys.executable, str(HERE / "render.py"), "--stdout"], check=False, env=env)
    elif not args.no_render:
        subprocess.run([sys.executable, str(HERE / "render.py")], check=False, env=env)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
