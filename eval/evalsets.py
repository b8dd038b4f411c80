"""Assemble the evaluation sets at run time (third-party text is read from ../shared, never stored here)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zhclean.simulate.corpus import synthetic_documents
from zhclean.simulate.damage import DamageKit, SimulatedDoc
from zhclean.simulate.texts import load_texts
from zhclean.text.lexicon import Lexicon

# ../shared beside the checkout; ZHCLEAN_SHARED points elsewhere (or at a missing folder, to run without it).
REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ZHCLEAN_SHARED", REPO.parent / "shared"))
SYNTHETIC_SEED = 20261123
# Line and page labels of ../shared/realdata for the cleaner (hashes and indices only; see the file's "about").
CLEAN_LABELS = REPO / "tests" / "clean" / "realdata_labels.json"
# The dedup set is the mirror benchmark's corpus (benchmarks/bench_dedup.py) at a size the gate can afford: 100
# articles give about 450 copies (restore ~4 s on one core); the full benchmark runs 500.
MIRROR_ARTICLES = 100
MIRROR_SEED = 0


@dataclass
class Sets:
    lexicon: Lexicon
    synthetic: list[SimulatedDoc] = field(default_factory=list)
    seeds: list[tuple[str, str, str]] = field(default_factory=list)          # (id, damaged page, expected restored)
    clean: list[tuple[str, str, str]] = field(default_factory=list)          # (id, kind, text): must not change
    script_labelled: list[tuple[str, str, str]] = field(default_factory=list)  # (id, 'machine'|'genuine', text)
    digests: dict[str, str] = field(default_factory=dict)
    tag: str = ""
    """'' with ../shared; '_own' without it (the synthetic and clean sets then hold only zhclean's own texts, so
    their figures are reported, pinned and digested under other names)."""
    skipped: dict[str, str] = field(default_factory=dict)
    labelled_pages: dict[str, tuple[str, dict]] = field(default_factory=dict)
    """label id → (real page, its labels: ``file``, ``spam``, ``boilerplate`` and ``body`` lines as [index, hash])."""
    mirror_records: list[dict] = field(default_factory=list)  # {id, text}: damaged copies and clean originals
    mirror_truth: dict[str, tuple] = field(default_factory=dict)  # id → (article, topic, SimulatedDoc | None)


def _digest(items: list) -> str:
    h = hashlib.sha256()
    for it in items:
        h.update(json.dumps(it, ensure_ascii=False, sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _title_and_paragraphs(text: str) -> tuple[str, list[str]]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (lines[0], lines[1:]) if lines else ("", [])


def _traditional_share(lex: Lexicon, text: str) -> float:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return sum(1 for c in han if lex.is_traditional_only(c)) / len(han) if han else 0.0


def build_sets(synthetic_docs: int = 2000) -> Sets:
    lex = Lexicon.load()
    sets = Sets(lexicon=lex)
    realdata = SHARED / "realdata"
    clean_real = _jsonl(realdata / "clean.jsonl") if (realdata / "clean.jsonl").exists() else []

    # Clean Simplified pages of the real crawl are damaged too, next to zhclean's own texts.
    extra = [_title_and_paragraphs(r["text"]) for r in clean_real if r["kind_family"] == "clean_simplified_news_gov"]
    kit = DamageKit(lex)
    sets.synthetic = list(synthetic_documents(synthetic_docs, seed=SYNTHETIC_SEED, kit=kit, extra=extra))
    sets.tag = "" if SHARED.is_dir() else "_own"
    sets.digests[f"synthetic{sets.tag}"] = _digest([d.damaged for d in sets.synthetic])
    _add_mirror(sets, kit)

    # Shipped clean texts of every kind: they must come back unchanged, and the Traditional ones are genuine.
    for src in load_texts():
        text = "\n".join([src.title, *src.paragraphs])
        sets.clean.append((f"shipped/{src.id}", src.kind, text))
        if src.script == "traditional":
            sets.script_labelled.append((f"shipped/{src.id}", "genuine", text))
    for d in sets.synthetic:
        sets.script_labelled.append((f"synthetic/{d.meta['index']}", "machine", d.damaged))

    if not SHARED.is_dir():
        reason = f"{SHARED} is absent"
        sets.skipped = {"seeds": reason, "clean_real": reason, "script_real": reason, "boilerplate_lines": reason,
                        "spam_pages": reason}
        sets.digests["clean_own"] = _digest(sets.clean)
        return sets

    seeds = SHARED / "seeds"
    for page in sorted(seeds.glob("[0-9][0-9][0-9]_*.txt")):
        num = page.name[:3]
        expected = seeds / "expected" / f"{num}.restored.txt"
        if expected.exists():
            sets.seeds.append((num, page.read_text(encoding="utf-8"), expected.read_text(encoding="utf-8")))
    sets.digests["seeds"] = _digest(sets.seeds)

    for r in clean_real:
        sets.clean.append((f"realdata/{r['id']}", r["kind_family"], r["text"]))
        # Official editions come in Big5 and in GB: only the Traditional ones are labelled genuine Traditional.
        official_big5 = r["kind_family"] == "official_big5_or_gb_edition" and _traditional_share(lex, r["text"]) > 0.05
        if r["kind_family"].startswith("genuine_traditional") or official_big5:
            sets.script_labelled.append((f"realdata/{r['id']}", "genuine", r["text"]))
    sets.digests["clean"] = _digest(sets.clean)

    # Real damaged pages: plain S→T conversion of a mainland page is a machine conversion; a page that went
    # T→S→T through an official gateway had a genuine Traditional original.
    damaged_real, pairs_real = _jsonl(realdata / "damaged.jsonl"), _jsonl(realdata / "pairs.jsonl")
    for rows, text_key in ((damaged_real, "text"), (pairs_real, "corrupted_text")):
        for r in rows:
            fine = set(r["damage"])
            if "t2s2t_roundtrip" in fine:
                sets.script_labelled.append((f"realdata/{r['id']}", "genuine", r[text_key]))
            elif "s2t_conversion" in fine:
                sets.script_labelled.append((f"realdata/{r['id']}", "machine", r[text_key]))
    sets.digests["script"] = _digest(sets.script_labelled)

    if CLEAN_LABELS.exists():
        sets.labelled_pages = labelled_real_pages(damaged_real, clean_real, pairs_real)
        sets.digests["cleaning"] = _digest(list(sets.labelled_pages.values()))
    else:
        reason = f"{CLEAN_LABELS} is absent (the labels live in the source checkout, not in the package)"
        sets.skipped.update({"boilerplate_lines": reason, "spam_pages": reason})
    return sets


def labelled_real_pages(damaged: list[dict] | None = None, clean: list[dict] | None = None,
                        pairs: list[dict] | None = None) -> dict[str, tuple[str, dict]]:
    """label id → (real page, its labels) for every page of ``CLEAN_LABELS``; rows are read from ../shared when not
    given.  The ids are the realdata ids, and ``<id>:corrupted`` / ``<id>:original`` for the two sides of a pair."""
    realdata = SHARED / "realdata"
    damaged = _jsonl(realdata / "damaged.jsonl") if damaged is None else damaged
    clean = _jsonl(realdata / "clean.jsonl") if clean is None else clean
    pairs = _jsonl(realdata / "pairs.jsonl") if pairs is None else pairs
    pages = {r["id"]: r["text"] for r in [*damaged, *clean]}
    for r in pairs:
        pages[r["id"] + ":corrupted"] = r["corrupted_text"]
        pages[r["id"] + ":original"] = r["original_text"]
    labels = json.loads(CLEAN_LABELS.read_text(encoding="utf-8"))["pages"]
    missing = sorted(set(labels) - set(pages))
    if missing:
        raise SystemExit(f"{CLEAN_LABELS.name} labels pages that ../shared/realdata lacks: {missing[:5]}")
    return {pid: (pages[pid], lab) for pid, lab in sorted(labels.items())}


def _add_mirror(sets: Sets, kit: DamageKit) -> None:
    """The dedup set: the mirror benchmark's articles and copies (``benchmarks/bench_dedup.py``, imported)."""
    bench = REPO / "benchmarks"
    if not (bench / "bench_dedup.py").exists():
        sets.skipped["dedup"] = f"{bench / 'bench_dedup.py'} is absent (the benchmarks live in the source checkout)"
        return
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    from bench_dedup import build_mirror

    _, sets.mirror_records, sets.mirror_truth = build_mirror(MIRROR_ARTICLES, MIRROR_SEED, kit)
    sets.digests[f"dedup{sets.tag}"] = _digest([r["text"] for r in sets.mirror_records])
