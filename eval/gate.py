#!/usr/bin/env python3
"""Quality gate: measure zhclean on a labelled evaluation set and compare with pinned floors.

    python eval/gate.py                      # measure, compare with eval/baseline.json, exit 1 below a floor
    python eval/gate.py --json out.json      # also write the measured figures
    python eval/gate.py --pin --reason "…"   # re-pin floors to the measured values (lowering needs --allow-lower)

The evaluation set is assembled at run time (nothing third-party is stored in the repository):
- ``synthetic``: documents made by zhclean's own damage simulator, with fixed seeds, from the texts zhclean ships
  and, when ``../shared`` is present, the clean Simplified pages of ``../shared/realdata``;
- ``seeds``: the two real damaged pages and their expected restorations (``../shared/seeds``);
- ``clean``: real pages that must come back unchanged (``../shared/realdata/clean.jsonl``);
- ``damaged``/``pairs``: real damaged pages, for the script decision (machine vs genuine Traditional);
- ``cleaning``: every real page with its boilerplate-line and spam-page labels (``tests/clean/realdata_labels.json``:
  line indices and hashes only), for boilerplate line precision/recall and spam page precision/recall;
- ``dedup``: the mirror benchmark's corpus (``benchmarks/bench_dedup.py``, 100 articles, about 450 differently
  damaged copies), for pairwise cluster precision/recall after restore → dedup → consensus.

Each set has a digest; the baseline pins the floors together with the digests, so a changed set is noticed and the
floors must be re-pinned on purpose.  A set whose source is absent is reported as skipped, with the reason.
``limits`` in the baseline are fixed bounds that pinning never moves (e.g. how many labelled lines may no longer
match the restored page before the labels must be rebuilt).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from evalsets import SHARED, build_sets  # noqa: E402
from metrics import measure_all  # noqa: E402

BASELINE = HERE / "baseline.json"


def compare(measured: dict, baseline: dict) -> list[str]:
    """Return one line per metric that breaks its floor (``min``) or ceiling (``max``)."""
    failures = []
    for name, bound in baseline.get("floors", {}).items():
        if name not in measured:
            continue
        value = measured[name]
        if "min" in bound and value < bound["min"]:
            failures.append(f"{name} = {value:.6g} is below its floor {bound['min']:.6g}")
        if "max" in bound and value > bound["max"]:
            failures.append(f"{name} = {value:.6g} is above its ceiling {bound['max']:.6g}")
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="write the measured figures to this file")
    ap.add_argument("--pin", action="store_true", help="pin the floors to the measured values")
    ap.add_argument("--allow-lower", action="store_true", help="with --pin: allow a floor to go down")
    ap.add_argument("--reason", help="with --pin: why (recorded in the baseline's history)")
    ap.add_argument("--synthetic-docs", type=int, default=2000, help="size of the synthetic set (default 2000)")
    args = ap.parse_args(argv)

    if not SHARED.is_dir():
        print(f"eval gate: {SHARED} is absent, so the seed, clean and real-damage sets are skipped; "
              "the synthetic set runs on zhclean's own texts only.")
    sets = build_sets(synthetic_docs=args.synthetic_docs)
    measured, details = measure_all(sets)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {"floors": {}, "digests": {}}

    width = max(len(k) for k in measured) if measured else 10
    floors = baseline.get("floors", {})
    limits = baseline.get("limits", {})
    for name in sorted(measured):
        bound = floors.get(name) or limits.get(name, {})
        pin = (f">= {bound['min']:.6g}" if "min" in bound else f"<= {bound['max']:.6g}" if "max" in bound
               else "(no floor)")
        print(f"  {name:<{width}}  {measured[name]:>12.6g}   {pin}")
    for name, info in sets.skipped.items():
        print(f"  skipped set {name}: {info}")
    if args.json:
        args.json.write_text(json.dumps({"measured": measured, "details": details,
                                         "digests": sets.digests}, ensure_ascii=False, indent=1), encoding="utf-8")

    if args.pin:
        if not args.reason:
            ap.error("--pin needs --reason")
        return pin_floors(baseline, measured, sets.digests, args.reason, args.allow_lower)

    changed = [k for k, v in sets.digests.items() if k in baseline.get("digests", {}) and baseline["digests"][k] != v]
    if changed:
        print(f"eval gate: FAIL — the evaluation set changed ({', '.join(changed)}); check the change, then re-pin "
              "with  python eval/gate.py --pin --reason '…'")
        return 1
    shortfalls = compare(measured, {"floors": baseline.get("targets", {})})
    for line in shortfalls:
        print("  shortfall against a target (does not fail the gate): " + line)
    failures = compare(measured, baseline) + compare(measured, {"floors": limits})
    if failures:
        print("eval gate: FAIL")
        for f in failures:
            print("  - " + f)
        return 1
    print(f"eval gate: ok ({len(measured)} figures, {len(floors)} floors, {len(limits)} limits)")
    return 0


def pin_floors(baseline: dict, measured: dict, digests: dict, reason: str, allow_lower: bool) -> int:
    """Pin each targeted figure's floor at the measured value (the figures are deterministic).

    A floor never goes down unless ``allow_lower``; the target stays the promise, the floor is what CI holds the code
    to.
    """
    floors = baseline.setdefault("floors", {})
    targets = baseline.get("targets", {})
    lowered, raised = [], []
    for name in sorted(set(targets) | set(floors)):
        if name not in measured:
            continue
        value = measured[name]
        key = "min" if "min" in (targets.get(name) or floors[name]) else "max"
        better = max if key == "min" else min
        new = value  # pinned where it stands: any regression from here fails the gate
        old = floors.get(name, {}).get(key)
        if old is not None and better(old, new) == old and old != new:
            if not allow_lower:
                lowered.append(f"{name}: {old:.6g} -> {new:.6g}")
                continue
            lowered.append(f"{name}: {old:.6g} -> {new:.6g}")
        elif old != new:
            raised.append(f"{name}: {old} -> {new:.6g}")
        floors[name] = {key: new}
    if lowered and not allow_lower:
        print("eval gate: refusing to lower floors without --allow-lower:\n  " + "\n  ".join(lowered))
        return 1
    baseline["digests"] = {**baseline.get("digests", {}), **digests}
    baseline.setdefault("history", []).append(
        {"date": dt.date.today().isoformat(), "reason": reason, "lowered": lowered, "raised": raised})
    BASELINE.write_text(json.dumps(baseline, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"eval gate: pinned digests and floors in {BASELINE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
