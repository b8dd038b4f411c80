"""The quality gate's own arithmetic: line labels, boilerplate counts, cluster scores, floors, limits and pinning.

The gate's figures are only as good as these functions, so they are checked on small cases worked out by hand
(own sentences; nothing from ../shared).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
for sub in ("eval", "benchmarks"):
    if str(ROOT / sub) not in sys.path:
        sys.path.insert(0, str(ROOT / sub))

import gate  # noqa: E402
from bench_dedup import cluster_quality, pairwise_scores  # noqa: E402
from metrics import boilerplate_counts, boilerplate_lines, line_hash, synthetic_line_labels  # noqa: E402

PARAGRAPHS = [
    "今年春天，县里新修的图书馆正式开放，每天都有不少学生和老人来这里看书。",
    "馆长说，下一步还要增加儿童阅读区，并在周末举办读书分享会，欢迎大家参加。",
]


@pytest.fixture(scope="module")
def gazetteer():
    from zhclean.text.seo import Gazetteer

    return Gazetteer.load()


def test_line_hash_ignores_surrounding_space() -> None:
    assert line_hash("  字号 ") == line_hash("字号")
    assert line_hash("字号") != line_hash("字號")
    assert len(line_hash("字号")) == 10


def test_synthetic_labels_mark_chrome_and_keep_paragraphs() -> None:
    from zhclean.simulate.damage import layout_page

    page, article = layout_page("图书馆开放", PARAGRAPHS, random.Random(3))
    labels = {i: truth for i, _, truth in synthetic_line_labels(page, article)}
    lines = page.split("\n")
    for i, truth in labels.items():
        is_paragraph = any(p in lines[i] for p in PARAGRAPHS)
        if is_paragraph:
            assert truth is False, lines[i]
        if lines[i].strip() in ("字号", "相关新闻") or lines[i].strip().startswith("来源："):
            assert truth is True, lines[i]
    assert sum(1 for t in labels.values() if not t) >= len(PARAGRAPHS)
    assert all(lines[i].strip() for i in labels)  # blank lines carry no label


def test_boilerplate_counts_tp_fp_fn_and_unmatched(gazetteer) -> None:
    page = "\n".join(["字号", PARAGRAPHS[0], PARAGRAPHS[1], "[责任编辑：张三]"])
    predicted = {i: p for i, (_, p) in boilerplate_lines(page, gazetteer).items()}
    rows = page.split("\n")
    # the truth: first and last lines are boilerplate; label one paragraph wrongly on purpose
    labels = [(0, line_hash(rows[0]), True), (1, line_hash(rows[1]), True), (2, line_hash(rows[2]), False),
              (3, line_hash(rows[3]), True), (9, "0000000000", True), (2, "ffffffffff", False)]
    assert predicted == {0: True, 1: False, 2: False, 3: True}  # the chrome lines leave, the paragraphs stay
    c = boilerplate_counts([(page, labels)], gazetteer)
    # lines 0 and 3 found, line 1 (wrongly labelled boilerplate) missed, line 2 rightly kept
    assert (c["tp"], c["fp"], c["fn"]) == (2, 0, 1)
    assert c["unmatched"] == 2  # an index past the end and a hash that no longer matches


def test_pairwise_cluster_scores_by_hand() -> None:
    # gold: a = {1, 2, 3}, b = {4, 5}; predicted: {1, 2}, {3, 4, 5}
    gold = {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    pred = {"1": "x", "2": "x", "3": "y", "4": "y", "5": "y"}
    s = pairwise_scores(pred, gold)
    # predicted pairs: (1,2) + (3,4),(3,5),(4,5) = 4, true among them: (1,2),(4,5) = 2; gold pairs: 3 + 1 = 4
    assert (s["pred_pairs"], s["gold_pairs"], s["true_pairs"]) == (4, 4, 2)
    assert s["precision"] == 0.5 and s["recall"] == 0.5
    truth = {k: (v, 0, None) for k, v in gold.items()}
    q = cluster_quality([{"zh__id": k, "zh__cluster": c} for k, c in pred.items()], truth)
    assert q["merged_clusters"] == 1 and q["split_articles"] == 1 and q["merged_same_topic"] == 1


def test_limits_fail_the_gate_and_pinning_never_moves_them(tmp_path, monkeypatch) -> None:
    baseline = {"targets": {"a.recall": {"min": 0.9}}, "limits": {"a.unmatched": {"max": 20}},
                "floors": {"a.recall": {"min": 0.95}}, "digests": {}}
    assert gate.compare({"a.unmatched": 21}, {"floors": baseline["limits"]}) == [
        "a.unmatched = 21 is above its ceiling 20"]
    assert gate.compare({"a.unmatched": 20, "a.recall": 0.95}, baseline) == []
    assert gate.compare({"a.recall": 0.94}, baseline) == ["a.recall = 0.94 is below its floor 0.95"]

    path = tmp_path / "baseline.json"
    monkeypatch.setattr(gate, "BASELINE", path)
    measured = {"a.recall": 0.97, "a.unmatched": 7}
    assert gate.pin_floors(json.loads(json.dumps(baseline)), measured, {"s": "d1"}, "test", False) == 0
    pinned = json.loads(path.read_text(encoding="utf-8"))
    assert pinned["floors"]["a.recall"] == {"min": 0.97}
    assert pinned["limits"] == baseline["limits"]
    assert "a.unmatched" not in pinned["floors"]
    # a lower value is refused without --allow-lower, and nothing is written
    assert gate.pin_floors(pinned, {"a.recall": 0.9}, {"s": "d1"}, "test", False) == 1
    assert json.loads(path.read_text(encoding="utf-8"))["floors"]["a.recall"] == {"min": 0.97}
