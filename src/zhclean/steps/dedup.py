"""The dedup steps: ``dedup`` (clusters, keep the best copy) and ``consensus`` (repair the kept copy from the others).

``dedup`` is a :class:`~zhclean.steps.base.GlobalStep` whose moves are the dedup phases:

1. **signatures** (``scan_batch``, per shard, in parallel): for every active row the canonical key
   (:func:`zhclean.dedup.keys.canonical_key`), its 128-bit exact hash, a 16-bit-per-value MinHash signature and a
   few quality numbers.  No text leaves the worker except the short contexts of the row's uncertain spots.
2. **band buckets** and 3. **clusters** (``combine``, behind the barrier): LSH band collisions → pairs verified
   against the threshold → union-find (:mod:`zhclean.dedup.cluster`); exact duplicates always join.
4. **keep/drop** (``apply_batch``, per shard): every row gets ``zh__cluster`` (the smallest ``zh__id`` of its
   cluster; its own id when unique); all copies but the best get ``zh__drop_reason = "duplicate"`` and
   ``zh__dup_of`` (the kept copy's id).  Copies in a cluster whose kept copy has uncertain spots also read those
   spots in their own text and leave the readings in ``zh__consensus_votes``.

``consensus`` (a second global step, right after ``dedup``) gathers the readings, takes the majority per spot and
rewrites the kept copy (rule ``consensus.majority``, the supporting copies in the edit's ``support``); it then
clears ``zh__consensus_votes``.

The best copy of a cluster: an undamaged Simplified original (no edits, nothing uncertain) first, then the least
residual damage (uncertain characters), then the fewest Traditional-only characters left, then the longest key
(the most complete text), then the smallest id.

Example, three copies of one article (one with a lost character, one in Traditional) and one other article:

    >>> from zhclean.pipeline import Pipeline
    >>> body = "今年以来，全市新增就业岗位三万多个，重点项目建设进展顺利，居民收入稳步增长，社会保持和谐稳定。"
    >>> recs = [{"id": "a", "text": body}, {"id": "b", "text": body.replace("项目", "项?")},
    ...         {"id": "c", "text": body.replace("岗位", "崗位")},
    ...         {"id": "d", "text": "春天来了，公园里的花都开了，孩子们在草地上放风筝，老人们在树下下棋聊天。"}]
    >>> out = Pipeline([Dedup(), Consensus()]).run_local(recs)
    >>> [(r["zh__id"], r["zh__cluster"], r.get("zh__dup_of"), r.get("zh__drop_reason")) for r in out]
    [('a', 'a', None, None), ('b', 'a', 'a', 'duplicate'), ('c', 'a', 'a', 'duplicate'), ('d', 'd', None, None)]
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from zhclean.dedup.consensus import (
    MIN_VOTES,
    Spot,
    choose_majority,
    find_spots,
    read_spot,
    repair_spots,
    uncertain_spans,
)
from zhclean.dedup.keys import canonical_key, fold_with_offsets
from zhclean.dedup.params import NGRAM, NUM_PERM, THRESHOLD
from zhclean.errors import ConfigError
from zhclean.record import (
    DROP_REASON,
    EDITS,
    ID,
    N_EDITS,
    ORIGIN,
    Batch,
    active_rows,
    batch_len,
    decode_edits,
    encode_edits,
)
from zhclean.steps.base import GlobalStep, shared_lexicon

if TYPE_CHECKING:
    import numpy as np

# numpy and xxhash (the `dedup` extra) are imported where they are used, so that the step table, which imports
# this module, loads without them; constructing a step checks the extra and names the pip command.

logger = logging.getLogger(__name__)

CLUSTER = "zh__cluster"
DUP_OF = "zh__dup_of"
VOTES = "zh__consensus_votes"
DUPLICATE = "duplicate"
ENGINES = ("numpy", "rensa")
MIN_COPIES_FOR_CONSENSUS = 3
"""A vote needs the kept copy and at least two others (forensics §4: one other copy may carry its own damage)."""
BIGGEST_CLUSTERS = 10
"""Clusters listed by size in the decision's summary."""


def row_key(batch: Batch, i: int) -> str:
    """What identifies row ``i`` across phases: ``zh__id`` plus ``zh__origin`` (ids given by users may repeat)."""
    source = batch.get(ORIGIN)
    return f"{batch[ID][i]}\x1f{source[i] if source is not None and source[i] is not None else ''}"


