"""Does a change to the restore core leave every output as it was?  A check for speed work, not a test.

Run it once on the code before the change (``save``) and again after it (``compare``).  It fingerprints, per
document, the text of ``restore_text``, and the text and every edit (rule, span, before, after, confidence to six
places, alternatives) of ``restore_text_explained``, over the eval gate's synthetic pages, the seeds and
``realdata/damaged.jsonl`` + ``clean.jsonl`` of ../shared (the synthetic pages alone without it):

    python benchmarks/restore_equality.py save before
    ... change the code ...
    python benchmarks/restore_equality.py compare before     # exit 1 and the first differing documents

The fingerprints go to ``benchmarks/_work/equality-<name>.json`` (not committed).  The speed work on the restore core
was checked this way on 2,154 documents (2,000 synthetic), ~20 s a run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from common import SHARED

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "eval"))

from evalsets import build_sets  # noqa: E402

from zhclean.text.lexicon import Lexicon  # noqa: E402
from zhclean.text.restore import restore_text, restore_text_explained  # noqa: E402


def documents(synthetic: int) -> list[str]:
    docs = [d.damaged for d in build_sets(synthetic).synthetic]
    docs += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    for name in ("damaged", "clean"):
        path = SHARED / "realdata" / f"{name}.jsonl"
        if path.exists():
            docs += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return docs


def fingerprint(doc: str, lexicon: Lexicon) -> list[str]:
    def digest(value: object) -> str:
        return hashlib.sha1(repr(value).encode("utf-8", "surrogatepass")).hexdigest()

    explained = restore_text_explained(doc, lexicon=lexicon)
    edits = [
        (e.rule, e.start, e.end, e.before, e.after, round(e.confidence, 6), e.alternatives) for e in explained.edits
    ]
    return [digest(restore_text(doc, lexicon=lexicon)), digest(explained.text), digest(edits)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("save", "compare"))
    ap.add_argument("name", help="the saved fingerprints' name")
    ap.add_argument("--synthetic", type=int, default=2000, help="synthetic pages (the gate's set), default 2000")
    args = ap.parse_args(argv)
    path = HERE / "_work" / f"equality-{args.name}.json"
    lexicon = Lexicon.load()
    docs = documents(args.synthetic)
    prints = [fingerprint(d, lexicon) for d in docs]
    if args.mode == "save":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(prints), encoding="utf-8")
        print(f"saved the fingerprints of {len(docs)} documents to {path}")
        return 0
    if not path.exists():
        print(f"no saved fingerprints {path}: run 'save {args.name}' on the code before the change", file=sys.stderr)
        return 2
    saved = json.loads(path.read_text(encoding="utf-8"))
    if len(saved) != len(prints):
        print(f"saved {len(saved)} documents, now {len(prints)}: the sets differ (../shared or --synthetic)")
        return 2
    what = ("restore_text", "explained text", "edits")
    differ = []
    for i, (old, new) in enumerate(zip(saved, prints, strict=True)):
        parts = [w for w, a, b in zip(what, old, new, strict=True) if a != b]
        if parts:
            differ.append((i, parts))
    print(f"{len(docs)} documents, {len(differ)} differ")
    for i, parts in differ[:10]:
        print(f"  document {i}: {', '.join(parts)}: {docs[i][:60]!r}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
