"""Cost of the clean and score steps relative to restore, on shared/realdata (a benchmark, not a test).

    python benchmarks/bench_clean.py [--repeats 7]

Every realdata page (damaged, clean and both sides of the pairs) is restored once; then restore, clean
(``clean_page_explained``: SEO spam, metadata, chrome, captions) and the signals of the score step are each timed over
all pages, best of ``--repeats`` (one process, one core).  Target (issue 3): clean adds at most 30 % to restore.
Results go to benchmarks/results/<date>-<machine>-clean.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "realdata"


def load_pages() -> list[str]:
    pages = []
    for name in ("damaged", "clean", "pairs"):
        for line in (SHARED / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            pages += [r["corrupted_text"], r["original_text"]] if name == "pairs" else [r["text"]]
    return pages


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()

    from zhclean.score.signals import compute_signals
    from zhclean.steps.clean import _Scorer
    from zhclean.text.boilerplate import clean_page_explained
    from zhclean.text.restore import restore_text
    from zhclean.text.seo import Gazetteer

    scorer = _Scorer.build()
    lexicon, gazetteer = scorer._lexicon, Gazetteer.load()
    pages = load_pages()
    restored = [restore_text(p, lexicon=lexicon) for p in pages]
    t_restore = best_of(lambda: [restore_text(p, lexicon=lexicon) for p in pages], args.repeats)
    t_clean = best_of(lambda: [clean_page_explained(p, gazetteer=gazetteer) for p in restored], args.repeats)
    t_score = best_of(
        lambda: [
            compute_signals(p, common_han=scorer._common, fold=scorer._fold, script=scorer.script(p))
            for p in restored
        ],
        args.repeats,
    )
    result = {
        "date": dt.date.today().isoformat(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "pages": len(pages),
        "chars": sum(len(p) for p in pages),
        "restore_seconds": round(t_restore, 4),
        "clean_seconds": round(t_clean, 4),
        "score_seconds": round(t_score, 4),
        "clean_over_restore": round(t_clean / t_restore, 3),
        "score_over_restore": round(t_score / t_restore, 3),
    }
    out = HERE / "results" / f"{result['date']}-{platform.node() or 'machine'}-clean.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
