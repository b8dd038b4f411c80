"""MinHash estimates Jaccard within tolerance; LSH parameters hit the threshold; union-find is deterministic."""

import random

import numpy as np
import pytest

from zhclean.dedup.cluster import (
    bucket_pairs,
    cluster_labels,
    compact_signatures,
    label_components,
    verify_pairs,
)
from zhclean.dedup.lsh import band_hashes, choose_bands, collision_probability
from zhclean.dedup.minhash import (
    estimate_jaccard,
    exact_hashes,
    exact_jaccard,
    has_signature,
    signatures,
    signatures_rensa,
)


def _pool(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(n))


def _pairs(n_pairs: int = 60) -> list[tuple[str, str]]:
    """Pairs with Jaccard spread over [0, 1]: a shared middle, different heads and tails."""
    rng = random.Random(1)
    out = []
    for k in range(n_pairs):
        shared = _pool(k, rng.randint(50, 800))
        a = _pool(1000 + k, rng.randint(0, 300)) + shared + _pool(2000 + k, rng.randint(0, 300))
        b = _pool(3000 + k, rng.randint(0, 300)) + shared + _pool(4000 + k, rng.randint(0, 300))
        out.append((a, b))
    return out


@pytest.mark.parametrize("engine", ["numpy", "rensa"])
def test_minhash_estimates_jaccard_within_tolerance(engine):
    sign = signatures
    if engine == "rensa":
        pytest.importorskip("rensa")
        sign = signatures_rensa
    errors = []
    for a, b in _pairs():
        s = sign([a, b])
        errors.append(estimate_jaccard(s[0], s[1]) - exact_jaccard(a, b))
    errors = np.abs(errors)
    # 128 values: the standard error is sqrt(J(1-J)/128) <= 0.045; allow 3.5 sigma per pair
    assert errors.max() < 0.16
    assert errors.mean() < 0.04


def test_signatures_do_not_depend_on_the_batch():
    keys = [_pool(k, 200 + 37 * k) for k in range(7)] + ["短"]
    whole = signatures(keys)
    one_by_one = np.vstack([signatures([k]) for k in keys])
    assert (whole == one_by_one).all()
    assert has_signature(whole).tolist() == [True] * 7 + [False]


def test_exact_hashes_are_128_bit_and_stable():
    h = exact_hashes(["中国", "中国", ""])
    assert h.shape == (3, 2) and h.dtype == np.uint64
    assert (h[0] == h[1]).all() and not (h[0] == h[2]).all()


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.9])
def test_lsh_parameters_put_the_s_curve_at_the_threshold(threshold):
    bands, rows = choose_bands(threshold, 128)
    assert bands * rows <= 128
    steep = (1 / bands) ** (1 / rows)  # where the S-curve is steepest
    assert abs(steep - threshold) < 0.12
    assert collision_probability(min(1.0, threshold + 0.15), bands, rows) > 0.95
    assert collision_probability(threshold - 0.25, bands, rows) < 0.12


def test_band_collisions_find_near_duplicates_and_verification_drops_far_pairs():
    base = _pool(7, 600)
    near = base[:550] + _pool(8, 50)
    far = base[:150] + _pool(9, 450)
    sig = signatures([base, near, far, _pool(10, 600)])
    sig16 = compact_signatures(sig)
    bands, rows = choose_bands(0.5, 128)
    labels, counts = cluster_labels(
        sig16, exact_hashes(["a", "b", "c", "d"]), has_signature(sig), bands=bands, rows=rows, threshold=0.5
    )
    assert labels.tolist() == [0, 0, 2, 3]
    assert counts["verified_pairs"] >= 1
    assert verify_pairs(sig16, np.array([0]), np.array([2]), 0.5).tolist() == [False]
    assert band_hashes(sig, bands, rows).shape == (4, bands)


def _reference_components(n, edges):
    adj = {i: set() for i in range(n)}
    for u, v in edges:
        adj[u].add(v)
        adj[v].add(u)
    label = [-1] * n
    for start in range(n):
        if label[start] >= 0:
            continue
        stack, comp = [start], []
        while stack:
            x = stack.pop()
            if label[x] >= 0:
                continue
            label[x] = start
            comp.append(x)
            stack.extend(adj[x])
    return label


def test_union_find_is_deterministic_whatever_the_edge_order():
    rng = random.Random(3)
    n = 300
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(220)]
    expected = _reference_components(n, edges)
    for trial in range(5):
        shuffled = edges[:]
        random.Random(trial).shuffle(shuffled)
        flipped = [(v, u) if (k + trial) % 2 else (u, v) for k, (u, v) in enumerate(shuffled)]
        u = np.array([e[0] for e in flipped])
        v = np.array([e[1] for e in flipped])
        assert label_components(n, u, v).tolist() == expected


def test_bucket_pairs_form_a_star_per_bucket():
    u, v = bucket_pairs(np.array([5, 5, 5, 9, 5], dtype=np.uint64), np.array([True, True, False, True, True]))
    assert sorted(zip(u.tolist(), v.tolist(), strict=True)) == [(0, 1), (0, 4)]
