"""Cross-copy repair: a lost character in the kept copy is replaced by the other copies' majority reading."""

import json

from zhclean.dedup.consensus import choose_majority, find_spots, read_spot, repair_spots, uncertain_spans
from zhclean.pipeline import Pipeline
from zhclean.steps.dedup import Consensus, Dedup
from zhclean.text.edits import Edit, apply_edits

ARTICLE = (
    "今年以来，全市新增就业岗位三万多个，重点项目建设进展顺利，居民收入稳步增长。"
    "市政府还开设了书法、围棋、编程、足球、合唱等各类兴趣课程，参与学生比例达到九成以上。"
    "下一步将继续深化改革，推动经济社会高质量发展，让群众有更多获得感和幸福感。"
)


def _lost(text: str, char: str, guess: str) -> tuple[str, dict]:
    """``text`` with ``char`` (first occurrence) replaced by the restorer's wrong, low-confidence ``guess``."""
    p = text.index(char)
    edit = {"rule": "mojibake.injector_lost_byte", "start": p, "end": p + 1, "before": "?", "after": guess,
            "confidence": 0.4}
    return text[:p] + guess + text[p + 1 :], edit


def _copy(rid: str, char: str, guess: str) -> dict:
    text, edit = _lost(ARTICLE, char, guess)
    return {"id": rid, "text": text, "zh__edits": json.dumps([edit], ensure_ascii=False), "zh__n_edits": 1}


def test_three_copies_repair_the_kept_copys_lost_character():
    # every copy lost a different character, so no copy is better than the others: "a" is kept (smallest id)
    records = [_copy("a", "棋", "旗"), _copy("b", "稳", "温"), _copy("c", "获", "货")]
    out = {r["zh__id"]: r for r in Pipeline([Dedup(), Consensus()]).run_local(records)}
    assert out["a"].get("zh__drop_reason") is None
    assert out["b"]["zh__dup_of"] == "a" and out["c"]["zh__drop_reason"] == "duplicate"
    assert out["a"]["text"] == ARTICLE
    edits = json.loads(out["a"]["zh__edits"])
    assert edits[-1]["rule"] == "consensus.majority"
    assert edits[-1]["before"] == "旗" and edits[-1]["after"] == "棋"
    assert edits[-1]["support"] == ["b", "c"]
    assert out["a"]["zh__n_edits"] == 2
    assert all("zh__consensus_votes" not in r for r in out.values())
    # the edits replay: the damaged input (a '?' where the byte was lost) gives the final text
    damaged = ARTICLE.replace("棋", "?", 1)
    assert apply_edits(damaged, [Edit(**{k: v for k, v in e.items() if k != "support"}) for e in edits]) == ARTICLE


def test_two_copies_are_not_enough():
    records = [_copy("a", "棋", "旗"), _copy("b", "获", "货")]
    out = {r["zh__id"]: r for r in Pipeline([Dedup(), Consensus()]).run_local(records)}
    assert out["a"]["text"] == ARTICLE.replace("棋", "旗", 1)


def test_a_copy_abstains_where_it_is_unsure_itself():
    kept, _ = _lost(ARTICLE, "棋", "旗")
    spots = find_spots(kept, uncertain_spans(kept, [_lost(ARTICLE, "棋", "旗")[1]]))
    mate, mate_edit = _lost(ARTICLE, "棋", "期")
    unsure = uncertain_spans(mate, [mate_edit])
    assert read_spot(spots[0], mate, {}, unsure=unsure) is None
    assert read_spot(spots[0], mate, {}) == (0, 0, "期")


def test_garbage_next_to_a_spot_is_replaced_with_it():
    kept = ARTICLE.replace("、足球、合唱", "々v19)闱颉10.铣\ue014雀黝")
    spots = find_spots(kept, uncertain_spans(kept, []))
    assert "\ue014" in [kept[s.start : s.end] for s in spots]
    votes = {k: read_spot(spot, ARTICLE, {}) for k, spot in enumerate(spots)}
    assert all(v is not None for v in votes.values())
    text, edits = repair_spots(kept, spots, {k: (v, ["m"], 1.0) for k, v in votes.items()})
    assert text == ARTICLE
    assert "".join(e["before"] for e in edits) == "々v19)闱颉10.铣\ue014雀黝"


def test_majority_needs_more_than_half():
    assert choose_majority([("x", "b"), ("y", "c")]) is None
    assert choose_majority([("x", "b"), ("x", "c"), ("y", "d")]) == ("x", ["b", "c"], 2 / 3)
