"""Character n-gram MinHash signatures of canonical keys, vectorised over a whole batch with numpy.

**Scheme.** A batch of keys is encoded once to UTF-32; every character n-gram gets a 64-bit hash from shifted code
points and one multiplicative mix (no Python per n-gram).  The signature is a *one-permutation* MinHash (OPH, Li,
Owen & Zhang 2012): the top bits of an n-gram's hash choose one of ``num_perm`` bins and the signature keeps the
minimum of the remaining bits per bin; empty bins are filled by *rotation densification* (Shrivastava & Li 2014):
an empty bin borrows the value of the next non-empty bin to its right, offset by the distance, so two keys agree on
a bin with probability equal to their Jaccard similarity, as with ``num_perm`` independent permutations.

**Why not k permutations.**  The textbook ``(a*x + b) mod p`` for each of 128 permutations costs 128 multiplies per
n-gram; numpy has no SIMD 64-bit multiply, and on the development machine (2 cores, 2026-11) it ran at 0.7 MB/s
(10 MB/s in 32-bit arithmetic), below the 30 MB/s per core target.  OPH does one hash per n-gram and one
``np.minimum.at`` scatter, which measures ≥ 30 MB/s per core (``benchmarks/bench_dedup.py``).

**rensa.**  When installed, :func:`signatures_rensa` computes classic ``RMinHash`` signatures instead; the two
engines give different numbers, so one run must use one engine (it is a parameter of the dedup step).

Examples:
    >>> sig = signatures(["中国台湾网今天发布了新闻", "中国台湾网今天发布了新闻", "完全不同的一段文字内容在此"])
    >>> sig.shape, bool((sig[0] == sig[1]).all()), float((sig[0] == sig[2]).mean()) < 0.2
    ((3, 128), True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zhclean.dedup.params import NGRAM, NUM_PERM

_U = np.uint64
_VALUE_BITS = 50  # bits of an n-gram hash kept as the bin value; distance offsets live above them
_EMPTY = np.iinfo(np.uint64).max
_MIX = _U(0x9E3779B97F4A7C15)  # 2^64 / golden ratio, odd: a bijective multiplicative mix
_SHIFTS = (52, 39, 26, 13, 0)


def hash_ngrams(keys: Sequence[str], n: int = NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character ``n``-gram of every key, and the key index of each hash.

    A key shorter than ``n`` gives no n-gram.

    >>> h, doc = hash_ngrams(["一二三四五六", "一二三"], n=5)
    >>> len(h), doc.tolist()
    (2, [0, 0])
    >>> bool(hash_ngrams(["二三四五六"], n=5)[0][0] == h[1])
    True
    """
    lens = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    total = int(lens.sum())
    if total < n:
        return np.empty(0, _U), np.empty(0, np.int64)
    cp = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(_U)
    m = total - n + 1
    # n-gram i starts at i; it is valid when it ends inside the key it starts in.
    shifts = _SHIFTS[-n:] if n <= len(_SHIFTS) else tuple((13 * (n - 1 - j)) % 64 for j in range(n))
    h = cp[0:m] << _U(shifts[0])
    for j in range(1, n):
        h ^= cp[j : j + m] << _U(shifts[j]) if shifts[j] else cp[j : j + m]
    h *= _MIX
    h ^= h >> _U(29)
    h *= _MIX
    doc = np.repeat(np.arange(len(keys), dtype=np.int64), lens)[:m]
    ends = np.cumsum(lens)
    valid = np.ones(m, dtype=bool)
    for d in range(1, n):  # the last n-1 start positions of every key run into the next key
        bad = ends - d
        valid[bad[(bad >= 0) & (bad < m)]] = False
    # (a key shorter than n has all its start positions among its last n-1: already invalid)
    return h[valid], doc[valid]


