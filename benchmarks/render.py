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
    files = sorted((HERE / "results").glob(f"*-{name}.json"))
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
    out = [f"Pipeline memory (`benchmarks/bench_memory.py`, {r['date'][:10]}, {describe(r['machine'])}; "
           f"file `{r['_file']}`).", "", "| records | peak RSS (MB) | docs/s | wall (s) |", "|---:|---:|---:|---:|"]
    for run in r.get("runs", []):
        out.append(f"| {run.get('records', '?'):,} | {run.get('peak_rss_mb', float('nan')):.0f} | "
                   f"{run.get('docs_per_s', float('nan')):.0f} | {run.get('wall_s', float('nan')):.1f} |")
    return out


def main() -> int:
    blocks: list[str] = []
    for name, fn in (("restore", render_restore), ("memory", render_memory)):
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