def id_of(key: str) -> str:
    """The ``zh__id`` part of a :func:`row_key`."""
    return key.split("\x1f", 1)[0]


def _edits(batch: Batch, i: int) -> list[dict[str, Any]]:
    column = batch.get(EDITS)
    return decode_edits(column[i]) if column is not None else []


@dataclass
class ScanSummary:
    """What the signature phase keeps of one batch: compact arrays and the row key, no text (about 290 bytes of
    arrays per row at 128 values, plus the key string)."""

    keys: list[str]
    exact: np.ndarray  # (n, 2) uint64
    sig16: np.ndarray  # (n, num_perm) uint16
    has_sig: np.ndarray  # (n,) bool
    residual: np.ndarray  # (n,) int32: uncertain characters left after restoring
    pristine: np.ndarray  # (n,) bool: no edits and nothing uncertain
    traditional: np.ndarray  # (n,) int32: Traditional-only characters in the text
    key_len: np.ndarray  # (n,) int32
    spots: dict[int, list[Spot]] = field(default_factory=dict)  # local row → its uncertain spots (rows with any)


@dataclass
class DedupDecision:
    """The outcome of clustering: only rows in clusters of two or more are listed (a unique row needs nothing)."""

    members: dict[str, tuple[str, str | None]]  # row key → (cluster id, id of the kept copy or None if kept)
    requests: dict[str, tuple[str, list[Spot]]]  # cluster id → (kept row key, its spots), for consensus
    summary: dict[str, Any]