def signatures(keys: Sequence[str], num_perm: int = NUM_PERM, n: int = NGRAM) -> np.ndarray:
    """One-permutation MinHash signatures, shape ``(len(keys), num_perm)``, ``uint64``.

    A key without any n-gram gets a row of ``2**64 - 1`` (see :func:`has_signature`): it can only be an exact
    duplicate.  ``num_perm`` must be a power of two (the bin is the top bits of the hash).

    >>> s = signatures(["一二三四五六七八九十"] * 2 + ["短"], num_perm=16)
    >>> bool((s[0] == s[1]).all()), has_signature(s).tolist()
    (True, [True, True, False])
    """
    if num_perm & (num_perm - 1) or not 2 <= num_perm <= 2**13:
        raise ValueError(f"num_perm must be a power of two between 2 and 8192, got {num_perm}")
    bin_bits = num_perm.bit_length() - 1
    h, doc = hash_ngrams(keys, n)
    sig = np.full(len(keys) * num_perm, _EMPTY, dtype=_U)
    if len(h):
        bins = (h >> _U(64 - bin_bits)).astype(np.int64)
        np.minimum.at(sig, doc * num_perm + bins, h & _U((1 << _VALUE_BITS) - 1))
    return densify(sig.reshape(len(keys), num_perm))


def densify(sig: np.ndarray) -> np.ndarray:
    """Fill empty bins (``2**64 - 1``) from the next non-empty bin to the right, circularly, plus ``distance <<
    50`` so a borrowed value never equals a genuine one.  Rows with no non-empty bin stay empty.

    >>> E = 2**64 - 1
    >>> densify(np.array([[E, 5, E, 7]], dtype=np.uint64)).tolist() == [[5 + 2**50, 5, 7 + 2**50, 7]]
    True
    """
    empty = sig == _EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if len(rows) == 0:
        return sig
    out = sig.copy()
    k = sig.shape[1]
    sub = sig[rows]
    doubled = np.concatenate([sub, sub], axis=1)
    pos = np.where(doubled != _EMPTY, np.arange(2 * k), 2 * k)
    nxt = np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1][:, :k]  # next non-empty index at or after j
    dist = (nxt - np.arange(k)).astype(_U)
    borrowed = np.take_along_axis(doubled, nxt, axis=1) + (dist << _U(_VALUE_BITS))
    out[rows] = np.where(sub == _EMPTY, borrowed, sub)
    return out


def has_signature(sig: np.ndarray) -> np.ndarray:
    """Rows that hold a signature (their key had at least one n-gram)."""
    return sig[:, 0] != _EMPTY


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal signature positions: an unbiased estimate of the n-gram Jaccard similarity.

    >>> s = signatures(["一二三四五六七八九十", "一二三四五六七八九十"])
    >>> estimate_jaccard(s[0], s[1])
    1.0
    """
    return float(np.mean(a == b))


def exact_jaccard(a: str, b: str, n: int = NGRAM) -> float:
    """The exact Jaccard similarity of the character n-gram sets of two keys (for tests and benchmarks).

    >>> exact_jaccard("一二三四五六", "一二三四五七")
    0.3333333333333333
    """
    sa = {a[i : i + n] for i in range(len(a) - n + 1)}
    sb = {b[i : i + n] for i in range(len(b) - n + 1)}
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def signatures_rensa(keys: Sequence[str], num_perm: int = NUM_PERM, n: int = NGRAM, seed: int = 42) -> np.ndarray:
    """Classic MinHash signatures with rensa's ``RMinHash`` (needs ``rensa``), same shape and empty-row convention
    as :func:`signatures` (values differ: use one engine per run)."""
    from rensa import RMinHash

    out = np.full((len(keys), num_perm), _EMPTY, dtype=_U)
    for i, key in enumerate(keys):
        grams = [key[j : j + n] for j in range(len(key) - n + 1)]
        if grams:
            m = RMinHash(num_perm=num_perm, seed=seed)
            m.update(grams)
            out[i] = np.asarray(m.digest(), dtype=_U)
    return out


def exact_hashes(keys: Sequence[str]) -> np.ndarray:
    """A 128-bit hash (xxh3) of each key, shape ``(len(keys), 2)``, ``uint64``: the exact-dedup key.

    >>> h = exact_hashes(["中国", "中国", "台湾"])
    >>> bool((h[0] == h[1]).all()), bool((h[0] == h[2]).all())
    (True, False)
    """
    import xxhash

    out = np.empty((len(keys), 2), dtype=_U)
    for i, key in enumerate(keys):
        v = xxhash.xxh3_128_intdigest(key.encode("utf-8"))
        out[i, 0] = v >> 64
        out[i, 1] = v & 0xFFFFFFFFFFFFFFFF
    return out
