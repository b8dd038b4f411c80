"""Metrics of the quality gate; each takes restored outputs and labels, never the tool's own opinion of itself."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# `[?X]` marks a character whose bytes were lost; X is the most likely original (shared/seeds/README.md).
LOST_MARK = re.compile(r"\[\?(.)\]")
# An annotation-shaped `字(pīnyīn)`: a Han character followed by one Latin syllable in ASCII parentheses.
ANNOTATION = re.compile(r"[\u3400-\u9fff]\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[1-5]?)\)")


def normalize_for_compare(text: str) -> str:
    """NFKC on both sides: the crawl folded punctuation width, so width is not judged."""
    return unicodedata.normalize("NFKC", LOST_MARK.sub(r"\1", text))


def char_matches(output: str, expected: str) -> tuple[int, int]:
    """(characters of ``expected`` reproduced in order by ``output``, length of ``expected``) after normalisation.

    Characters the output adds count against it too: the score is matches / max(len(expected), len(output)) when
    used through :func:`char_accuracy`, so inserting junk cannot raise it.
    """
    a, b = normalize_for_compare(output), normalize_for_compare(expected)
    if a == b:
        return len(b), len(b)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in sm.get_matching_blocks())
    return matched, max(len(a), len(b))


def char_accuracy(pairs: Iterable[tuple[str, str]]) -> float:
    """Micro-averaged character accuracy over (output, expected) pairs."""
    matched = total = 0
    for out, exp in pairs:
        m, t = char_matches(out, exp)
        matched += m
        total += t
    return matched / total if total else 1.0


def count_annotations(text: str) -> int:
    return len(ANNOTATION.findall(text))


def chars_changed(before: str, after: str) -> int:
    """How many characters differ (insertions, deletions and substitutions, counted on the longer side)."""
    if before == after:
        return 0
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    same = sum(block.size for block in sm.get_matching_blocks())
    return max(len(before), len(after)) - same


def recoverable_matches(output: str, expected: str, lost: tuple[int, ...]) -> tuple[int, int]:
    """Like :func:`char_matches`, but positions of ``expected`` whose bytes were lost are left out of both counts."""
    a, b = normalize_for_compare(output), normalize_for_compare(expected)
    lost_set = set(lost)
    if a == b:
        return len(b) - len(lost_set), len(b) - len(lost_set)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = 0
    for block in sm.get_matching_blocks():
        matched += sum(1 for j in range(block.b, block.b + block.size) if j not in lost_set)
    return matched, max(len(a), len(b)) - len(lost_set)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def measure_all(sets) -> tuple[dict[str, float], dict[str, object]]:
    """Run the restorer over every set; return (figures, details for the JSON report)."""
    from zhclean.text.pinyin import strip_pinyin_annotations_explained  # noqa: F401  (import check only)
    from zhclean.text.restore import restore_text_explained
    from zhclean.text.script import detect_machine_s2t

    lex = sets.lexicon
    figures: dict[str, float] = {}
    details: dict[str, object] = {}

    # -- synthetic damage ----------------------------------------------------------------------------------------
    if sets.synthetic:
        matched = total = lost = lost_right = injected = missed = 0
        worst: list[tuple[float, str]] = []
        for d in sets.synthetic:
            out = restore_text_explained(d.damaged, lexicon=lex).text
            m, t = recoverable_matches(out, d.expected, d.lost_chars)
            matched += m
            total += t
            lost += len(d.lost_chars)
            exp_n = normalize_for_compare(d.expected)
            out_n = normalize_for_compare(out)
            if len(exp_n) == len(out_n):
                lost_right += sum(1 for p in d.lost_chars if p < len(exp_n) and exp_n[p] == out_n[p])
            injected += d.n_annotations
            missed += max(0, count_annotations(out) - count_annotations(d.expected))
            if m < t:
                worst.append((m / t if t else 1.0, d.meta.get("index", "?")))
        false_strips = 0
        # Legitimate annotations live in the clean set (shipped teaching texts, real glosses): a strip there is a FP.
        for _id, _kind, text in sets.clean:
            out = restore_text_explained(text, lexicon=lex).text
            false_strips += max(0, count_annotations(text) - count_annotations(out))
        tp = injected - missed
        figures[f"synthetic{sets.tag}.restored_char_accuracy"] = _ratio(matched, total)
        figures[f"synthetic{sets.tag}.lost_chars_guessed_right"] = _ratio(lost_right, lost)
        figures[f"synthetic{sets.tag}.pinyin_strip_recall"] = _ratio(tp, injected)
        figures[f"synthetic{sets.tag}.pinyin_strip_precision"] = _ratio(tp, tp + false_strips)
        details[f"synthetic{sets.tag}"] = {"docs": len(sets.synthetic), "recoverable_chars": total, "lost_chars": lost,
                                "injected_annotations": injected, "missed_annotations": missed,
                                "false_strips_on_clean": false_strips,
                                "worst_docs": sorted(worst)[:10]}

    # -- real seeds ----------------------------------------------------------------------------------------------
    for num, page, expected in sets.seeds:
        out = restore_text_explained(page, lexicon=lex).text
        m, t = char_matches(out, expected)
        figures[f"seeds.{num}.restored_char_accuracy"] = _ratio(m, t)
        figures[f"seeds.{num}.annotations_left"] = count_annotations(out)
        figures[f"seeds.{num}.traditional_only_left"] = sum(1 for c in out if lex.is_traditional_only(c))

    # -- do no harm ----------------------------------------------------------------------------------------------
    changed = 0
    changed_docs = []
    for doc_id, kind, text in sets.clean:
        out = restore_text_explained(text, lexicon=lex).text
        n = chars_changed(text, out)
        if n:
            changed += n
            changed_docs.append({"id": doc_id, "kind": kind, "chars_changed": n})
    figures[f"clean{sets.tag}.chars_changed"] = changed
    details["clean"] = {"docs": len(sets.clean), "changed_docs": changed_docs}

    # -- script decisions ----------------------------------------------------------------------------------------
    confusion: dict[str, dict[str, int]] = {}
    wrong = []
    for doc_id, label, text in sets.script_labelled:
        # Judged by what the restorer does (it decides with everything it knows, bursts included), not by the
        # detector alone: a page is treated as machine Traditional when restore undoes a conversion in it.
        converted = any(e.rule == "s2t.machine_conversion" for e in restore_text_explained(text, lexicon=lex).edits)
        v = detect_machine_s2t(text, lexicon=lex)
        said = "machine" if converted else "genuine" if v.label in ("genuine_traditional", "mixed") else v.label
        group = f"synthetic{sets.tag}" if doc_id.startswith("synthetic/") else "real"
        key = f"{group}:{label}"
        confusion.setdefault(key, {}).setdefault(said, 0)
        confusion[key][said] += 1
        if said != label:
            wrong.append({"id": doc_id, "label": label, "said": said, "verdict": v.label, "score": round(v.score, 3)})
    for group in (f"synthetic{sets.tag}", "real"):
        for label, other in (("machine", "genuine"), ("genuine", "machine")):
            row = confusion.get(f"{group}:{label}")
            if row is not None:
                figures[f"script_{group}.{label}_judged_{other}"] = row.get(other, 0)
    details["script"] = {"confusion": confusion, "wrong": wrong}
    return figures, details
