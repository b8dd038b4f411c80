"""Where restore's time goes on real damaged pages: each stage of one pass timed on its own (a profile, not a test).

Runs the stages of ``restore_text`` one after the other on the real damaged pages of ``../shared`` (the seeds and
``realdata/damaged.jsonl``), each round with a fresh lexicon warmed on 40 simulated pages (as the restore benchmark
does, so per-lexicon memos start cold for the timed pages), and prints the best round of each stage as a Markdown
table (process time).  ``docs/performance.md`` quotes it.

Below it, the same pages through the cheapest operations any restore of them must do, each one C-level call per page:
the table T→S conversion and one regex pass that finds the ``X(pinyin)`` candidates.  They bound what a pure-Python
core can reach: whatever it adds on top (checking each candidate's reading, the two verdicts, punctuation, bursts)
costs Python time per annotation, and real pages carry 19–51 annotations per KB.

    python benchmarks/restore_stages.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from common import damaged_real_pages

from zhclean.simulate.corpus import synthetic_documents
from zhclean.text import restore
from zhclean.text.lexicon import Lexicon
from zhclean.text.mojibake import repair_bursts_explained, repair_mojibake_explained
from zhclean.text.pinyin import detect_pinyin_injection, strip_pinyin_annotations
from zhclean.text.punct import restore_fullwidth_punct
from zhclean.text.script import detect_machine_s2t, undo_machine_s2t


def fresh_lexicon(warm: list[str]) -> Lexicon:
    lexicon = Lexicon.load()
    for text in warm:
        restore.restore_text(text, lexicon=lexicon)
    return lexicon


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    docs = damaged_real_pages()
    if not docs:
        print("no real damaged pages: ../shared is not beside the checkout", file=sys.stderr)
        return 1
    warm = [d.damaged for d in synthetic_documents(40, seed=4242, lexicon=Lexicon.load())]
    mb = sum(len(d.encode()) for d in docs) / 1e6
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        spent: dict[str, float] = {}

        def timed(name: str, run: Callable[..., Any], *args: Any, spent: dict[str, float] = spent, **kw: Any) -> Any:
            start = time.process_time()
            out = run(*args, **kw)
            spent[name] = spent.get(name, 0.0) + time.process_time() - start
            return out

        lex = fresh_lexicon(warm)
        for d in docs:
            m = timed("classic mojibake (`repair_mojibake_explained`)", repair_mojibake_explained, d, lexicon=lex)
            b = timed("injector bursts (`repair_bursts_explained`)", repair_bursts_explained, m.text, lexicon=lex)
            v = timed("pinyin verdict (`detect_pinyin_injection`)", detect_pinyin_injection, b.text, lexicon=lex)
            s = timed("pinyin strip (plain)", strip_pinyin_annotations, b.text, lexicon=lex, verdict=v)
            sv = timed(
                "script verdict (`detect_machine_s2t`)", detect_machine_s2t, s, lexicon=lex, pinyin_injected=v.injected
            )
            u = timed("T→S conversion (plain)", undo_machine_s2t, s, lexicon=lex, verdict=sv)
            timed("punctuation width (plain)", restore_fullwidth_punct, u)
        for name, run in (
            ("**`restore_text`, whole**", restore.restore_text),
            ("`restore_text_explained` (every edit built)", restore.restore_text_explained),
        ):
            lex = fresh_lexicon(warm)
            for d in docs:
                timed(name, run, d, lexicon=lex)
        for name, seconds in spent.items():
            best[name] = min(best.get(name, float("inf")), seconds)
    print(f"{len(docs)} pages, {mb:.3f} MB, best of {args.rounds} rounds (process time)\n")
    print("| stage | time | MB/s |\n|---|---:|---:|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds * 1000:.1f} ms | {mb / seconds:.1f} |")
    print("\nLower bounds (one C-level call per page, nothing checked):\n")
    print("| operation | time | MB/s |\n|---|---:|---:|")
    for name, seconds in lower_bounds(docs, args.rounds).items():
        print(f"| {name} | {seconds * 1000:.1f} ms | {mb / seconds:.1f} |")
    return 0


def lower_bounds(docs: list[str], rounds: int) -> dict[str, float]:
    """Best process time over ``docs`` of the cheapest calls a restore of them cannot avoid."""
    import opencc

    lex = Lexicon.load()
    t2s = opencc.OpenCC("t2s").convert
    # Candidates only: a Han character, then an ASCII-parenthesised run of pinyin letters (no reading checked).
    candidates = re.compile(r"([\u3400-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7})\)")

    def find_candidates(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in candidates.finditer(text)]

    calls: dict[str, Callable[[str], Any]] = {
        "zhclean table T→S (`Lexicon.t2s`)": lex.t2s,
        "OpenCC `t2s`": t2s,
        "annotation candidates (one `finditer` pass)": find_candidates,
        "table T→S + candidate pass": lambda d: (lex.t2s(d), find_candidates(d)),
    }
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.process_time()
            for d in docs:
                call(d)
            best[name] = min(best.get(name, float("inf")), time.process_time() - start)
    return best


if __name__ == "__main__":
    raise SystemExit(main())
