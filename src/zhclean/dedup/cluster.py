"""Clusters from band-bucket collisions: candidate pairs → verified pairs → union-find → deterministic labels.

Everything here works on compact numpy arrays indexed by a document's position in scan order, never on text, so a
million documents fit in a few hundred MB (see ``benchmarks/bench_dedup.py --scale-docs``).

- :func:`compact_signatures` keeps 16 bits of each signature value (a false agreement has probability 2**-16 per
  position, far below the sampling noise of 128 values); 256 bytes per document at 128 values.
- :func:`bucket_pairs` sorts one band's hashes and pairs each member of a bucket with the bucket's first member (a
  star, so a bucket of ``m`` gives ``m - 1`` pairs, not ``m**2``).
- :func:`verify_pairs` keeps the pairs whose estimated Jaccard similarity reaches the threshold.
- :func:`label_components` is a vectorised union-find: every component is labelled with its smallest index,
  whatever the order of the pairs, so the same input always gives the same clusters.

Examples:
    >>> import numpy as np
    >>> label_components(6, np.array([4, 1, 5]), np.array([1, 0, 3])).tolist()
    [0, 0, 2, 3, 0, 3]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from zhclean.dedup.lsh import band_hashes

_U = np.uint64
_MIX = _U(0x9E3779B97F4A7C15)
PAIR_CHUNK = 1 << 16
"""Pairs verified per numpy call (bounds the temporary ``chunk × num_perm`` array to ~8 MB)."""


def compact_signatures(sig: np.ndarray) -> np.ndarray:
    """The top 16 bits of each mixed signature value (``uint16``); equal values stay equal.

    >>> import numpy as np
    >>> c = compact_signatures(np.array([[1, 2], [1, 3]], dtype=np.uint64))
    >>> c.dtype.name, bool(c[0, 0] == c[1, 0]), bool(c[0, 1] == c[1, 1])
    ('uint16', True, False)
    """
    with np.errstate(over="ignore"):
        return ((sig * _MIX) >> _U(48)).astype(np.uint16)


def bucket_pairs(hashes: np.ndarray, valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(first, member)`` of documents with equal ``hashes`` (one band), ``first`` the smallest index of the
    bucket; rows where ``valid`` is False take no part.

    >>> import numpy as np
    >>> u, v = bucket_pairs(np.array([7, 3, 7, 7, 3], dtype=np.uint64))
    >>> sorted(zip(u.tolist(), v.tolist()))
    [(0, 2), (0, 3), (1, 4)]
    """
    idx = np.arange(len(hashes)) if valid is None else np.flatnonzero(valid)
    if len(idx) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    h = hashes[idx]
    order = np.argsort(h, kind="stable")  # stable: within a bucket, indices stay ascending
    hs, ids = h[order], idx[order]
    starts = np.ones(len(hs), dtype=bool)
    starts[1:] = hs[1:] != hs[:-1]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(len(hs)), 0))
    member = ~starts
    return ids[run_start[member]].astype(np.int64), ids[member].astype(np.int64)


def band_pairs(sig16: np.ndarray, bands: int, rows: int, valid: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Candidate pairs band by band (one band's hashes in memory at a time)."""
    for b in range(bands):
        block = sig16[:, b * rows : (b + 1) * rows].astype(_U)
        yield bucket_pairs(band_hashes(block, 1, rows)[:, 0], valid)


def verify_pairs(sig16: np.ndarray, u: np.ndarray, v: np.ndarray, threshold: float) -> np.ndarray:
    """A mask of the pairs whose share of equal signature values is at least ``threshold``.

    >>> import numpy as np
    >>> s = np.array([[1, 2, 3, 4], [1, 2, 3, 9], [5, 6, 7, 8]], dtype=np.uint16)
    >>> verify_pairs(s, np.array([0, 0]), np.array([1, 2]), 0.7).tolist()
    [True, False]
    """
    keep = np.empty(len(u), dtype=bool)
    for lo in range(0, len(u), PAIR_CHUNK):
        a, b = sig16[u[lo : lo + PAIR_CHUNK]], sig16[v[lo : lo + PAIR_CHUNK]]
        keep[lo : lo + PAIR_CHUNK] = (a == b).mean(axis=1) >= threshold
    return keep


def exact_pairs(exact: np.ndarray, valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of documents with the same 128-bit key hash (``exact`` of shape ``(n, 2)``); rows where ``valid`` is
    False (an empty key: nothing but punctuation or symbols) take no part.

    >>> import numpy as np
    >>> u, v = exact_pairs(np.array([[1, 2], [1, 3], [1, 2]], dtype=np.uint64))
    >>> u.tolist(), v.tolist()
    ([0], [2])
    """
    folded = exact[:, 0] ^ (exact[:, 1] * _MIX)
    u, v = bucket_pairs(folded, valid)
    same = (exact[u] == exact[v]).all(axis=1)  # the fold could collide; the full 128 bits decide
    return u[same], v[same]


def label_components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` nodes and edges ``u[i]–v[i]``: each node gets the smallest index of its
    component.  Union by minimum plus pointer jumping (path compression), repeated until every edge agrees; the
    result does not depend on the order of the edges.

    >>> import numpy as np
    >>> label_components(4, np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist()
    [0, 1, 2, 3]
    >>> label_components(5, np.array([3, 2]), np.array([4, 3])).tolist()
    [0, 1, 2, 2, 2]
    """
    labels = np.arange(n, dtype=np.int64)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    while len(u):
        lu, lv = labels[u], labels[v]
        low = np.minimum(lu, lv)
        np.minimum.at(labels, lu, low)  # hook both roots under the smaller one
        np.minimum.at(labels, lv, low)
        while True:  # pointer jumping: every node points at its root
            nxt = labels[labels]
            if np.array_equal(nxt, labels):
                break
            labels = nxt
        pending = labels[u] != labels[v]
        u, v = u[pending], v[pending]
    return labels


def cluster_labels(
    sig16: np.ndarray,
    exact: np.ndarray,
    has_sig: np.ndarray,
    *,
    bands: int,
    rows: int,
    threshold: float,
    has_key: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, int]]:
    """Every document's cluster label (the smallest scan index of its cluster) and pair counts for the report:
    exact duplicates (among rows with ``has_key``) always join; band candidates join when :func:`verify_pairs`
    accepts them."""
    eu, ev = exact_pairs(exact, has_key)
    us, vs = [eu], [ev]
    counts = {"exact_pairs": len(eu), "candidate_pairs": 0, "verified_pairs": 0}
    for u, v in band_pairs(sig16, bands, rows, has_sig):
        counts["candidate_pairs"] += len(u)
        ok = verify_pairs(sig16, u, v, threshold)
        counts["verified_pairs"] += int(ok.sum())
        us.append(u[ok])
        vs.append(v[ok])
    u, v = np.concatenate(us), np.concatenate(vs)
    if len(u):  # the same pair found in many bands is one edge
        pairs = np.unique(np.stack([np.minimum(u, v), np.maximum(u, v)], axis=1), axis=0)
        u, v = pairs[:, 0], pairs[:, 1]
    return label_components(len(sig16), u, v), counts
