"""Build ``report.json`` from the merged shard stats and what the driver saw."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zhclean.io.writers import write_atomic

COUNT_KEYS = ("records_in", "kept", "rejected", "quarantined")


def build_report(merged: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """The report: integer counts first, then characters, per-step/rule/reason counts, timings and run details.

    ``invariant_ok`` says whether ``records_in == kept + rejected + quarantined``.
    """
    counts = {key: int(merged.get(key, 0)) for key in COUNT_KEYS}
    steps = {
        name: {k: (round(v, 3) if k == "seconds" else int(v)) for k, v in s.items()}
        for name, s in merged.get("steps", {}).items()
    }
    report: dict[str, Any] = {
        **counts,
        "invariant_ok": counts["records_in"] == counts["kept"] + counts["rejected"] + counts["quarantined"],
        "records_changed": int(merged.get("records_changed", 0)),
        "chars_in": int(merged.get("chars_in", 0)),
        "chars_out": int(merged.get("chars_out", 0)),
        "steps": steps,
        "rules": _sorted_counts(merged.get("rules", {})),
        "drop_reasons": _sorted_counts(merged.get("drop_reasons", {})),
        "errors": _sorted_counts(merged.get("errors", {})),
        "timings": {
            "worker_seconds": round(float(merged.get("seconds", 0.0)), 3),
            "per_step_seconds": {name: s.get("seconds", 0.0) for name, s in steps.items()},
        },
    }
    for key, value in extra.items():
        if key == "timings":
            report["timings"].update(value)
        else:
            report[key] = value
    return report


def _sorted_counts(counts: Mapping[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def write_report(path: Path, report: Mapping[str, Any]) -> None:
    write_atomic(path, (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def read_report(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
