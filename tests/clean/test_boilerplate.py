"""Boilerplate lines, metadata and captions on pages written for these tests (an invented news-site template)."""

from __future__ import annotations

import pytest

from zhclean.text.boilerplate import (
    classify_lines,
    clean_page_explained,
    count_captions,
    extract_metadata,
    parse_date,
    strip_boilerplate,
    strip_boilerplate_explained,
)
from zhclean.text.edits import apply_edits
from zhclean.text.seo import Gazetteer

BODY = [
    "  本报讯 春季植树活动于本周末在城东湿地公园举行,近千名志愿者参加,共栽下各类树苗三千余株。",
    "  活动组织者介绍,今年选择的树种以本地乡土树种为主,成活率高,养护成本也比较低。",
    "志愿者在湿地公园栽种树苗。(晨风网发)",
    "  据了解,湿地公园将在秋季再组织一次补植活动,欢迎市民报名参加。",
]

PAGE = "\n".join(
    [
        "• 晨风网手机版",
        "",
        "    晨风网手机版",
        "",
        "您的位置：晨风网 > 新闻中心 > 本地 > 正文",
        "城东湿地公园春季植树活动举行",
        "",
        "2025-03-16 08:05:00",
        "来源：晨风日报",
        "作者：林小雨",
        "字号：[大][中][小] 打印 分享 关闭",
        "",
        *BODY,
        "【责任编辑：周文】",
        "上一篇：老城区道路改造完工",
        "下一篇：图书馆延长开放时间",
        "",
        "相关新闻",
        "",
        "市民踊跃报名参加植树",
        "湿地公园新增观鸟平台",
        "Copyright © 2025 晨风网 版权所有 京ICP备00000000号",
    ]
)


def test_template_page_keeps_exactly_the_body() -> None:
    assert strip_boilerplate(PAGE) == "\n".join(BODY) + "\n"


def test_template_page_metadata() -> None:
    m = extract_metadata(PAGE)
    assert m.title == "城东湿地公园春季植树活动举行"
    assert m.published == "2025-03-16T08:05:00"
    assert (m.source, m.author, m.editor) == ("晨风日报", "林小雨", "周文")


def test_rule_ids_are_named_per_line() -> None:
    rules = {ln.text.strip(): ln.rule for ln in classify_lines(PAGE) if ln.text.strip()}
    assert rules["• 晨风网手机版"] == "boilerplate.banner"
    assert rules["字号：[大][中][小] 打印 分享 关闭"] == "boilerplate.font_size"
    assert rules["您的位置：晨风网 > 新闻中心 > 本地 > 正文"] == "boilerplate.breadcrumb"
    assert rules["相关新闻"] == rules["市民踊跃报名参加植树"] == "boilerplate.related_news"
    assert rules["【责任编辑：周文】"] == "boilerplate.editor"
    assert rules["来源：晨风日报"] == "boilerplate.source"
    assert rules["上一篇：老城区道路改造完工"] == "boilerplate.pagination"
    assert rules["Copyright © 2025 晨风网 版权所有 京ICP备00000000号"] == "boilerplate.copyright"
    assert all(rules[b.strip()] is None for b in BODY)


def test_captions_stay_and_are_counted() -> None:
    out = strip_boilerplate(PAGE)
    assert "志愿者在湿地公园栽种树苗。(晨风网发)" in out
    assert count_captions(out) == 1


def test_edits_replay_and_idempotence() -> None:
    ex = strip_boilerplate_explained(PAGE)
    assert apply_edits(PAGE, ex.edits) == ex.text
    assert strip_boilerplate(ex.text) == ex.text
    assert extract_metadata(ex.text).title is None  # the title line left with the dateline


def test_traditional_and_fullwidth_variants() -> None:
    body = "  書展今天開幕,吸引了許多讀者前往參觀,現場人潮眾多,氣氛熱烈。\n"
    page = "臺北市舉辦國際書展\n時間:2024/2/20 10:30　來源:晨風網\n" + body + "[責任編輯:陳明]"
    assert strip_boilerplate(page) == body
    m = extract_metadata(page)
    assert (m.title, m.published, m.source, m.editor) == ("臺北市舉辦國際書展", "2024-02-20T10:30:00", "晨風網", "陳明")


CLEAN_ARTICLES = [
    # an article without any chrome, with blank lines between paragraphs
    "  今年春天雨水偏多,农民们抓住时机抢种早稻。\n\n  农技人员下田指导,帮助解决育秧中遇到的问题。\n\n"
    "  预计今年早稻播种面积与去年持平。",
    # sentences that mention sources, editors, dates and copyright inside the body
    "  记者从市版权局获悉,去年全市共登记作品版权两万余件,同比增长一成。\n"
    "  编辑部的老王说,来源可靠的稿件才能刊发,这是多年的规矩。\n"
    "  2024年3月5日,市政府召开新闻发布会,介绍了上述情况。",
    # a poem and its title (short lines, no chrome)
    "静夜思\n床前明月光,\n疑是地上霜。\n举头望明月,\n低头思故乡。",
    # a list of related items inside the article body
    "  会议要求做好以下工作:\n  一是加强组织领导;\n  二是落实工作责任;\n  三是强化督促检查。\n  会议还研究了其他事项。",
]


