#!/usr/bin/env python3
"""Peak memory, throughput and 1→2-worker scaling of `zhclean run` with the default pipeline (a benchmark, not a test).

    python benchmarks/bench_memory.py [--sizes 10000 100000] [--workers 1 2] [--scaling-size 10000]

The pipeline is the one a user gets from ``zhclean run`` without a config: restore → clean → score → quality_filter →
dedup → consensus (recorded in the result as ``pipeline``).  For each size it writes a JSONL.zst input (see
:func:`build_input`), runs ``python -m zhclean run`` on it in a subprocess and records:

* peak_tree_rss_mb: the highest total RSS of the run's whole process tree (driver, workers and multiprocessing's
  resource tracker), sampled every 0.2 s from /proc (or psutil when installed);
* peak_process_rss_mb: the highest RSS of any single process of the run (getrusage of the waited-for children);
* docs_per_second, mb_per_second (UTF-8 text in), mb_per_second_per_core (divided by the workers) and wall_seconds.

Every size runs with the largest ``--workers`` value; ``--scaling-size`` also runs with each smaller value, so the
result has docs/s at 1 and 2 workers on the same input (``scaling``: the speed-up of the most workers over one).
Flat memory means the peaks do not grow with the input size.  Results go to
``benchmarks/results/<date>-<cores>core-memory.json``; work files to ``benchmarks/_work/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import zstandard
from common import HERE, write_result

POOL_SIZE = 400  # simulated pages whose lines make up the large inputs
SAMPLE_SECONDS = 0.2
INPUT_VERSION = 3  # bump when build_input changes, so a cached input of the old shape is not reused


def build_input(path: Path, n: int) -> None:
    """``n`` records of distinct content with about 10 % near duplicates, from the sentences of simulated pages.

    Record ``i`` depends only on ``i``.  Odd records are damaged: the header lines (chrome, title, date, source) of
    one of 400 damaged simulated pages, then 4-8 lines of 2-3 sentences each, drawn from the prose of all of them
    (mojibake, injected pinyin and machine S→T as the simulator makes them); even records are clean, drawn the same
    way from the clean expected pages.  Recombining sentences instead of repeating whole pages keeps the records
    distinct after restoration (the 400 pages are damaged copies of a few dozen shipped articles), so dedup sees the
    duplicates the generator made rather than hundreds of copies of each article.  Every tenth record (from the
    tenth on) is an earlier record with one line replaced and its own number: a near duplicate dedup should cluster.
    """
    pools = _sentence_pools()
    cctx = zstandard.ZstdCompressor(level=3)
    with open(path, "wb") as fh, cctx.stream_writer(fh) as out:
        for i in range(n):
            text = _record_text(i, pools)
            out.write((json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n").encode("utf-8"))


Pools = dict[str, tuple[list[list[str]], list[str]]]  # kind -> (header lines of each page, every prose sentence)
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")  # not the ASCII '?', which marks lost bytes in damaged text


def _line(rng: random.Random, sentences: list[str]) -> str:
    return "".join(rng.choice(sentences) for _ in range(rng.randint(2, 3)))


def _record_text(i: int, pools: Pools) -> str:
    rng = random.Random(f"memory:{i}")
    if i >= 10 and i % 10 == 0:
        j = rng.randrange(i)
        lines = _record_text(j, pools).splitlines()[:-1]  # without j's number line
        lines[rng.randrange(len(lines))] = _line(rng, pools["damaged" if j % 2 else "clean"][1])
        return "\n".join([*lines, f"（编号 {i}）"])
    headers, sentences = pools["damaged" if i % 2 else "clean"]
    body = [_line(rng, sentences) for _ in range(rng.randint(4, 8))]
    return "\n".join([*rng.choice(headers), *body, f"（编号 {i}）"])


def _sentence_pools() -> Pools:
    from zhclean.simulate.corpus import synthetic_documents
    from zhclean.text.lexicon import Lexicon

    pools: Pools = {"damaged": ([], []), "clean": ([], [])}
    for d in synthetic_documents(POOL_SIZE, seed=0, lexicon=Lexicon.load()):
        for kind, page in (("damaged", d.damaged), ("clean", d.expected)):
            lines = [x for x in page.splitlines() if x.strip()]
            first_prose = next((k for k, x in enumerate(lines) if len(x.strip()) >= 20), len(lines))
            pools[kind][0].append(lines[:first_prose])
            for x in lines[first_prose:]:
                if len(x.strip()) >= 20 and "|" not in x:  # prose, not the SEO tail of county names
                    pools[kind][1].extend(m.strip() for m in _SENTENCE.findall(x) if len(m.strip()) >= 6)
    return pools


def _tree_rss_bytes(root: int) -> int:
    """Total RSS of the descendants of ``root`` (the measuring wrapper itself is not counted)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            proc = psutil.Process(root)
            procs = proc.children(recursive=True)
            return sum(p.memory_info().rss for p in procs if p.is_running())
        except psutil.Error:
            return 0
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int((entry / "statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
    total, todo = 0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measure(input_path: Path, out: Path, workers: int) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    # The wrapper reports getrusage(RUSAGE_CHILDREN) for this run alone: the max RSS of any process it waited for.
    wrapper = (
        "import json, resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:], check=False).returncode\n"
        "print(json.dumps({'code': code, 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    cmd = [sys.executable, "-m", "zhclean", "run", str(input_path), "-o", str(out), "--quiet",
           "--workers", str(workers)]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", wrapper, *cmd], stdout=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_bytes(proc.pid))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - start
    result = json.loads(stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"zhclean run failed with exit code {result['code']}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    shutil.rmtree(out, ignore_errors=True)
    mb = report["bytes_in"] / 1e6
    return {
        "records": report["records_in"],
        "workers": workers,
        "kept": report["kept"],
        "rejected": report["rejected"],
        "quarantined": report["quarantined"],
        "records_changed": report["records_changed"],
        "drop_reasons": report["drop_reasons"],
        "text_mb": round(mb, 2),
        "input_file_mb": round(input_path.stat().st_size / 1e6, 2),
        "peak_tree_rss_mb": round(peak / 1e6, 1),
        "peak_process_rss_mb": round(result["maxrss_kb"] / 1e3, 1),
        "wall_seconds": round(wall, 1),
        "docs_per_second": round(report["records_in"] / wall, 1),
        "mb_per_second": round(mb / wall, 3),
        "mb_per_second_per_core": round(mb / wall / workers, 3),
        # The machine may be shared: a 1-minute load average above the cores means the figures are pessimistic.
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts; every size runs with the largest, --scaling-size with each (default 1 2)")
    parser.add_argument("--scaling-size", type=int, default=10_000, help="the size run with every worker count")
    args = parser.parse_args(argv)
    from zhclean.steps.table import DEFAULT_STEPS

    work = HERE / "_work"
    work.mkdir(exist_ok=True)
    most = max(args.workers)
    plan = [(n, w) for n in sorted(set(args.sizes) | {args.scaling_size}) for w in sorted(set(args.workers))
            if w == most or n == args.scaling_size]
    runs = []
    for n, w in plan:
        path = work / f"memory-v{INPUT_VERSION}-{n}.jsonl.zst"
        if not path.exists():
            build_input(path, n)
        runs.append(measure(path, work / f"memory-{n}-out", w))
        print(json.dumps(runs[-1]), flush=True)
    scaling = {}
    for n in sorted({r["records"] for r in runs}):
        by_w = {r["workers"]: r["docs_per_second"] for r in runs if r["records"] == n}
        if len(by_w) > 1:
            scaling[str(n)] = {"workers": sorted(by_w), "speedup": round(by_w[max(by_w)] / by_w[min(by_w)], 2)}
    path = write_result("memory", {"args": vars(args), "pipeline": list(DEFAULT_STEPS), "input_version": INPUT_VERSION,
                                   "runs": runs, "scaling": scaling})
    print(f"scaling: {scaling}\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
