"""Tests for zhclean.text.script: machine S→T verdicts and their undoing.

The sentences are our own.  Machine conversions are made the way the spam mirrors make them: a character-level table
that leaves the one-to-many characters (干 于 余 后 里 系 并 …) alone, here OpenCC's character map.
"""

from __future__ import annotations

import pytest

from zhclean.text.edits import apply_edits
from zhclean.text.lexicon import Lexicon
from zhclean.text.script import detect_machine_s2t, undo_machine_s2t, undo_machine_s2t_explained


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


ONE_TO_MANY = set("干于余后里系并扎范征斗涂愿丑咸台")

MAINLAND = [
    "市委常委会议先后听取了关于两岸关系和平发展的汇报，并对今后的工作作出部署。",
    "这些干部在基层扎实工作，100余位代表出席了会议，大家对于未来充满信心。",
    "研究结果表明，治疗后患者的生活质量明显提高，并且复发率低于对照组。",
    "家里的老人说，村里的变化很大，以后的日子会越来越好。",
]


def machine_s2t(lex: Lexicon, s: str) -> str:
    """A 1:1 table converter: every character on its own, one-to-many characters left alone."""
    return "".join(c if c in ONE_TO_MANY else lex.s2t_chars.get(c, c) for c in s)


@pytest.mark.parametrize("simplified", MAINLAND)
def test_machine_conversion_is_detected_and_undone(lex, simplified):
    converted = machine_s2t(lex, simplified)
    assert converted != simplified
    v = detect_machine_s2t(converted, lexicon=lex)
    assert v.label == "machine_traditional", v.evidence
    assert v.score >= 0.5
    assert undo_machine_s2t(converted, lexicon=lex, verdict=v) == simplified


@pytest.mark.parametrize(
    "text",
    [
        "台灣的資訊軟體產業近年發展迅速，透過網路提供服務，民眾反應良好。",
        "行政院今天表示，捷運新路線將於明年完工，屆時通勤時間可望縮短。",
        "佢話今日唔得閒，我哋聽日先去搵佢傾下，好唔好？",
        "兩岸關係和平發展，並將於明年舉行會談，先後有百餘位代表出席。",  # phrase-aware official edition
        "臣松之案：此事見於舊史，其後遂還于舊都。",  # Classical Chinese
    ],
)
def test_genuine_traditional_is_left_alone(lex, text):
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "genuine_traditional", v.evidence
    assert v.score < 0.5
    assert undo_machine_s2t(text, lexicon=lex) == text


def test_pinyin_injection_settles_the_verdict(lex):
    text = "兩岸關係和平發展,並將於明年舉行會談"
    assert detect_machine_s2t(text, lexicon=lex).label == "genuine_traditional"
    assert detect_machine_s2t(text, lexicon=lex, pinyin_injected=True).label == "machine_traditional"


def test_simplified_and_none(lex):
    assert detect_machine_s2t("这是一段普通的简体中文新闻。", lexicon=lex).label == "simplified"
    assert detect_machine_s2t("plain ASCII text 123", lexicon=lex).label == "none"
    assert detect_machine_s2t("", lexicon=lex).label == "none"
    # Japanese: kana present, never converted
    ja = "この漢詩は唐代の詩人の作品で、今も學校の授業で読まれている。"
    assert detect_machine_s2t(ja, lexicon=lex).label == "none"
    assert undo_machine_s2t(ja, lexicon=lex, convert_all=True) == ja


def test_mixed_document_converts_only_the_machine_segment(lex):
    body = machine_s2t(lex, MAINLAND[0])
    tail = "滦南县| 临泉县| 凤台县| 岳池县| 富顺县| 宁远县| 兴国县| 蒙城县|"
    text = body + "\n\n" + tail
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "mixed"
    assert [s.label for s in v.segments] == ["machine_traditional", "simplified"]
    assert undo_machine_s2t(text, lexicon=lex) == MAINLAND[0] + "\n\n" + tail


def test_genuine_body_with_simplified_header(lex):
    text = "欢迎访问本站，最新资讯请关注\n台灣的資訊軟體產業近年發展迅速，透過網路提供服務。"
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "mixed"
    assert undo_machine_s2t(text, lexicon=lex) == text


def test_one_edit_per_changed_run(lex):
    converted = machine_s2t(lex, MAINLAND[1])
    e = undo_machine_s2t_explained(converted, lexicon=lex)
    assert apply_edits(converted, e.edits) == e.text == MAINLAND[1]
    assert 1 < len(e.edits) < len(converted)
    assert {x.rule for x in e.edits} == {"s2t.machine_conversion"}


def test_convert_all(lex):
    text = "台灣的資訊軟體產業，透過網路提供服務。"
    assert undo_machine_s2t(text, lexicon=lex) == text
    assert undo_machine_s2t(text, lexicon=lex, convert_all=True) == "台湾的资讯软体产业，透过网路提供服务。"


def test_idempotent_and_total(lex):
    converted = machine_s2t(lex, MAINLAND[2])
    once = undo_machine_s2t(converted, lexicon=lex)
    assert undo_machine_s2t(once, lexicon=lex) == once
    for odd in ["", "\n\n", "國", "\ud800", "𠀀𠀁", "關系\r\n并且"]:
        undo_machine_s2t(odd, lexicon=lex)
    with pytest.raises(TypeError):
        detect_machine_s2t(b"x", lexicon=lex)  # type: ignore[arg-type]
