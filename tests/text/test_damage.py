"""Tests for zhclean.text.damage: lossy damage signals and the repeated-phrase repair."""

from __future__ import annotations

import pytest

from zhclean.text.damage import (
    Finding,
    find_lossy_damage,
    has_lossy_damage,
    repair_repeated_phrases_explained,
    score_lossy_damage,
)
from zhclean.text.edits import apply_edits


def rules(text: str) -> list[str]:
    return [f.rule for f in find_lossy_damage(text)]


def test_each_rule() -> None:
    assert rules("今天\ufffd\ufffd天气") == ["lossy.replacement_char"]
    assert rules("标题锟斤拷锟斤拷内容") == ["lossy.kunjinkao"]
    assert rules("烫烫烫烫烫烫") == ["lossy.debug_fill"]
    assert rules("屯屯屯屯") == ["lossy.debug_fill"]
    assert rules("中文\ue319\ue3e2字") == ["lossy.pua"]
    assert rules("工作?lián)字") == ["lossy.burst_tail"]
    assert rules("经济??发展") == ["lossy.question_in_cjk"]
    assert rules("经济?发展") == ["lossy.question_in_cjk"]


def test_spans_are_exact() -> None:
    text = "中文\ufffd\ufffd和锟斤拷"
    for f in find_lossy_damage(text):
        assert text[f.start : f.end] == f.text
    assert find_lossy_damage(text)[0] == Finding("lossy.replacement_char", 2, 4, "\ufffd\ufffd")


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好，我们去公园散步。",
        "你好吗?我很好。你是谁?他是老师。",  # question marks where questions end (the crawl folded ？ to ?)
        "what? see https://example.com/?q=中文&x=1",
        "烫烫的汤和屯兵",  # fewer than three in a row: ordinary words
        "繁體中文，沒有問題。",
        "",
    ],
)
def test_clean_text_has_no_findings(text: str) -> None:
    assert find_lossy_damage(text) == ()
    assert score_lossy_damage(text) == 0.0
    assert not has_lossy_damage(text) or "?" in text


def test_score_direction() -> None:
    light = score_lossy_damage("今天天气很好\ufffd我们去公园散步了")
    heavy = score_lossy_damage("今\ufffd\ufffd\ufffd好\ufffd\ufffd")
    assert 0 < light < heavy <= 1


def test_repeated_phrase_repair() -> None:
    doc = "我们举办了亲子阅读活动。家长说亲子阅\ufffd活动很有意义。"
    ex = repair_repeated_phrases_explained(doc)
    assert ex.text == "我们举办了亲子阅读活动。家长说亲子阅读活动很有意义。"
    assert apply_edits(doc, ex.edits) == ex.text
    assert all(e.confidence < 1 for e in ex.edits)
    # no repetition, no repair
    assert repair_repeated_phrases_explained("家长说亲子阅\ufffd活动很有意义。").edits == ()


def test_total() -> None:
    for weird in ["\ud800", "?" * 1000, "\ufffd" * 5000, "锟斤拷" * 100 + "锟"]:
        find_lossy_damage(weird)
        score_lossy_damage(weird)
        repair_repeated_phrases_explained(weird)
    with pytest.raises(TypeError):
        find_lossy_damage(b"x")  # type: ignore[arg-type]
