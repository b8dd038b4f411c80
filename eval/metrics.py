"""Metrics of the quality gate; each takes restored outputs and labels, never the tool's own opinion of itself."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable

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


def line_hash(line: str) -> str:
    """The label files' line key: the first 10 hex of sha1 of the stripped line (no text is stored)."""
    return hashlib.sha1(line.strip().encode()).hexdigest()[:10]


def boilerplate_lines(text: str, gazetteer) -> dict[int, tuple[str, bool]]:
    """Line index → (line, whether the cleaner takes it out of the article) for every line of ``text``.

    A line leaves when :func:`zhclean.text.boilerplate.classify_lines` gives it a rule (chrome, title/date/source
    lines, link lists) or :func:`zhclean.text.seo.find_seo_spam` finds spam starting on it (an inline anchor's match
    starts at the line break before it, hence the one-character shift).
    """
    from zhclean.text.boilerplate import classify_lines
    from zhclean.text.seo import find_seo_spam

    seo = {text.count("\n", 0, f.start + (f.rule == "seo.inline_anchor"))
           for f in find_seo_spam(text, gazetteer=gazetteer)}
    return {ln.index: (ln.text, ln.rule is not None or ln.index in seo) for ln in classify_lines(text)}


def boilerplate_counts(pages: Iterable[tuple[str, Iterable[tuple[int, str, bool]]]], gazetteer) -> dict[str, int]:
    """tp/fp/fn of boilerplate-line detection over ``(text, [(line index, line hash, is boilerplate)])`` pages.

    A labelled line whose hash does not match the line at its index (the text changed since labelling) is counted
    as ``unmatched`` and left out.
    """
    tp = fp = fn = unmatched = 0
    for text, labelled in pages:
        lines = boilerplate_lines(text, gazetteer)
        for index, h, truth in labelled:
            line = lines.get(index)
            if line is None or line_hash(line[0]) != h:
                unmatched += 1
                continue
            predicted = line[1]
            tp += truth and predicted
            fp += (not truth) and predicted
            fn += truth and not predicted
    return {"tp": tp, "fp": fp, "fn": fn, "unmatched": unmatched}


def synthetic_line_labels(expected: str, article: str) -> list[tuple[int, str, bool]]:
    """Line labels of a simulated page from its truth: a non-blank line of ``expected`` (the page as a perfect
    restorer returns it) is body when it is a line of ``article`` (what a cleaner keeps), else boilerplate."""
    body = {ln.strip() for ln in article.split("\n") if ln.strip()}
    return [(i, line_hash(ln), ln.strip() not in body) for i, ln in enumerate(expected.split("\n")) if ln.strip()]


def measure_all(sets) -> tuple[dict[str, float], dict[str, object]]:
    """Run the restorer over every set; return (figures, details for the JSON report)."""
    from zhclean.text.pinyin import strip_pinyin_annotations_explained  # noqa: F401  (import check only)
    from zhclean.text.restore import restore_text_explained as _restore
    from zhclean.text.script import detect_machine_s2t

    lex = sets.lexicon
    figures: dict[str, float] = {}
    details: dict[str, object] = {}
    # The same texts are restored for several metrics (a synthetic page for accuracy and for the script decision,
    # a clean page for pinyin precision and for do-no-harm); restore is deterministic, so each is restored once.
    memo: dict[str, object] = {}

    def restore_text_explained(text: str, *, lexicon=lex):
        if text not in memo:
            memo[text] = _restore(text, lexicon=lexicon)
        return memo[text]

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

    measure_cleaning(sets, figures, details, restore_text_explained)
    measure_dedup(sets, figures, details)
    return figures, details


def measure_cleaning(sets, figures: dict, details: dict, restore: Callable) -> None:
    """Boilerplate lines (real labels and synthetic truth) and spam pages (real labels)."""
    from zhclean.text.seo import Gazetteer

    gaz = Gazetteer.load()
    # Synthetic pages: the cleaner on the page a perfect restorer returns, so restore errors are not counted here.
    # Only pages laid out from the shipped articles: a real page used as a source brings its own chrome lines into
    # the simulator's "article", so its truth would count the cleaner's right removals as errors.
    shipped = [d for d in sets.synthetic if not d.meta.get("source_id", "").startswith("extra-")]
    if shipped:
        c = boilerplate_counts(((d.expected, synthetic_line_labels(d.expected, d.article)) for d in shipped), gaz)
        figures[f"boilerplate_synthetic{sets.tag}.line_precision"] = _ratio(c["tp"], c["tp"] + c["fp"])
        figures[f"boilerplate_synthetic{sets.tag}.line_recall"] = _ratio(c["tp"], c["tp"] + c["fn"])
        details[f"boilerplate_synthetic{sets.tag}"] = {**c, "pages": len(shipped)}
    if not sets.labelled_pages:
        return
    # Real pages: labels were made on the restored page, so the cleaner sees restore's output, as in the pipeline.
    labelled = [(restore(text).text,
                 [(i, h, True) for i, h in lab["boilerplate"]] + [(i, h, False) for i, h in lab["body"]])
                for text, lab in sets.labelled_pages.values()]
    c = boilerplate_counts(labelled, gaz)
    figures["boilerplate.line_precision"] = _ratio(c["tp"], c["tp"] + c["fp"])
    figures["boilerplate.line_recall"] = _ratio(c["tp"], c["tp"] + c["fn"])
    figures["boilerplate.labelled_lines_unmatched"] = c["unmatched"]
    details["boilerplate"] = c

    # Spam pages: the pipeline's per-record steps (restore → clean → score → quality_filter), as `zhclean run`
    # applies them; a page with a drop reason is judged spam.
    from zhclean.pipeline import Pipeline
    from zhclean.steps.clean import Clean, QualityFilter, Score
    from zhclean.steps.library import Restore

    records = [{"id": pid, "text": text} for pid, (text, _) in sets.labelled_pages.items()]
    out = Pipeline([Restore(), Clean(), Score(), QualityFilter()]).run_local(records)
    dropped = {r["id"]: r["zh__drop_reason"] for r in out if r.get("zh__drop_reason")}
    spam = {pid for pid, (_, lab) in sets.labelled_pages.items() if lab["spam"]}
    clean = {pid for pid, (_, lab) in sets.labelled_pages.items()
             if lab["file"] == "clean" or pid.endswith(":original")}
    hit = spam & set(dropped)
    figures["spam.page_precision"] = _ratio(len(hit), len(dropped))
    figures["spam.page_recall"] = _ratio(len(hit), len(spam))
    figures["spam.clean_pages_dropped"] = len(clean & set(dropped))
    details["spam"] = {"pages": len(records), "spam_pages": len(spam), "dropped": dropped,
                       "missed": sorted(spam - set(dropped)), "clean_pages": len(clean)}


def measure_dedup(sets, figures: dict, details: dict) -> None:
    """Cluster precision and recall on the mirror set: every copy restored, then dedup + consensus."""
    if not sets.mirror_records:
        return
    from bench_dedup import cluster_mirror, cluster_quality  # on sys.path since evalsets built the set

    _, out, seconds = cluster_mirror(sets.mirror_records)
    q = cluster_quality(out, sets.mirror_truth)
    figures[f"dedup{sets.tag}.cluster_precision"] = q["precision"]
    figures[f"dedup{sets.tag}.cluster_recall"] = q["recall"]
    figures[f"dedup{sets.tag}.distinct_articles_merged"] = q["merged_clusters"]
    details[f"dedup{sets.tag}"] = {**q, "records": len(sets.mirror_records),
                                   "seconds_restore_dedup": [round(x, 2) for x in seconds]}
