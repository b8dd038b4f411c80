"""Shared helpers of the benchmarks: machine description, result files, corpora from zhclean's own texts."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import socket
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Where results are written (and read by render.py); run_all.py --quick points it at benchmarks/_work/.
RESULTS = Path(os.environ.get("ZHCLEAN_BENCH_RESULTS", HERE / "results"))
# ../shared beside the checkout; ZHCLEAN_SHARED points elsewhere (or at a missing folder, to run without it), as for
# the quality gate (eval/evalsets.py), which builds its dedup set with this module's corpus builders.
SHARED = Path(os.environ.get("ZHCLEAN_SHARED", HERE.parent.parent / "shared"))
sys.path.insert(0, str(HERE.parent / "eval"))


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "host": socket.gethostname()[:12]}


def package_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Installed version of each distribution (``"not installed"`` when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_result(name: str, payload: dict) -> Path:
    """Write ``results/<date>-<machine>-<name>.json`` and return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    tag = f"{os.cpu_count()}core"
    path = RESULTS / f"{dt.date.today().isoformat()}-{tag}-{name}.json"
    payload = {"benchmark": name, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), **payload}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def clean_real_pages(families: tuple[str, ...]) -> list[str]:
    """Clean pages of ../shared/realdata of the given kind families ([] when ../shared is absent)."""
    path = SHARED / "realdata" / "clean.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r["text"] for r in rows if r["kind_family"] in families]


def damaged_real_pages() -> list[str]:
    """The real damaged pages of ../shared: the seed pages and realdata/damaged.jsonl ([] when ../shared is absent)."""
    pages = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("[0-9]*.txt"))]
    path = SHARED / "realdata" / "damaged.jsonl"
    if path.exists():
        pages += [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return pages
