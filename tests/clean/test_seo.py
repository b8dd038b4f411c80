"""SEO spam blocks: place-name tails, keyword salads, inline anchors, and what must stay."""

from __future__ import annotations

import pytest

from zhclean.text.edits import apply_edits
from zhclean.text.seo import Gazetteer, find_seo_spam, score_toponym_share, strip_seo_spam, strip_seo_spam_explained

BODY = "  本报讯 春季植树活动于本周末在城东湿地公园举行,近千名志愿者参加,共栽下各类树苗三千余株。\n"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_gazetteer_from_jieba(gaz: Gazetteer) -> None:
    assert len(gaz.names) > 10_000
    assert gaz.is_place("桂林市") and gaz.is_place("松桃")  # jieba ns word; short form of an autonomous county
    assert gaz.is_place("某某县")  # administrative suffix
    assert not gaz.is_place("经济发展") and not gaz.is_place("市")


def test_county_tail(gaz: Gazetteer) -> None:
    tail = "| ".join(["桂林市", "北海市", "大方县", "如皋市", "秀山", "平武县", "华坪县", "商水县"]) + "|"
    text = BODY + tail
    ex = strip_seo_spam_explained(text, gazetteer=gaz)
    assert ex.text == BODY
    assert [e.rule for e in ex.edits] == ["seo.toponym_tail"]
    assert apply_edits(text, ex.edits) == ex.text
    assert score_toponym_share(tail, gazetteer=gaz) == 1.0


def test_county_tail_glued_to_last_line(gaz: Gazetteer) -> None:
    text = BODY.rstrip("\n") + "桂林市| 北海市| 大方县| 如皋市| 平武县| 华坪县|"
    assert strip_seo_spam(text, gazetteer=gaz) == BODY.rstrip("\n")


def test_keyword_salad_and_adult_header(gaz: Gazetteer) -> None:
    text = "国产精品_亚洲无码_人妻熟女_在线观看_成人福利\n" + BODY + "久久精品，午夜福利，免费在线，成人视频\n"
    found = find_seo_spam(text, gazetteer=gaz)
    assert [f.rule for f in found] == ["seo.keyword_salad", "seo.adult_keywords"]
    assert strip_seo_spam(text, gazetteer=gaz) == BODY


def test_inline_anchor_rejoins_the_sentence(gaz: Gazetteer) -> None:
    text = "古城位于河畔,\n搬家公司电话\n,是著名的旅游胜地,\n网站建设\n,每年吸引大量游客。"
    ex = strip_seo_spam_explained(text, gazetteer=gaz)
    assert ex.text == "古城位于河畔,是著名的旅游胜地,每年吸引大量游客。"
    assert {e.rule for e in ex.edits} == {"seo.inline_anchor"}
    assert apply_edits(text, ex.edits) == ex.text


NEGATIVES = [
    # place names inside genuine sentences
    "  代表团先后访问了桂林市、北海市、如皋市、平武县和华坪县,考察当地的产业发展情况。",
    "  线路途经桂林市 北海市 如皋市 平武县 华坪县等地,全长一千二百公里,预计明年通车。",
    # a short route line in a table: too few names
    "桂林市|北海市",
    # a comma-joined enumeration of a few places on a line of its own
    "桂林市,北海市,如皋市,平武县,华坪县",
    # academic keywords separated by semicolons
    "关键词:城市规划;交通网络;案例研究;数据模型",
    # a headline with a site name
    "城东湿地公园春季植树活动举行_晨风网",
    # an enumeration in prose mentioning ordinary words that spam lists also use
    "  平台提供在线课程、免费讲座和精品视频,帮助学生自主学习,受到广泛欢迎。",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_genuine_text_stays(gaz: Gazetteer, text: str) -> None:
    assert strip_seo_spam(text, gazetteer=gaz) is text


def test_bounded_on_long_list_lines(gaz: Gazetteer) -> None:
    import time

    line = "甲乙| " * 50_000 + "。"  # a huge separator run that is not a tail
    t = time.perf_counter()
    strip_seo_spam(line + "\n" + BODY, gazetteer=gaz)
    assert time.perf_counter() - t < 5.0
