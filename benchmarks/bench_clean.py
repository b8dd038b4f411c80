"""Cost of the clean and score steps relative to restore, and spam filtering against the anchors, on shared/realdata.

    python benchmarks/bench_clean.py [--repeats 7]

(a) **Cost.** Every realdata page (damaged, clean and both sides of the pairs) is restored once; then restore, clean
(``clean_page_explained``: SEO spam, metadata, chrome, captions) and the signals of the score step are each timed over
all pages, best of ``--repeats`` (one process, one core).  Target (issue 3): clean adds at most 30 % to restore.

(b) **Spam pages.** The labelled pages (``tests/clean/realdata_labels.json``: which pages are spam) go through
zhclean's per-record steps (restore → clean → score → quality_filter); the anchors' page filters then judge the same
restored and cleaned text, with their defaults and their Chinese settings where they have them: datatrove's
``GopherRepetitionFilter``, ``GopherQualityFilter``, ``C4QualityFilter`` and ``FineWebQualityFilter`` with
``language="zh"`` (their word tokenizer for Chinese is spaCy with the jieba segmenter), and Data-Juicer's
``character_repetition_filter`` and ``special_characters_filter``.  Reported per filter: spam recall and precision,
and the share of clean pages (the ``clean`` file and the original side of the pairs) that it drops.  A filter that
does not import or run is reported as skipped, with the reason.

Results go to ``benchmarks/results/<date>-<cores>core-clean.json``; without ``../shared`` the benchmark is skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

from common import SHARED, write_result


def load_pages() -> list[str]:
    pages = []
    for name in ("damaged", "clean", "pairs"):
        for line in (SHARED / "realdata" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            pages += [r["corrupted_text"], r["original_text"]] if name == "pairs" else [r["text"]]
    return pages


def anchor_filters() -> tuple[dict[str, Callable[[list[str]], list[bool]]], dict[str, str]]:
    """name → fn(texts) → keep flags, for every anchor page filter that imports and runs here; and the skipped."""
    probe = ["今年春天，县里新修的图书馆正式开放，每天都有不少学生和老人来这里看书。"]
    filters: dict[str, Callable[[list[str]], list[bool]]] = {}
    skipped: dict[str, str] = {}
    try:
        from datatrove.data import Document  # type: ignore[import-not-found]
        from datatrove.pipeline import filters as dt  # type: ignore[import-not-found]

        def datatrove_keep(f: object) -> Callable[[list[str]], list[bool]]:
            def keep(texts: list[str]) -> list[bool]:
                out = [f.filter(Document(text=t, id=str(i))) for i, t in enumerate(texts)]  # type: ignore[attr-defined]
                return [bool(r[0]) if isinstance(r, tuple) else bool(r) for r in out]

            return keep

        for name, cls in (("gopher_repetition", dt.GopherRepetitionFilter), ("gopher_quality", dt.GopherQualityFilter),
                          ("c4_quality", dt.C4QualityFilter), ("fineweb_quality", dt.FineWebQualityFilter)):
            fn = datatrove_keep(cls(language="zh"))
            fn(probe)  # the Chinese word tokenizer loads on first use
            filters[f"datatrove_{name}"] = fn
    except Exception as exc:
        skipped["datatrove"] = (f"did not run ({type(exc).__name__}: {exc}); pip install datatrove spacy (its Chinese "
                                "tokenizer is spaCy with jieba)")
    try:
        from data_juicer.ops.filter import (  # type: ignore[import-not-found]
            CharacterRepetitionFilter,
            SpecialCharactersFilter,
        )
        from data_juicer.utils.constant import Fields  # type: ignore[import-not-found]

        def juicer_keep(op: object) -> Callable[[list[str]], list[bool]]:
            def keep(texts: list[str]) -> list[bool]:
                batch = op.compute_stats_batched({"text": list(texts), Fields.stats: [{} for _ in texts]})  # type: ignore[attr-defined]
                return [bool(k) for k in op.process_batched(batch)]  # type: ignore[attr-defined]

            return keep

        for name, op in (("character_repetition", CharacterRepetitionFilter()),
                         ("special_characters", SpecialCharactersFilter())):
            fn = juicer_keep(op)
            fn(probe)
            filters[f"data_juicer_{name}"] = fn
    except Exception as exc:
        skipped["data_juicer"] = f"did not run ({type(exc).__name__}: {exc}); pip install py-data-juicer aiohttp"
    return filters, skipped


def spam_filtering() -> dict:
    """Spam recall/precision and clean pages dropped for zhclean's quality_filter and the anchors' filters."""
    from evalsets import CLEAN_LABELS, labelled_real_pages

    from zhclean.pipeline import Pipeline
    from zhclean.steps.clean import Clean, QualityFilter, Score
    from zhclean.steps.library import Restore

    if not CLEAN_LABELS.exists():
        return {"skipped": f"{CLEAN_LABELS} is absent"}
    pages = labelled_real_pages()
    out = Pipeline([Restore(), Clean(), Score(), QualityFilter()]).run_local(
        [{"id": pid, "text": text} for pid, (text, _) in pages.items()])
    ids = [r["id"] for r in out]
    texts = [r["text"] for r in out]
    spam = {pid for pid, (_, lab) in pages.items() if lab["spam"]}
    clean = {pid for pid, (_, lab) in pages.items() if lab["file"] == "clean" or pid.endswith(":original")}
    filters, skipped = anchor_filters()
    dropped_by = {"zhclean_quality_filter": {r["id"] for r in out if r.get("zh__drop_reason")}}
    for name, fn in filters.items():
        dropped_by[name] = {pid for pid, keep in zip(ids, fn(texts), strict=True) if not keep}
    rows = {}
    for name, dropped in dropped_by.items():
        hit = len(spam & dropped)
        rows[name] = {"dropped": len(dropped), "spam_recall": round(hit / len(spam), 4),
                      "spam_precision": round(hit / len(dropped), 4) if dropped else None,
                      "clean_dropped_share": round(len(clean & dropped) / len(clean), 4)}
    return {"pages": len(pages), "spam_pages": len(spam), "clean_pages": len(clean), "filters": rows,
            "skipped": skipped}


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args(argv)
    if not (SHARED / "realdata").is_dir():
        print(f"bench_clean: skipped, {SHARED / 'realdata'} is absent (the pages are not shipped)", file=sys.stderr)
        return 0

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
            compute_signals(p, common_han=scorer._common, script=scorer.script(p))
            for p in restored
        ],
        args.repeats,
    )
    result = {
        "repeats": args.repeats,
        "pages": len(pages),
        "chars": sum(len(p) for p in pages),
        "restore_seconds": round(t_restore, 4),
        "clean_seconds": round(t_clean, 4),
        "score_seconds": round(t_score, 4),
        "clean_over_restore": round(t_clean / t_restore, 3),
        "score_over_restore": round(t_score / t_restore, 3),
        "spam_filtering": spam_filtering(),
    }
    path = write_result("clean", result)
    print(json.dumps(result, indent=2))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