@pytest.mark.parametrize("text", CLEAN_ARTICLES)
def test_clean_article_keeps_every_line(text: str) -> None:
    assert strip_boilerplate(text) is text
    assert strip_boilerplate_explained(text).edits == ()


def test_total_on_odd_input() -> None:
    for s in ["", "\n", "\n\n\n", "字号", "相关新闻", "\ufffd" * 5, "a" * 10_000]:
        ex = strip_boilerplate_explained(s)
        assert apply_edits(s, ex.edits) == ex.text
    with pytest.raises(TypeError):
        classify_lines(b"bytes")  # type: ignore[arg-type]


def test_parse_date_forms() -> None:
    assert parse_date("时间:2013-05-27 09:15   来源:示例网") == "2013-05-27T09:15:00"
    assert parse_date("2003年11月26日16:09") == "2003-11-26T16:09:00"
    assert parse_date("2016年04月05日 23:23:00  来源:某网") == "2016-04-05T23:23:00"
    assert parse_date("2019.05.24") == "2019-05-24"
    assert parse_date("第2024号") is None


def test_clean_page_with_seo_tail() -> None:
    gaz = Gazetteer.from_names([])
    page = PAGE + "\n" + "| ".join(["平安县", "长宁县", "东山县", "西林县", "南溪区", "北川县"]) + "|"
    c = clean_page_explained(page, gazetteer=gaz)
    assert c.text == "\n".join(BODY) + "\n"
    assert "seo.toponym_tail" in {e.rule for e in c.edits}
    assert apply_edits(page, c.edits) == c.text
    assert c.metadata.title == "城东湿地公园春季植树活动举行" and c.captions == 1


PORTAL_BODY = [
    "  (記者王小明/台北報導)市立圖書館今年起延長夜間開放時間,週一至週五開放到晚間十點,方便上班族借閱。",
    "  館方表示,延長開放後將增加人力排班,並在夜間提供自助借還書服務,讀者反應熱烈。",
    "讀者在自助借書機前排隊借書。(記者王小明攝)",
]

PORTAL = "\n".join(
    [
        "首頁 » 生活 » 文教",
        "【字體：大 中 小】【列印】【關閉視窗】",
        "市立圖書館延長夜間開放",
        "發佈日期：2024年3月1日 星期五  稿源：晨風新聞網  瀏覽次數：1024",
        *PORTAL_BODY,
        "上一則：公園整修完工",
        "下一則：市集週末開張",
        "延伸閱讀",
        "圖書館推出電子書服務",
        "本網站內容未經授權,不得轉載。",
    ]
)


def test_second_template_traditional_portal() -> None:
    assert strip_boilerplate(PORTAL) == "\n".join(PORTAL_BODY) + "\n"
    m = extract_metadata(PORTAL)
    assert (m.title, m.published, m.source) == ("市立圖書館延長夜間開放", "2024-03-01", "晨風新聞網")
    assert count_captions(strip_boilerplate(PORTAL)) == 1


LOCAL_BODY = [
    "  近日,南岭镇组织农技专家深入田间地头,为种植户讲解春耕备播技术要点。",
    "  专家们现场演示了测土配方施肥方法,并向农户发放技术资料两百余份。",
]

LOCAL = "\n".join(
    [
        "当前位置:首页>乡镇动态",
        "南岭镇开展春耕技术指导",
        "发布时间:2023-03-08 15:20:11 来源:南岭镇人民政府 作者:李明 浏览次数:356 【字体:大 中 小】",
        *LOCAL_BODY,
        "分享到:微信 微博 QQ空间",
        "【我要纠错】 【打印】 【关闭】",
        "责任编辑:赵青 校对:孙立",
        "声明:转载此文是出于传递更多信息之目的。若有来源标注错误或侵犯了您的合法权益,请与本网联系,我们将及时更正、删除。",
        "Copyright© 2023 南岭镇人民政府 版权所有",
    ]
)


def test_third_template_local_government() -> None:
    assert strip_boilerplate(LOCAL) == "\n".join(LOCAL_BODY) + "\n"
    m = extract_metadata(LOCAL)
    assert (m.title, m.published, m.source, m.author, m.editor) == (
        "南岭镇开展春耕技术指导",
        "2023-03-08T15:20:11",
        "南岭镇人民政府",
        "李明",
        "赵青",
    )
