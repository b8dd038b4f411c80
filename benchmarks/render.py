#!/usr/bin/env python3
"""Regenerate the README's measurement tables from the newest files in benchmarks/results/.

    python benchmarks/render.py            # rewrites the block between <!-- figures:start --> and <!-- figures:end -->
    python benchmarks/render.py --stdout   # prints the block instead
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from common import RESULTS

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def newest(name: str) -> dict | None:
    """The result of benchmark ``name`` recorded last (by its ``date`` field, then by file name)."""
    found = []
    for p in RESULTS.glob("*.json"):
        if p.stem[11:].split("-", 1)[-1] != name:  # <date>-<machine>-<name>.json: exactly this name
            continue
        r = json.loads(p.read_text(encoding="utf-8"))
        found.append((str(r.get("date", "")), p.name, r))
    if not found:
        return None
    _, file, r = max(found, key=lambda x: x[:2])
    return r | {"_file": file}


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
    spread = r.get("speed_mb_s_per_core_range", {})
    if spread:
        parts = [f"{corpus} {rng['zhclean'][0]:.1f}–{rng['zhclean'][1]:.1f}" for corpus, rng in spread.items()
                 if "zhclean" in rng]
        out.append(f"\nThe rounds vary on this shared VM: zhclean's slowest and fastest round, MB/s per core: "
                   f"{', '.join(parts)} ({r['rounds']} rounds; the table gives the median).")
    versions = r.get("versions")
    if versions:
        out.append("\nVersions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".")
    for k, v in r.get("skipped", {}).items():
        out.append(f"\nNot measured: {k}: {v}.")
    return out


def render_memory(r: dict) -> list[str]:
    m = r["machine"]
    steps = " → ".join(r.get("pipeline", []))
    out = [f"`zhclean run` with the default pipeline ({steps}): memory, throughput and scaling "
           f"(`benchmarks/bench_memory.py`, {r['date'][:10]}, {describe(m)}; file `{r['_file']}`). MB/s counts the "
           "UTF-8 text in; per core divides by the workers.", "",
           "| records | workers | docs/s | MB/s | MB/s per core | peak RSS, process tree (MB) | "
           "peak RSS, largest process (MB) | wall (s) |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in r["runs"]:
        out.append(f"| {run['records']:,} | {run['workers']} | {run['docs_per_second']:.0f} | "
                   f"{run['mb_per_second']:.2f} | {run['mb_per_second_per_core']:.2f} | "
                   f"{run['peak_tree_rss_mb']:.0f} | {run['peak_process_rss_mb']:.0f} | {run['wall_seconds']:.1f} |")
    for n, sc in r.get("scaling", {}).items():
        w = sc["workers"]
        out.append(f"\nScaling from {w[0]} to {w[-1]} workers on {int(n):,} records: {sc['speedup']:.2f}× the docs/s "
                   "(dedup and consensus each add a barrier where the driver alone combines the shards' summaries; "
                   "the load average of each run is in the result file).")
    return out


def render_clean(r: dict) -> list[str]:
    out = [f"Clean and score cost (`benchmarks/bench_clean.py`, {r['date'][:10]}, {describe(r['machine'])}; file "
           f"`{r['_file']}`): on {r['pages']} real pages, clean takes {r['clean_over_restore']:.0%} and the quality "
           f"signals {r['score_over_restore']:.0%} of restore's time (restore {r['restore_seconds']:.2f} s, best of "
           f"{r.get('repeats', '?')})."]
    sf = r.get("spam_filtering") or {}
    if sf.get("filters"):
        out += ["", f"Spam pages among the {sf['pages']} labelled real pages ({sf['spam_pages']} spam, "
                f"{sf['clean_pages']} clean), each filter on the same restored and cleaned text. zhclean's thresholds "
                "were calibrated on these pages (in-sample); the anchors run with their defaults, `language=\"zh\"` "
                "where they have it.", "",
                "| filter | pages dropped | spam recall | spam precision | clean pages dropped |",
                "|---|---:|---:|---:|---:|"]
        for name, row in sf["filters"].items():
            prec = "–" if row["spam_precision"] is None else f"{row['spam_precision']:.2f}"
            out.append(f"| {name} | {row['dropped']} | {row['spam_recall']:.2f} | {prec} | "
                       f"{row['clean_dropped_share']:.0%} |")
        for k, v in sf.get("skipped", {}).items():
            out.append(f"\nNot measured: {k}: {v}.")
    return out


def render_dedup(r: dict) -> list[str]:
    m, sc = r["mirror"], r.get("scale")
    speed = r["speed"]["mb_per_s_per_core"]
    out = [f"Dedup (`benchmarks/bench_dedup.py`, {r['date'][:10]}, {describe(r['machine'])}; file `{r['_file']}`).",
           "",
           f"- mirror benchmark: {m['articles']} articles, {m['records']:,} records: pairwise precision "
           f"{m['precision']:.4f}, recall {m['recall']:.4f}, distinct articles merged {m['merged_clusters']}; "
           f"lost characters right in kept copies of clusters of 3 or more: {m['consensus_recovered_share']:.1%} "
           f"({m['lost_right_before_consensus']} of {m['lost_chars_kept']} by restore alone)",
           "- signatures, MB/s per core on the same keys: " + ", ".join(f"{k} {v}" for k, v in speed.items())]
    if sc:
        out.append(f"- scale: {sc['docs']:,} documents ({sc['mb']:,.0f} MB) through signatures "
                   f"({sc['seconds_signatures']:.0f} s, {sc['signature_phase_mb_per_s']} MB/s for the whole scan "
                   f"phase) and clustering ({sc['seconds_clustering']:.0f} s), peak RSS "
                   f"{sc['rss_mb_peak_after_clustering']:,} MB")
    return out


def render_ray(r: dict) -> list[str]:
    return [f"Ray vs local engine (`benchmarks/bench_ray.py`; file `{r['_file']}`): on this shared 2-core machine Ray "
            "is dominated by its fixed start-up cost; see `docs/engines.md`."]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stdout", action="store_true", help="print the block instead of rewriting the README")
    args = ap.parse_args(argv)
    blocks: list[str] = []
    for name, fn in (("restore", render_restore), ("clean", render_clean), ("memory", render_memory),
                     ("dedup", render_dedup), ("ray", render_ray)):
        r = newest(name)
        if r is not None:
            try:
                blocks += [*fn(r), ""]
            except (KeyError, TypeError, StopIteration) as exc:
                blocks += [f"({name}: result file {r['_file']} has an unexpected shape: {exc!r})", ""]
    body = "\n".join(blocks).strip() or "No recorded results yet."
    if args.stdout:
        print(body)
        return 0
    text = README.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: f"{START}\n{body}\n{END}", text, flags=re.S)
    README.write_text(new, encoding="utf-8")
    print(f"rewrote the figures block of {README.name} from {len(blocks)} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
