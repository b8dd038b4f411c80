"""Assemble the evaluation sets at run time (third-party text is read from ../shared, never stored here)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from zhclean.simulate.corpus import synthetic_documents
from zhclean.simulate.damage import DamageKit, SimulatedDoc
from zhclean.simulate.texts import load_texts
from zhclean.text.lexicon import Lexicon

# ../shared beside the checkout; ZHCLEAN_SHARED points elsewhere (or at a missing folder, to run without it).
SHARED = Path(os.environ.get("ZHCLEAN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
SYNTHETIC_SEED = 20261123


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
        sets.skipped = {"seeds": reason, "clean_real": reason, "script_real": reason}
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
    for name, text_key in (("damaged.jsonl", "text"), ("pairs.jsonl", "corrupted_text")):
        for r in _jsonl(realdata / name):
            fine = set(r["damage"])
            if "t2s2t_roundtrip" in fine:
                sets.script_labelled.append((f"realdata/{r['id']}", "genuine", r[text_key]))
            elif "s2t_conversion" in fine:
                sets.script_labelled.append((f"realdata/{r['id']}", "machine", r[text_key]))
    sets.digests["script"] = _digest(sets.script_labelled)
    return sets
