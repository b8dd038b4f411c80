#!/usr/bin/env python3
"""Dedup quality, signature speed and memory at scale, in one process run.

    python benchmarks/bench_dedup.py [--articles 500] [--seed 0] [--speed-mb 8] [--scale-docs 0]

(a) **Mirror benchmark.**  Distinct articles are built deterministically by recombining sentences of the shipped news
texts and of real clean Simplified pages (``../shared/realdata/clean.jsonl`` when present): article *i* takes part
of the sentences of a *topic* source and some of two or three others, so articles with the same topic share
sentences but are different articles.  Each article gets 1–8 differently damaged copies (the simulator draws the
converter, pinyin coverage, template and SEO tail per copy; the pinyin table's ranking salt is drawn from four
"sites") and, for about a third, the clean original.  Every copy is restored, then ``dedup`` + ``consensus`` run
through :meth:`zhclean.pipeline.Pipeline.run_local`.  Reported: pairwise cluster precision and recall, clusters that
merged distinct articles (and same-topic ones), and, for kept copies in clusters of ≥ 3 copies, the share of the
simulator's lost characters that are right in the final text (before and after consensus).

(b) **Signature speed**, MB/s of UTF-8 key per core (this process), on the same keys: zhclean's numpy OPH,
zhclean's rensa path (``RMinHash`` with Python shingling), and datasketch ``MinHash`` (``update_batch``).

(c) **Scale** (``--scale-docs N``): N synthetic ~2 KB documents (sentences of the pool, 10% near-duplicates) through
the dedup step's signature phase (``scan_batch``, batches of 1000) and clustering (``combine``), in this process;
peak RSS and seconds per phase.  The driver holds every summary for ``combine`` exactly as the local engine does.

Results go to ``benchmarks/results/<date>-<cores>core-dedup.json``.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import itertools
import random
import re
import resource
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from math import comb

from common import clean_real_pages, write_result

from zhclean.dedup.keys import canonical_key
from zhclean.dedup.minhash import NGRAM, NUM_PERM, exact_jaccard, signatures, signatures_rensa
from zhclean.pipeline import Pipeline
from zhclean.simulate.damage import DamageConfig, DamageKit, damage_document, layout_page
from zhclean.simulate.texts import load_texts
from zhclean.steps.dedup import Consensus, Dedup
from zhclean.steps.library import Restore
from zhclean.text.lexicon import Lexicon

SALTS = ("zhclean", "mirror-b", "mirror-c", "mirror-d")  # four "sites" with their own pinyin tables
_SENTENCE_RE = re.compile(r"[^。！？!?]+[。！？!?]?")


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- (a) the mirror corpus ------------------------------------------------------------------------------------------
def load_sources() -> list[tuple[str, list[str]]]:
    """(title, sentences) of every clean Simplified source: shipped news plus real clean news pages."""
    sources = [(s.title, [x for p in s.paragraphs for x in _SENTENCE_RE.findall(p)]) for s in load_texts("news")]
    for page in clean_real_pages(("clean_simplified_news_gov",)):
        lines = [x.strip() for x in page.splitlines() if x.strip()]
        sentences = [x for line in lines[1:] for x in _SENTENCE_RE.findall(line) if len(x) >= 6]
        if len(lines) > 1 and len(sentences) >= 6:
            sources.append((lines[0][:40], sentences))
    return sources


def build_articles(n: int, seed: int, sources: list[tuple[str, list[str]]]) -> list[dict]:
    """``n`` distinct articles: {id, topic, title, paragraphs}; article ``i`` depends only on ``(seed, i)``."""
    articles = []
    for i in range(n):
        rng = random.Random(f"article:{seed}:{i}")
        topic = i % len(sources)
        title, own = sources[topic]
        k = max(3, round(len(own) * rng.uniform(0.25, 0.4)))
        start = rng.randrange(max(1, len(own) - k + 1))
        picked = own[start : start + k]
        for other in rng.sample([j for j in range(len(sources)) if j != topic], rng.randint(2, 3)):
            sent = sources[other][1]
            m = min(len(sent), rng.randint(2, 4))
            s0 = rng.randrange(len(sent) - m + 1)
            picked += sent[s0 : s0 + m]
        head, tail = picked[:2], picked[2:]
        rng.shuffle(tail)
        body = head + tail
        cut = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(2, 4))))
        paragraphs = ["".join(body[a:b]) for a, b in zip([0, *cut], [*cut, len(body)], strict=True)]
        articles.append({"id": i, "topic": topic, "title": f"{title}（{i % 97}）", "paragraphs": paragraphs})
    return articles


def build_copies(articles: list[dict], seed: int, kit: DamageKit) -> tuple[list[dict], dict[str, object]]:
    """Records (id, text) and the truth by id: article, topic and the simulated doc (None for a clean original)."""
    records, truth = [], {}
    for a in articles:
        rng = random.Random(f"copies:{seed}:{a['id']}")
        for c in range(rng.randint(1, 8)):
            cfg = DamageConfig(ranking_salt=rng.choice(SALTS))
            d = damage_document(a["title"], a["paragraphs"], rng=random.Random(f"copy:{seed}:{a['id']}:{c}"),
                                config=cfg, kit=kit)
            rid = f"a{a['id']:04d}-c{c}"
            records.append({"id": rid, "text": d.damaged})
            truth[rid] = (a["id"], a["topic"], d)
        if rng.random() < 0.33:
            page, _ = layout_page(a["title"], a["paragraphs"], random.Random(f"orig:{seed}:{a['id']}"))
            rid = f"a{a['id']:04d}-orig"
            records.append({"id": rid, "text": page})
            truth[rid] = (a["id"], a["topic"], None)
    return records, truth


def pairwise_scores(pred: dict[str, str], gold: dict[str, int]) -> dict[str, float]:
    """Pairwise precision and recall of predicted clusters against the true article of each record."""
    by_pred: dict[str, list[str]] = defaultdict(list)
    for rid, c in pred.items():
        by_pred[c].append(rid)
    pred_pairs = sum(comb(len(m), 2) for m in by_pred.values())
    gold_pairs = sum(comb(n, 2) for n in Counter(gold.values()).values())
    tp = sum(comb(n, 2) for m in by_pred.values() for n in Counter(gold[r] for r in m).values())
    return {"precision": tp / pred_pairs if pred_pairs else 1.0, "recall": tp / gold_pairs if gold_pairs else 1.0,
            "pred_pairs": pred_pairs, "gold_pairs": gold_pairs, "true_pairs": tp}


def lost_recovered(expected: str, text: str, lost: tuple[int, ...]) -> int:
    """How many ``lost`` positions of ``expected`` hold the right character in ``text`` (aligned after NFKC)."""
    exp = [unicodedata.normalize("NFKC", ch) for ch in expected]
    out = [unicodedata.normalize("NFKC", ch) for ch in text]
    right = set()
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, exp, out, autojunk=False).get_opcodes():
        if op == "equal":
            right.update(range(i1, i2))
    return sum(1 for p in lost if p in right)


def build_mirror(n_articles: int, seed: int, kit: DamageKit) -> tuple[list[dict], list[dict], dict[str, object]]:
    """The mirror corpus: (articles, records, truth by record id); see :func:`build_articles`, :func:`build_copies`."""
    articles = build_articles(n_articles, seed, load_sources())
    records, truth = build_copies(articles, seed, kit)
    return articles, records, truth


def cluster_mirror(records: list[dict]) -> tuple[dict[str, str], list[dict], tuple[float, float]]:
    """Restore every copy, then ``dedup`` + ``consensus``: (restored text by id, output records, (seconds restore,
    seconds dedup+consensus))."""
    t0 = time.perf_counter()
    restored = Pipeline([Restore()]).run_local(records)
    t1 = time.perf_counter()
    out = Pipeline([Dedup(), Consensus()]).run_local(restored)
    t2 = time.perf_counter()
    return {r["zh__id"]: r["text"] for r in restored}, out, (t1 - t0, t2 - t1)


def cluster_members(out: list[dict], truth: dict) -> tuple[dict, dict, dict[str, list[str]]]:
    """(record → output cluster, record → true article, output cluster → its records)."""
    pred = {r["zh__id"]: r["zh__cluster"] for r in out}
    gold = {rid: truth[rid][0] for rid in pred}
    members: dict[str, list[str]] = defaultdict(list)
    for rid, c in pred.items():
        members[c].append(rid)
    return pred, gold, members


def cluster_quality(out: list[dict], truth: dict) -> dict:
    """Pairwise precision/recall of the output clusters against the true article, merged and split articles."""
    pred, gold, members = cluster_members(out, truth)
    scores = pairwise_scores(pred, gold)
    merged = [m for m in members.values() if len({gold[r] for r in m}) > 1]
    merged_same_topic = [m for m in merged if len({truth[r][1] for r in m}) < len({gold[r] for r in m})]
    clusters_of: dict[int, set[str]] = defaultdict(set)
    for rid, c in pred.items():
        clusters_of[gold[rid]].add(c)
    split = sum(1 for cs in clusters_of.values() if len(cs) > 1)
    return {**scores, "merged_clusters": len(merged), "merged_same_topic": len(merged_same_topic),
            "split_articles": split}


def run_mirror(n_articles: int, seed: int, lex: Lexicon) -> tuple[dict, list[str]]:
    articles, records, truth = build_mirror(n_articles, seed, DamageKit(lex))
    before, out, (t_restore, t_dedup) = cluster_mirror(records)
    pred, gold, members = cluster_members(out, truth)
    quality = cluster_quality(out, truth)

    # consensus: kept copies, in clusters of >= 3, that lost characters
    lost_total = right_before = right_after = 0
    fixed_edits = wrong_edits = 0
    for r in out:
        rid = r["zh__id"]
        if r.get("zh__drop_reason") or len(members[r["zh__cluster"]]) < 3 or truth[rid][2] is None:
            continue
        d = truth[rid][2]
        if not d.lost_chars:
            continue
        lost_total += len(d.lost_chars)
        right_before += lost_recovered(d.expected, before[rid], d.lost_chars)
        right_after += lost_recovered(d.expected, r["text"], d.lost_chars)
    n_consensus = sum(1 for r in out if '"consensus.majority"' in (r.get("zh__edits") or ""))
    for r in out:
        if '"consensus.majority"' in (r.get("zh__edits") or "") and truth[r["zh__id"]][2] is not None:
            d = truth[r["zh__id"]][2]
            was = lost_recovered(d.expected, before[r["zh__id"]], d.lost_chars)
            ok = lost_recovered(d.expected, r["text"], d.lost_chars) >= was
            fixed_edits += ok
            wrong_edits += not ok

    # the similarity the threshold has to separate (exact Jaccard of the keys, a sample)
    keys = {rid: canonical_key(before[rid], lexicon=lex) for rid in pred}
    rng = random.Random(seed)
    by_article: dict[int, list[str]] = defaultdict(list)
    for rid in pred:
        by_article[gold[rid]].append(rid)
    copy_j = [exact_jaccard(keys[m[0]], keys[m[k]]) for m in by_article.values() for k in range(1, len(m))]
    by_topic: dict[int, list[int]] = defaultdict(list)
    for a in articles:
        by_topic[a["topic"]].append(a["id"])
    topic_j = []
    for ids in by_topic.values():
        for x, y in itertools.pairwise(ids):
            topic_j.append(exact_jaccard(keys[rng.choice(by_article[x])], keys[rng.choice(by_article[y])]))
    originals = sum(1 for v in truth.values() if v[2] is None)
    lines = [
        f"(a) {n_articles} articles, {len(records)} records ({originals} originals)"
        f"; restore {t_restore:.1f} s, dedup+consensus {t_dedup:.1f} s",
        f"    precision {quality['precision']:.4f}  recall {quality['recall']:.4f}  "
        f"merged clusters {quality['merged_clusters']} (same topic {quality['merged_same_topic']})  "
        f"split articles {quality['split_articles']}",
        f"    key Jaccard: copies min {min(copy_j):.3f} p1 {quantile(copy_j, 0.01):.3f}; same-topic distinct max "
        f"{max(topic_j):.3f} p99 {quantile(topic_j, 0.99):.3f}",
        f"    lost chars in kept copies (clusters >= 3): {lost_total}; right before consensus {right_before}, "
        f"after {right_after} ({right_after / max(lost_total, 1):.1%}); consensus edits on {n_consensus} docs "
        f"({wrong_edits} made a lost char worse)",
    ]
    result = {
        "articles": n_articles, "records": len(records), "seed": seed, **quality,
        "copy_jaccard_min": round(min(copy_j), 4), "copy_jaccard_p01": round(quantile(copy_j, 0.01), 4),
        "same_topic_jaccard_max": round(max(topic_j), 4), "same_topic_jaccard_p99": round(quantile(topic_j, 0.99), 4),
        "lost_chars_kept": lost_total, "lost_right_before_consensus": right_before,
        "lost_right_after_consensus": right_after,
        "consensus_recovered_share": round(right_after / lost_total, 4) if lost_total else None,
        "consensus_docs": n_consensus, "consensus_docs_worse": wrong_edits,
        "seconds_restore": round(t_restore, 2), "seconds_dedup_consensus": round(t_dedup, 2),
        "summary_lines": lines,
    }
    return result, [keys[rid] for rid in pred]


def quantile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


# -- (b) signature speed --------------------------------------------------------------------------------------------
def run_speed(keys: list[str], target_mb: float, rounds: int = 3) -> dict:
    base = [k for k in keys if k]
    size = sum(len(k.encode()) for k in base) / 1e6
    corpus = base * max(1, round(target_mb / size))
    mb = sum(len(k.encode()) for k in corpus) / 1e6
    small = corpus[: max(1, len(corpus) // 8)]  # the slow engines get an eighth
    small_mb = sum(len(k.encode()) for k in small) / 1e6

    def numpy_oph() -> float:
        t = time.perf_counter()
        for i in range(0, len(corpus), 1000):
            signatures(corpus[i : i + 1000])
        return mb / (time.perf_counter() - t)

    def rensa_rminhash() -> float:
        t = time.perf_counter()
        signatures_rensa(small)
        return small_mb / (time.perf_counter() - t)

    def datasketch_minhash() -> float:
        from datasketch import MinHash

        t = time.perf_counter()
        for key in small:
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([key[j : j + NGRAM].encode() for j in range(len(key) - NGRAM + 1)])
            m.digest()
        return small_mb / (time.perf_counter() - t)

    engines = {"zhclean_numpy_oph": numpy_oph, "zhclean_rensa_rminhash": rensa_rminhash,
               "datasketch_minhash": datasketch_minhash}
    runs: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(rounds):  # alternate engines round by round so machine noise hits them alike
        for name, fn in engines.items():
            try:
                runs[name].append(fn())
            except ImportError:
                runs[name] = []
    out = {name: round(statistics.median(v), 1) if v else "not installed" for name, v in runs.items()}
    return {"mb_per_s_per_core": out, "corpus_mb": round(mb, 2), "rounds": rounds, "num_perm": NUM_PERM,
            "ngram": NGRAM}


# -- (c) scale ------------------------------------------------------------------------------------------------------
def synthetic_docs(n: int, seed: int, pool: list[str]) -> list[str]:
    """``n`` ~2 KB documents of pool sentences; every tenth is a near copy (a few sentences changed) of an earlier."""
    rng = random.Random(f"scale:{seed}")
    docs: list[str] = []
    for i in range(n):
        if i >= 10 and i % 10 == 0:
            base = docs[rng.randrange(i)]
            cut = rng.randrange(len(base) // 2)
            docs.append(base[:cut] + rng.choice(pool) + base[cut + 30 :])
            continue
        parts, size = [], 0
        while size < 2000:
            s = rng.choice(pool)
            parts.append(s)
            size += len(s.encode())
        docs.append("".join(parts))
    return docs


def run_scale(n_docs: int, seed: int, pool: list[str], batch: int = 1000) -> dict:
    step = Dedup(consensus=False)
    step.setup()
    rss0 = rss_mb()
    summaries = []
    t0 = time.perf_counter()
    mb = 0.0
    chunk = 20_000  # generate in chunks: the text of 1M docs would itself be 2 GB, which no engine holds
    for lo in range(0, n_docs, chunk):
        docs = synthetic_docs(min(chunk, n_docs - lo), seed + lo, pool)
        mb += sum(len(d.encode()) for d in docs) / 1e6
        for k in range(0, len(docs), batch):
            part = docs[k : k + batch]
            b = {"text": part, "zh__id": [f"d{lo + k + j}" for j in range(len(part))]}
            summaries.append(step.scan_batch(b))
        del docs
        gc.collect()
        if (lo // chunk) % 10 == 9:
            print(f"    (c) {lo + chunk} docs, {time.perf_counter() - t0:.0f} s, peak RSS {rss_mb():.0f} MB",
                  file=sys.stderr, flush=True)
    t1 = time.perf_counter()
    rss_scan = rss_mb()
    decision = step.combine(summaries)
    t2 = time.perf_counter()
    rss_combine = rss_mb()
    summary_bytes = sum(s.sig16.nbytes + s.exact.nbytes + 4 * 4 * len(s.keys) for s in summaries)
    return {"docs": n_docs, "mb": round(mb, 1), "seconds_signatures": round(t1 - t0, 1),
            "signature_phase_mb_per_s": round(mb / (t1 - t0), 1), "seconds_clustering": round(t2 - t1, 1),
            "rss_mb_start": round(rss0), "rss_mb_after_signatures": round(rss_scan),
            "rss_mb_peak_after_clustering": round(rss_combine), "summary_array_mb": round(summary_bytes / 1e6, 1),
            "clusters": decision.summary.get("clusters"), "duplicates": decision.summary.get("duplicates")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speed-mb", type=float, default=8.0, help="MB of keys for the numpy engine in (b)")
    ap.add_argument("--scale-docs", type=int, default=0, help="run (c) with this many ~2 KB documents")
    ap.add_argument("--skip-mirror", action="store_true")
    args = ap.parse_args()
    lex = Lexicon.load()
    payload: dict = {"args": vars(args)}
    keys: list[str] = []
    if not args.skip_mirror:
        payload["mirror"], keys = run_mirror(args.articles, args.seed, lex)
        print("\n".join(payload["mirror"]["summary_lines"]))
    if not keys:
        keys = [canonical_key("".join(s), lexicon=lex) for _, s in load_sources()]
    payload["speed"] = run_speed(keys, args.speed_mb)
    print("(b) signatures MB/s per core:", payload["speed"]["mb_per_s_per_core"])
    if args.scale_docs:
        pool = [x for _, s in load_sources() for x in s]
        payload["scale"] = run_scale(args.scale_docs, args.seed, pool)
        print("(c)", payload["scale"])
    path = write_result("dedup", payload)
    print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