@dataclass
class Dedup(GlobalStep):
    """Exact and near-duplicate detection on script-folded keys; keeps the best copy of each cluster.

    Attributes:
        threshold: Jaccard similarity of the keys' character n-gram sets above which two documents are copies.
        num_perm: MinHash signature length (a power of two).
        ngram: characters per shingle.
        engine: ``numpy`` (one-permutation MinHash, the default) or ``rensa`` (classic MinHash, needs rensa).
        consensus: let duplicates read the kept copy's uncertain spots (for the ``consensus`` step).
    """

    name: ClassVar[str] = "dedup"
    needs: ClassVar[tuple[str, ...]] = ("dedup",)
    summary: ClassVar[str] = "exact and MinHash-LSH near duplicates on script-folded keys; keep the best copy"

    threshold: float = THRESHOLD
    num_perm: int = NUM_PERM
    ngram: int = NGRAM
    engine: str = "numpy"
    consensus: bool = True

    def validate(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"dedup: threshold must be between 0 and 1 (exclusive), got {self.threshold}")
        if self.num_perm & (self.num_perm - 1) or not 16 <= self.num_perm <= 1024:
            raise ConfigError(f"dedup: num_perm must be a power of two from 16 to 1024, got {self.num_perm}")
        if not 1 <= self.ngram <= 5:
            raise ConfigError(f"dedup: ngram must be 1 to 5, got {self.ngram}")
        if self.engine not in ENGINES:
            raise ConfigError(f"dedup: engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")

    def setup(self) -> None:
        from zhclean.dedup.lsh import choose_bands

        self.__dict__["_lexicon"] = shared_lexicon()
        self.__dict__["_bands"] = choose_bands(self.threshold, self.num_perm)

    # -- phase 1: signatures -----------------------------------------------------------------------------------
    def scan_batch(self, batch: Batch) -> ScanSummary:
        import numpy as np

        from zhclean.dedup.cluster import compact_signatures
        from zhclean.dedup.minhash import exact_hashes, has_signature, signatures, signatures_rensa

        self.ensure_setup()
        lexicon = self.__dict__["_lexicon"]
        rows = active_rows(batch) if batch_len(batch) else []
        texts = [batch[self.text_field][i] for i in rows]
        rows_texts = [(i, t) for i, t in zip(rows, texts, strict=True) if isinstance(t, str)]
        keys = [canonical_key(t, lexicon=lexicon) for _, t in rows_texts]
        sign = signatures if self.engine == "numpy" else signatures_rensa
        sig = sign(keys, self.num_perm, self.ngram)
        n = len(rows_texts)
        residual = np.zeros(n, dtype=np.int32)
        pristine = np.zeros(n, dtype=bool)
        traditional = np.zeros(n, dtype=np.int32)
        spots: dict[int, list[Spot]] = {}
        trad_re = self.__dict__.get("_trad_re")
        if trad_re is None:
            trad_re = self.__dict__["_trad_re"] = re.compile(f"[{lexicon.traditional_only_class()}]")
        for j, (i, text) in enumerate(rows_texts):
            edits = _edits(batch, i)
            spans = uncertain_spans(text, edits)
            residual[j] = sum(t - s for s, t in spans)
            pristine[j] = not edits and not spans
            traditional[j] = len(trad_re.findall(text))
            if spans and self.consensus:
                found = find_spots(text, spans)
                if found:
                    spots[j] = found
        return ScanSummary(
            keys=[row_key(batch, i) for i, _ in rows_texts],
            exact=exact_hashes(keys),
            sig16=compact_signatures(sig),
            has_sig=has_signature(sig),
            residual=residual,
            pristine=pristine,
            traditional=traditional,
            key_len=np.fromiter((len(k) for k in keys), dtype=np.int32, count=n),
            spots=spots,
        )

    # -- phases 2 and 3: band buckets, clusters ----------------------------------------------------------------
    def combine(self, summaries: list[ScanSummary]) -> DedupDecision:
        import numpy as np

        from zhclean.dedup.cluster import cluster_labels

        self.ensure_setup()
        bands, rows = self.__dict__["_bands"]
        keys = [k for s in summaries for k in s.keys]
        if not keys:
            return DedupDecision({}, {}, {"documents": 0, "clusters": 0})

        def cat(name: str) -> np.ndarray:
            return np.concatenate([getattr(s, name) for s in summaries])

        sig16 = cat("sig16")
        key_len = cat("key_len")
        labels, pair_counts = cluster_labels(
            sig16, cat("exact"), cat("has_sig"), bands=bands, rows=rows, threshold=self.threshold, has_key=key_len > 0
        )
        del sig16
        residual, pristine, traditional = cat("residual"), cat("pristine"), cat("traditional")
        spots: dict[int, list[Spot]] = {}
        offset = 0
        for s in summaries:
            for j, found in s.spots.items():
                spots[offset + j] = found
            offset += len(s.keys)

        sizes = np.bincount(labels, minlength=len(labels))
        in_cluster = np.flatnonzero(sizes[labels] >= 2)
        groups: dict[int, list[int]] = defaultdict(list)
        for g in in_cluster.tolist():
            groups[int(labels[g])].append(g)
        members: dict[str, tuple[str, str | None]] = {}
        requests: dict[str, tuple[str, list[Spot]]] = {}
        size_hist: Counter[int] = Counter()
        biggest: list[tuple[int, str]] = []
        for group in groups.values():
            ranked = sorted(
                group,
                key=lambda g: (
                    not pristine[g],
                    int(residual[g]),
                    int(traditional[g]),
                    -int(key_len[g]),
                    keys[g],
                ),
            )
            kept = ranked[0]
            cluster_id = min(id_of(keys[g]) for g in group)
            kept_id = id_of(keys[kept])
            for g in group:
                members[keys[g]] = (cluster_id, None if g == kept else kept_id)
            if len(group) >= MIN_COPIES_FOR_CONSENSUS and kept in spots:
                requests[cluster_id] = (keys[kept], spots[kept])
            size_hist[len(group)] += 1
            biggest.append((len(group), cluster_id))
        biggest.sort(key=lambda x: (-x[0], x[1]))
        summary = {
            "documents": len(keys),
            "clusters": len(groups),
            "duplicates": len(members) - len(groups),
            "cluster_sizes": {str(k): v for k, v in sorted(size_hist.items())},
            "biggest_clusters": [{"cluster": c, "size": n} for n, c in biggest[:BIGGEST_CLUSTERS]],
            "bands": bands,
            "rows": rows,
            "consensus_requests": len(requests),
            **pair_counts,
        }
        logger.info("dedup: %s", json.dumps(summary, ensure_ascii=False))
        return DedupDecision(members, requests, summary)

    # -- phase 4: keep/drop ------------------------------------------------------------------------------------
    def apply_batch(self, batch: Batch, decision: DedupDecision) -> Batch:
        self.ensure_setup()
        n = batch_len(batch)
        if n == 0:
            return dict(batch)
        lexicon = self.__dict__["_lexicon"]
        cluster = list(batch.get(CLUSTER) or [None] * n)
        dup_of = list(batch.get(DUP_OF) or [None] * n)
        drop = list(batch.get(DROP_REASON) or [None] * n)
        votes = list(batch.get(VOTES) or [None] * n)
        for i in active_rows(batch):
            if not isinstance(batch[self.text_field][i], str):
                continue
            key = row_key(batch, i)
            entry = decision.members.get(key)
            if entry is None:
                cluster[i] = batch[ID][i]
                continue
            cluster[i], dup_of[i] = entry
            if entry[1] is None:
                continue
            drop[i] = DUPLICATE
            request = decision.requests.get(entry[0]) if self.consensus else None
            if request is not None:
                votes[i] = _read_votes(batch[self.text_field][i], _edits(batch, i), request, lexicon.t2s_chars)
        out = {**batch, CLUSTER: cluster, DUP_OF: dup_of, DROP_REASON: drop}
        if any(v is not None for v in votes):
            out[VOTES] = votes
        return out


