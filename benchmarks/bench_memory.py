"""Peak memory and throughput of `zhclean run` on 10k and 100k records (a benchmark, not a test).

    python benchmarks/bench_memory.py [--sizes 10000 100000] [--workers N]

For each size it writes a JSONL.zst of damaged and clean documents (built from a pool of simulated pages, each
record made unique), runs `python -m zhclean run` on it in a subprocess and records:

* peak_tree_rss_mb: the highest total RSS of the run's whole process tree (driver, workers and multiprocessing's
  resource tracker), sampled every 0.2 s from /proc (or psutil when installed);
* peak_process_rss_mb: the highest RSS of any single process of the run (getrusage of the waited-for children);
* docs_per_second and wall_seconds.

Flat memory means the peaks do not grow with the input size.  Results go to
benchmarks/results/<date>-<machine>-memory.json; work files to benchmarks/_work/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import zstandard

HERE = Path(__file__).resolve().parent
POOL_SIZE = 400  # simulated pages reused (with a unique suffix) to build the large inputs quickly
SAMPLE_SECONDS = 0.2


def build_input(path: Path, n: int) -> None:
    """n records: odd ones damaged pages, even ones their clean expected text, each made unique."""
    pool = _page_pool()
    cctx = zstandard.ZstdCompressor(level=3)
    with open(path, "wb") as fh, cctx.stream_writer(fh) as out:
        for i in range(n):
            damaged, clean = pool[i % len(pool)]
            text = (damaged if i % 2 else clean) + f"\n（编号 {i}）"
            out.write((json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n").encode("utf-8"))


def _page_pool() -> list[tuple[str, str]]:
    try:
        from zhclean.simulate.corpus import synthetic_documents
        from zhclean.text.lexicon import Lexicon
    except ImportError:  # plain synthetic text when the simulator is not installed
        base = "今天天气很好，我们一起去公园散步，顺便讨论一下新的计划和安排。"
        return [(base.replace("天气", "天氣") * (1 + i % 5), base * (1 + i % 5)) for i in range(POOL_SIZE)]
    docs = synthetic_documents(POOL_SIZE, seed=0, lexicon=Lexicon.load())
    return [(d.damaged, d.expected) for d in docs]


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
    cmd = [sys.executable, "-m", "zhclean", "run", str(input_path), "-o", str(out), "--quiet"]
    if workers:
        cmd += ["--workers", str(workers)]
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
    return {
        "records_in": report["records_in"],
        "kept": report["kept"],
        "rejected": report["rejected"],
        "quarantined": report["quarantined"],
        "records_changed": report["records_changed"],
        "input_mb": round(input_path.stat().st_size / 1e6, 2),
        "peak_tree_rss_mb": round(peak / 1e6, 1),
        "peak_process_rss_mb": round(result["maxrss_kb"] / 1e3, 1),
        "wall_seconds": round(wall, 1),
        "docs_per_second": round(report["records_in"] / wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=0, help="worker processes (default: all cores)")
    args = parser.parse_args()
    work = HERE / "_work"
    work.mkdir(exist_ok=True)
    results = {}
    for n in args.sizes:
        path = work / f"memory-{n}.jsonl.zst"
        if not path.exists():
            build_input(path, n)
        results[str(n)] = measure(path, work / f"memory-{n}-out", args.workers)
        print(n, json.dumps(results[str(n)]), flush=True)
    machine = platform.node() or "machine"
    record = {
        "benchmark": "memory",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "workers": args.workers or os.cpu_count(),
        "results": results,
    }
    out = HERE / "results" / f"{dt.date.today().isoformat()}-{machine}-memory.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
