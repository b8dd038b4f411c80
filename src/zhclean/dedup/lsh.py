"""LSH banding: cut a signature into ``bands`` bands of ``rows`` values; two documents are candidates when they agree
on every value of at least one band.

**The S-curve.**  Two documents with Jaccard similarity ``s`` agree on one signature position with probability
``s``, on a whole band with ``s**rows`` and on at least one of ``bands`` bands with

    P(s) = 1 - (1 - s**rows) ** bands

an S-shaped curve whose steep part sits near ``(1/bands) ** (1/rows)``.  Pairs below the target threshold ``t`` that
still collide are false positives (their probability mass is the area under ``P`` on ``[0, t]``); pairs above ``t``
that never collide are false negatives (the area above ``P`` on ``[t, 1]``).

**The choice.**  :func:`choose_bands` tries every ``(bands, rows)`` with ``bands * rows <= num_perm`` and takes the
one with the smallest weighted sum of the two areas (the rule datasketch and text-dedup use).  zhclean weighs false
negatives more (``FN_WEIGHT``): a missed mirror copy keeps spam in the corpus and loses the cross-copy repair, while
a false candidate costs little because every candidate pair is verified against the threshold with the two
signatures before it joins a cluster (:mod:`zhclean.dedup.cluster`).  At ``t = 0.5`` and 128 values this gives
25 bands of 5 rows: a pair at 0.7 collides with probability 0.99, at 0.8 with 0.99995, at 0.3 with 0.059.

Examples:
    >>> choose_bands(0.5, 128)
    (25, 5)
    >>> [round(collision_probability(s, 25, 5), 3) for s in (0.3, 0.5, 0.7, 0.8)]
    [0.059, 0.548, 0.99, 1.0]
"""

from __future__ import annotations

import numpy as np

from zhclean.dedup.params import FN_WEIGHT, THRESHOLD

_U = np.uint64


def collision_probability(s: float, bands: int, rows: int) -> float:
    """``P(s) = 1 - (1 - s**rows) ** bands``: the chance two documents of Jaccard ``s`` share a band.

    >>> collision_probability(1.0, 4, 4), collision_probability(0.0, 4, 4)
    (1.0, 0.0)
    """
    return float(1.0 - (1.0 - s**rows) ** bands)


def error_areas(threshold: float, bands: int, rows: int, steps: int = 400) -> tuple[float, float]:
    """The false-positive area (under ``P`` on ``[0, t]``) and false-negative area (above ``P`` on ``[t, 1]``),
    by the trapezoid rule on ``steps`` intervals.

    >>> fp, fn = error_areas(0.5, 25, 5)
    >>> round(fp, 3), round(fn, 3)
    (0.054, 0.034)
    >>> fp < 0.06 and fn < 0.04
    True
    """
    lo = np.linspace(0.0, threshold, steps + 1)
    hi = np.linspace(threshold, 1.0, steps + 1)
    p_lo = 1.0 - (1.0 - lo**rows) ** bands
    p_hi = 1.0 - (1.0 - hi**rows) ** bands
    return _trapezoid(p_lo, lo), _trapezoid(1.0 - p_hi, hi)


def _trapezoid(y: np.ndarray, x: np.ndarray) -> float:
    # np.trapezoid exists from numpy 2.0 only (np.trapz before); the dedup extra allows numpy >= 1.24
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)


def choose_bands(threshold: float = THRESHOLD, num_perm: int = 128, fn_weight: float = FN_WEIGHT) -> tuple[int, int]:
    """The ``(bands, rows)`` with ``bands * rows <= num_perm`` minimising the weighted error areas.

    >>> choose_bands(0.8, 128)
    (11, 11)
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    best, best_cost = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp, fn = error_areas(threshold, bands, rows, steps=100)
            cost = (1.0 - fn_weight) * fp + fn_weight * fn
            if cost < best_cost - 1e-12:
                best, best_cost = (bands, rows), cost
    return best


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per band and document, shape ``(n, bands)``: equal bands give equal hashes.

    >>> import numpy as np
    >>> s = np.arange(12, dtype=np.uint64).reshape(2, 6); s[1, 3:] = 0
    >>> b = band_hashes(s, 2, 3)
    >>> b.shape, bool(b[0, 1] == b[1, 1])
    ((2, 2), False)
    >>> bool((band_hashes(s[:1], 2, 3) == b[:1]).all())
    True
    """
    if bands * rows > sig.shape[1]:
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} signature values, got {sig.shape[1]}")
    cube = sig[:, : bands * rows].reshape(sig.shape[0], bands, rows)
    h = np.full((sig.shape[0], bands), 0x243F6A8885A308D3, dtype=_U)
    with np.errstate(over="ignore"):
        for j in range(rows):
            h ^= cube[:, :, j]
            h *= _U(0x100000001B3)
            h ^= h >> _U(31)
    return h