def _read_votes(text: str, edits: list[dict[str, Any]], request: tuple[str, list[Spot]], t2s_chars: Any) -> str | None:
    kept_key, spots = request
    unsure = uncertain_spans(text, edits)
    folded = fold_with_offsets(text, t2s_chars)
    readings = []
    for k, spot in enumerate(spots):
        vote = read_spot(spot, text, t2s_chars, folded=folded, unsure=unsure)
        if vote is not None:
            readings.append([k, *vote])
    return json.dumps([kept_key, readings], ensure_ascii=False) if readings else None


@dataclass
class ConsensusDecision:
    """Winning readings by kept row key, then spot index."""

    winners: dict[str, dict[int, tuple[tuple[int, int, str], list[str], float]]]


@dataclass
class Consensus(GlobalStep):
    """Cross-copy repair of the copies ``dedup`` kept: the majority reading of the other copies replaces a lost or
    low-confidence stretch (rule ``consensus.majority``).  Runs right after ``dedup``.

    Attributes:
        min_votes: copies that must agree on a reading.
    """

    name: ClassVar[str] = "consensus"
    needs: ClassVar[tuple[str, ...]] = ("dedup",)
    summary: ClassVar[str] = "repair the kept copy of each cluster from the majority reading of the other copies"

    min_votes: int = MIN_VOTES

    def validate(self) -> None:
        if self.min_votes < 1:
            raise ConfigError(f"consensus: min_votes must be at least 1, got {self.min_votes}")

    def scan_batch(self, batch: Batch) -> list[tuple[str, int, tuple[int, int, str], str]]:
        column = batch.get(VOTES)
        if column is None:
            return []
        out = []
        for i, value in enumerate(column):
            if value is None:
                continue
            kept_key, readings = json.loads(value)
            voter = batch[ID][i]
            out.extend((kept_key, int(k), (int(cl), int(cr), reading), voter) for k, cl, cr, reading in readings)
        return out

    def combine(self, summaries: list[list[tuple[str, int, tuple[int, int, str], str]]]) -> ConsensusDecision:
        votes: dict[str, dict[int, list[tuple[tuple[int, int, str], str]]]] = defaultdict(lambda: defaultdict(list))
        for summary in summaries:
            for kept_key, k, reading, voter in summary:
                votes[kept_key][k].append((reading, voter))
        winners: dict[str, dict[int, tuple[tuple[int, int, str], list[str], float]]] = {}
        for kept_key, by_spot in votes.items():
            chosen = {}
            for k, spot_votes in by_spot.items():
                won = choose_majority(spot_votes, self.min_votes)
                if won is not None:
                    chosen[k] = won
            if chosen:
                winners[kept_key] = chosen
        return ConsensusDecision(winners)

    def apply_batch(self, batch: Batch, decision: ConsensusDecision) -> Batch:
        n = batch_len(batch)
        out = dict(batch)
        if VOTES in out:
            out[VOTES] = [None] * n  # the votes have been counted; they are not part of the output
        if n == 0 or not decision.winners:
            return out
        texts = list(batch[self.text_field])
        edits_col = list(batch.get(EDITS) or [None] * n)
        n_edits = list(batch.get(N_EDITS) or [None] * n)
        changed = False
        for i in active_rows(batch):
            winners = decision.winners.get(row_key(batch, i))
            text = texts[i]
            if not winners or not isinstance(text, str):
                continue
            previous = _edits(batch, i)
            spots = find_spots(text, uncertain_spans(text, previous))
            new_text, new_edits = repair_spots(text, spots, winners)
            if not new_edits:
                continue
            texts[i] = new_text
            all_edits = previous + new_edits
            edits_col[i] = encode_edits(all_edits)
            n_edits[i] = len(all_edits)
            changed = True
        if changed:
            out.update({self.text_field: texts, EDITS: edits_col, N_EDITS: n_edits})
        return out
