#!/usr/bin/env python3
"""Regenerate the README's measurement tables from the newest files in benchmarks/results/.

    python benchmarks/render.py          # rewrites the block between <!-- figures:start --> and <!-- figures:end -->
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def newest(name: str) -> dict | None:
    # <date>-<machine>-<name>.json: the name is what follows the machine tag, exactly
    files = sorted(p for p in (HERE / "results").glob("*.json") if p.stem[11:].split("-", 1)[-1] == name)
    return json.loads(files[-1].read_text(encoding="utf-8")) | {"_file": files[-1].name} if files else None


def describe(m: dict) -> str:
    return f"{m['cpu'] or 'unknown CPU'}, {m['cores']} cores, {m['memory']}, Python {m['python']}"


def render_restore(r: dict) -> list[str]:
    q, s = r["quality_char_accuracy"], r["speed_mb_s_per_core"]
    tools = list(next(iter(q.values())))
    out = [f"Restore, quality and speed side by side (`benchmarks/bench_restore.py`, {r['date'][:10]}, "
           f"{describe(r['machine'])}; file `{r['_file']}`). Character accuracy against the known clean text "
           "(after NFKC); for `clean_simplified` and `genuine_traditional` the right output is the input.", "",
           "| damage kind | docs | " + " | ".join(tools) + " |", "|---|---:|" + "---:|" * len(tools)]
    for kind, row in q.items():
        best = max(row.values())
        cells = [f"**{row[t]:.4f}**" if row[t] == best else f"{row[t]:.4f}" for t in tools]
        out.append(f"| {kind} | {r['corpus'][kind]['docs']} | " + " | ".join(cells) + " |")
    out += ["", "| speed, MB/s of UTF-8 input on one core (median of rounds) | " + " | ".join(tools) + " |",
            "|---|" + "---:|" * len(tools)]
    for corpus, row in s.items():
        out.append(f"| {corpus} ({r['speed_corpus_mb'][corpus]} MB) | " + " | ".join(
            f"{row.get(t, float('nan')):.1f}" for t in tools) + " |")
    for k, v in r.get("skipped", {}).items():
        out.append(f"\nNot measured: {k}: {v}.")
    return out


def render_memory(r: dict) -> list[str]:
    m = r["machine"]
    where = f"{m.get('cpus', m.get('cores'))} cores, Python {m.get('python')}"
    out = [f"Pipeline memory (`benchmarks/bench_memory.py`, {r['date'][:10]}, {where}, {r.get('workers')} workers; "
           f"file `{r['_file']}`; measured with the pipeline of that day, restore → min_length).", "",
           "| records | peak RSS, process tree (MB) | peak RSS, largest process (MB) | docs/s | wall (s) |",
           "|---:|---:|---:|---:|---:|"]
    for n, run in r.get("results", {}).items():
        out.append(f"| {int(n):,} | {run['peak_tree_rss_mb']:.0f} | {run['peak_process_rss_mb']:.0f} | "
                   f"{run['docs_per_second']:.0f} | {run['wall_seconds']:.1f} |")
    return out


def render_dedup(r: dict) -> list[str]:
    m, sc = r["mirror"], r["scale"]
    speed = r["speed"]["mb_per_s_per_core"]
    return [f"Dedup (`benchmarks/bench_dedup.py`, {r['date'][:10]}, {describe(r['machine'])}; file `{r['_file']}`).",
            "",
            f"- mirror benchmark: {m['articles']} articles, {m['records']:,} records: pairwise precision "
            f"{m['precision']:.4f}, recall {m['recall']:.4f}, distinct articles merged {m['merged_clusters']}; "
            f"lost characters right in kept copies of clusters of 3 or more: {m['consensus_recovered_share']:.1%} "
            f"({m['lost_right_before_consensus']} of {m['lost_chars_kept']} by restore alone)",
            "- signatures, MB/s per core on the same keys: " + ", ".join(f"{k} {v}" for k, v in speed.items()),
            f"- scale: {sc['docs']:,} documents ({sc['mb']:,.0f} MB) through signatures "
            f"({sc['seconds_signatures']:.0f} s, "
            f"{sc['signature_phase_mb_per_s']} MB/s for the whole scan phase) and clustering "
            f"({sc['seconds_clustering']:.0f} s), peak RSS {sc['rss_mb_peak_after_clustering']:,} MB"]


def render_ray(r: dict) -> list[str]:
    return [f"Ray vs local engine (`benchmarks/bench_ray.py`; file `{r['_file']}`): on this shared 2-core machine Ray "
            "is dominated by its fixed start-up cost; see `docs/engines.md`."]


def main() -> int:
    blocks: list[str] = []
    for name, fn in (("restore", render_restore), ("memory", render_memory), ("dedup", render_dedup),
                     ("ray", render_ray)):
        r = newest(name)
        if r is not None:
            try:
                blocks += [*fn(r), ""]
            except (KeyError, TypeError, StopIteration) as exc:
                blocks += [f"({name}: result file {r['_file']} has an unexpected shape: {exc!r})", ""]
    text = README.read_text(encoding="utf-8")
    body = "\n".join(blocks).strip() or "No recorded results yet."
    new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: f"{START}\n{body}\n{END}", text, flags=re.S)
    README.write_text(new, encoding="utf-8")
    print(f"rewrote the figures block of {README.name} from {len(blocks)} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
