"""Tests for zhclean.text.punct: widening NFKC-folded punctuation only where it belongs to Chinese text."""

from __future__ import annotations

import unicodedata

import pytest

from zhclean.text.edits import apply_edits
from zhclean.text.punct import restore_fullwidth_punct, restore_fullwidth_punct_explained


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源:中国台湾网", "来源：中国台湾网"),
        ("6月4日,山东省召开会议", "6月4日，山东省召开会议"),
        ("会议强调;要认真落实", "会议强调；要认真落实"),
        ("太好了!我们赢了", "太好了！我们赢了"),
        ("你去吗?我不去", "你去吗？我不去"),
        ("真的吗?", "真的吗？"),
        ("召开会议(图片来源:本报记者)", "召开会议（图片来源：本报记者）"),
        ("记者报道,,今天", "记者报道，，今天"),
    ],
)
def test_widens_chinese_punctuation(text, expected):
    assert restore_fullwidth_punct(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "10:45:00",
        "共1,000元",
        "调用 f(x) 与 g(y)",
        "访问 https://example.cn/a?b=1,2 获取",
        "邮箱 name@example.com",
        "代码 `foo(a,b)` 如下",
        "国内生产总值(GDP)",  # Latin in parentheses stays ASCII
        "勇?融合",  # a '?' inside a run of Chinese characters is a loss marker, not a question mark
        "version 1.2: done, ok!",
        "",
    ],
)
def test_leaves_latin_numbers_urls_code_and_loss_markers(text):
    assert restore_fullwidth_punct(text) == text


def test_marks_are_configurable():
    assert restore_fullwidth_punct("你好,世界:再见!", marks=",") == "你好，世界:再见!"
    assert restore_fullwidth_punct("你好,世界", marks="") == "你好,世界"


def test_nfkc_maps_back_and_edits_replay():
    text = "来源:中国台湾网,记者(实习)报道!真的吗?"
    e = restore_fullwidth_punct_explained(text)
    assert unicodedata.normalize("NFKC", e.text) == text
    assert apply_edits(text, e.edits) == e.text
    assert {x.rule for x in e.edits} == {"punct.fullwidth"}


@pytest.mark.parametrize("text", ["A,(中文)", "中,,,", "好??", "(,中)", "中(文,)字", ")(中文(", "中\n(文)"])
def test_idempotent(text):
    once = restore_fullwidth_punct(text)
    assert restore_fullwidth_punct(once) == once
