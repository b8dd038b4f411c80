"""Site chrome in plain text: line-level rules, page metadata and image captions.

A restored page still carries its site's template: mobile banners, ``字号/打印/分享/关闭`` tool rows, breadcrumbs,
``上一篇/下一篇``, ``相关新闻`` blocks and what follows them, copyright and ICP footers, and the title, date, source
and editor lines.  This module classifies each line (a rule id or body), pulls the metadata out of the lines it
removes, and recognises image captions (which stay in the text).  It works on text after
:func:`zhclean.text.restore.restore_text`, so every pattern accepts both the ASCII punctuation a crawl's NFKC leaves
and the full-width punctuation restoration puts back.

Rules (each removed line is one :class:`~zhclean.text.edits.Edit` whose ``after`` is empty):

==============================  ==================================================================================
``boilerplate.banner``          mobile/app banners, language switches, ad slots, QR-code prompts, browser notices
``boilerplate.font_size``       tool rows holding ``字号`` (font size) with 打印/分享/关闭 and the like
``boilerplate.share``           tool rows without ``字号``: 打印, 分享, 关闭窗口, 收藏, 纠错, social buttons
``boilerplate.breadcrumb``      ``您的位置：首页 > 新闻 > 正文`` and bare ``A > B > C`` trails
``boilerplate.nav``             rows of short menu words outside the article (``新闻中心 两岸 社会 国际``)
``boilerplate.pagination``      上一篇/下一篇, 第1页 第2页, ``标题_第3页`` page lists
``boilerplate.tags``            ``推荐标签：a | b``, ``标签：``, an empty ``关键词：``
``boilerplate.related_news``    a 相关新闻/相关阅读/热点推荐… heading and the link list after it
``boilerplate.copyright``       版权所有, ©, Copyright, ICP备, 公网安备, 未经授权不得转载
``boilerplate.title``           the article title (the line just above the dateline or source line)
``boilerplate.dateline``        date/time lines, with or without 来源/作者/字号 fields beside the date
``boilerplate.source``          来源/稿源/新闻来源 lines without a date
``boilerplate.editor``          [责任编辑：…], 编辑：…, 责编：… (and the 原稿件… fields that go with them)
``boilerplate.author``          作者：… lines on their own
``boilerplate.url``             a line that is only a URL or a domain name
``boilerplate.separator``       a line of bullets, dashes or a lone bracket left from the template
``boilerplate.blank_line``      blank lines, dropped only from a page that lost chrome (the article is then one
                                paragraph per line, as the cleaned seeds are)
==============================  ==================================================================================

Calibration (``shared/realdata``, 2026-11, 182 pages: 88 damaged, 64 clean, 15 pairs × 2, all restored first).  Each
rule was written from the template lines seen on several sites and then checked against every line of every page:
the labelled sample in ``tests/clean/realdata_labels.json`` records the outcome (boilerplate-line precision and recall
are asserted in ``tests/clean/test_realdata_clean.py``).  Sites whose chrome shaped a rule: taiwan.cn and its big5
edition and mirrors (banner, 字号, breadcrumb, 推荐标签, 相关新闻 + nav list, 责任编辑, 原稿件…), chinanews
(本页位置, 【字体：↑大 ↓小】, 参与互动), crntt (CNML格式, 第1頁 第2頁, 相關新聞/相關專題), gov.cn big5 gateway
(字號:默認 超大 | 打印 |), cts.com.tw (新聞來源, 新聞關鍵字, Facebook/Line rows), ltn.com.tw (browser notice),
news.cn (【纠错】, 【责任编辑:…】 split over two lines), cctv (责编:… 来源:), cri.cn (| 编辑: … | 时间: … | 来源: … |),
qfzx.gov.cn (欢迎访问, 加入收藏, 发布时间/新闻来源/浏览次数), the pirate-ebook and doc-sharing sites
(``>>`` trails, ``_第N页``), mamicode (标签 row, 首页 > … > 详细) and the tvboxnow forums (返回列表 回復 發帖).

Counts on those 182 pages (lines removed, pages; 2026-11-23): title 43/43, dateline 54/53, source 13/11, editor
18/17, author 1/1, banner 26/19, font_size 7/7, share 19/15, breadcrumb 14/14, tags 8/8, related_news 37/13,
pagination 12/4, copyright 5/5, url 7/4, separator 10/6, nav 4/2; blank lines 473 on the 54 pages that lost chrome.
No line of a labelled body was removed (precision 1.0 on the labels, recall 0.95: the misses are link lists without
a heading, forum watermarks and English skip links).  SEO (:mod:`zhclean.text.seo`): keyword_salad 4/4,
adult_keywords 3/3, inline_anchor 8/1, toponym_tail 1/1 (plus seed 000).

Examples:
    >>> page = "• 示例网移动版\\n新区举办读书节\\n2024-03-05 09:30:00\\n来源:示例网\\n字号\\n"
    >>> page += "  本月新区举办读书节,吸引了许多市民参加,现场十分热闹。\\n[责任编辑:王明]\\n相关新闻\\n另一条新闻标题"
    >>> strip_boilerplate(page)
    '  本月新区举办读书节,吸引了许多市民参加,现场十分热闹。\\n'
    >>> m = extract_metadata(page)
    >>> m.title, m.published, m.source, m.editor
    ('新区举办读书节', '2024-03-05T09:30:00', '示例网', '王明')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from zhclean.text.edits import Edit, Explained, rewrite

if TYPE_CHECKING:
    from zhclean.text.seo import Gazetteer

__all__ = [
    "HEADER_LINES",
    "CleanedPage",
    "Line",
    "Metadata",
    "classify_lines",
    "clean_page_explained",
    "count_captions",
    "extract_metadata",
    "find_captions",
    "is_caption",
    "parse_date",
    "strip_boilerplate",
    "strip_boilerplate_explained",
]

HEADER_LINES = 12
"""How many non-blank lines at the top of a page may hold the title and the dateline.  On realdata the dateline is at
most the 9th non-blank line (taiwan.cn mirrors behind an adult header, a breadcrumb and a tag row); 15 leaves room
for longer headers; the title and dateline must also come before the first prose line."""

MIN_TITLE_CHARS = 5
"""Shortest title line; shorter lines above a dateline are labels (``日期``) or section names (``文章历史``)."""

MAX_TITLE_CHARS = 80
"""Longest title line.  realdata titles are 8–44 characters; a longer line above a dateline is a lead paragraph."""

MAX_CHROME_CHARS = 120
"""Longest line a chrome rule (banner, tool row, breadcrumb, copyright, field line) may remove.  The longest chrome
line in realdata is a 64-character copyright notice; body paragraphs that mention 版权 or 来源 are longer."""

MAX_MENU_CHARS = 8
"""Longest menu item on a line of its own below the article (新聞排行, 圖集, 本网快讯); realdata menu items: 2–6."""

PROSE_MIN_CHARS = 30
"""A line of at least this many characters holding sentence punctuation is prose: the article runs from the first
such line to the last, and the position rules (nav rows, related-news tails, titles) only act outside it."""

# -- character classes ------------------------------------------------------------------------------------------------
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_COLON = "[:：]"
_SENTENCE_END = "。！？!?…"
_PROSE_PUNCT = re.compile(r"[，。！？；,;!?、]")

# -- line rules (whole stripped line) ---------------------------------------------------------------------------------
# Banner rules in two parts so that a body line costs one literal scan: whole-line forms (matched at the start) and
# forms found inside a line (searched).
_BANNER_LINE_RE = re.compile(
    r"(?:[•·]\s*)?\S{1,16}(?:移动版|移動版|手机版|手機版|手机网|手機網|客户端|客戶端|APP|App)$"
    r"|(?:English|ENGLISH|EN|繁體|繁体|简体|簡體|繁體版|简体版|中文版|APP下载|APP下載|App下载|放大圖片|放大图片)$"
    r"|ad\d*_\d+\*\d+$"
    r"|(?:Jump|Skip) to (?:the )?(?:beginning of )?(?:main )?(?:content|navigation)$|border image$|spacer image$"
    r"|.{0,30}(?:扫描二维码|掃描二維碼|扫一扫|掃一掃|用手机扫描|用手機掃描).{0,20}$"
    r"|.{0,20}(?:欢迎光临|歡迎光臨).{0,20}$"
    r"|(?:设为首页|設為首頁|加入收藏|返回首页|返回首頁|网站地图|網站地圖|登录|登錄|注册|註冊|\s|[|｜])+$"
    r"|(?:返回列表|回复|回復|发帖|發帖|\s)+$"
)
_BANNER_IN_RE = re.compile(
    r"扫描二维码访问|掃描二維碼訪問|为达最佳浏览效果|為達最佳瀏覽效果|建议使用.{0,30}浏览器|建議使用.{0,30}瀏覽器"
    r"|請至.{0,12}官網下載|欢迎访问.{0,40}网站|歡迎訪問.{0,40}網站"
)
_TOOL_TOKENS = (
    "字号", "字號", "字体", "字體", "打印本页", "打印本頁", "打印", "打 印", "友善列印", "列印", "关闭窗口", "關閉窗口",
    "關閉視窗", "关闭", "關閉",
    "转发", "轉發", "分享到", "分享", "收藏", "手机看", "手機看", "纠错", "糾錯", "我来说两句", "我來說兩句",
    "参与互动", "參與互動", "点击查看其它图片", "點擊查看其它圖片", "点我收藏+", "CNML格式", "复制链接", "複製連結",
    "默认", "默認", "超大", "大", "中", "小", "↑大", "↓小", "facebook", "Facebook", "Line", "twitter", "Twitter",
    "微信", "微博", "QQ空间", "QQ空間", "QQ", "朋友圈", "豆瓣", "加入Line好友", "评论", "評論", "推荐", "推薦", "A+",
    "A-", "我要纠错", "我要糾錯",
)  # fmt: skip
_TOOL_RE = re.compile("|".join(sorted((re.escape(t) for t in _TOOL_TOKENS), key=len, reverse=True)))
_TOOL_REST_RE = re.compile(r"[\s\[\]【】()（）|｜:：,，.·•\-_=\d/]+")
_BREADCRUMB_RE = re.compile(
    r"^(?:您的位置|你的位置|您现在的位置|您的当前位置|您當前的位置|当前位置|當前位置|现在位置|本页位置|本頁位置|所在位置)"
    + _COLON
    + r"|^[^>»›]{1,16}(?:\s*(?:>>?|»|›|→)\s*[^>»›]{1,16})+\s*(?:>>?|»|›|→)\s*[^>»›]{1,40}$"
)  # fmt: skip
_PAGINATION_RE = re.compile(
    r"^.{0,12}(?:上一篇|下一篇|上一页|下一页|上一頁|下一頁|上一則|下一則|上一条|下一条|上一條|下一條|上一章|下一章|返回目录|返回目錄|返回顶部|返回頂部).{0,30}$"
    r"|^[【\[]?\s*(?:第\s*\d+\s*[页頁]\s*)+[】\]]?$|_第\d+[页頁]$|已阅读\d+页|继续免费阅读|下载本文档"
)
_TAGS_RE = re.compile(
    r"^(?:推荐标签|推薦標籤|标签|標籤|热门标签|熱門標籤|Tags?|TAGS?)" + _COLON
    + r"|^(?:关键词|關鍵詞|关键字|關鍵字)" + _COLON + r"\s*$"
)  # fmt: skip
_RELATED_RE = re.compile(
    r"^[\[【]?\s*(?:相关|相關|延伸|推荐|推薦|热点|熱點|热门|熱門|最热|最熱|精彩|更多|猜你|读者|讀者|本网|本網)"
    r"(?:新闻|新聞|阅读|閱讀|文章|链接|鏈接|連結|视频|視頻|影音|专题|專題|推荐|推薦|报道|報導|资讯|資訊|喜欢|喜歡|"
    r"迴响|迴響|回应|回應|快讯|快訊)\s*[\]】]?\s*(?:" + _COLON + r".{0,40})?$"
    r"|^(?:新闻关键字|新聞關鍵字|热点推荐|熱點推薦|最热新闻|最熱新聞|相似文献|相似文獻|相关文献|相關文獻)\s*$"
)  # fmt: skip
_COPYRIGHT_RE = re.compile(
    r"版权所有|版權所有|版权声明|版權聲明|版权说明|版權說明|copyright|©|ICP备|ICP證|ICP证|公网安备|公網安備"
    r"|未经授权|未經授權|非经授权|非經授權|不得转载|不得轉載|all rights reserved|All [Rr]ights [Rr]eserved"
    r"|Copyright|COPYRIGHT"
)
# A reprint disclaimer: 声明：转载此文…若侵犯了您的权益请联系… (a site footer, not the article)
_DISCLAIMER_RE = re.compile(
    r"^[\[【(（]?\s*(?:免责声明|免責聲明|郑重声明|鄭重聲明|声明|聲明)\s*[:：\]】)）]"
    r".{0,110}(?:转载|轉載|版权|版權|侵权|侵權)"
)
_URL_RE = re.compile(r"(?:https?://|www\.)[\w./?=&%#:~+-]*|\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|tw|hk|mo|gov)\b[\w./-]*")
_URL_LINE_RE = re.compile(r"^(?:(?:https?://)?[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}/?[\w./?=&%-]*\s*)+$")
_SEPARATOR_RE = re.compile(r"^[\[\]【】|｜•·\-–—_=*~#>]+$")
_NAV_TOKEN_RE = re.compile(f"^[{_HAN}]{{2,4}}$")
_MENU_ITEM_RE = re.compile(f"^[{_HAN}]{{2,8}}$")

# -- metadata fields --------------------------------------------------------------------------------------------------
_FIELDS = {
    "published": (
        "发布时间", "發佈時間", "發布時間", "更新时间", "更新時間", "时间", "時間", "日期", "发布日期", "發佈日期",
    ),
    "source": (
        "原稿件来源", "新闻来源", "新聞來源", "本文来源", "本文來源", "文章来源", "文章來源", "稿件来源", "来源",
        "來源", "稿源", "出处", "出處",
    ),
    "editor": (
        "责任编辑", "責任編輯", "转载编辑", "轉載編輯", "实习编辑", "實習編輯", "值班编辑", "编辑", "編輯",
        "责编", "責編", "审核", "審核", "校对", "校對", "编审", "編審",
    ),
    "author": ("原稿件作者", "作者", "撰文", "文"),
    "other": (
        "原稿件标题URL", "原稿件标题", "浏览次数", "瀏覽次數", "点击", "點擊", "阅读", "閱讀", "评论", "評論",
        "收藏", "浏览", "瀏覽", "字号", "字號",
    ),
}  # fmt: skip
_LABEL_KIND = {label: kind for kind, labels in _FIELDS.items() for label in labels}
_LABELS = sorted(_LABEL_KIND, key=len, reverse=True)
_FIELD_RE = re.compile(
    r"[\[【(（|｜]?\s*(?<![\u3400-\u9fff])(?P<label>" + "|".join(map(re.escape, _LABELS)) + r")\s*" + _COLON
    + r"\s*(?P<value>[^\s\[\]【】|｜]{0,40}?)\s*(?:[\]】)）]|(?=[|｜]|\s{2,}|\s+(?:" + "|".join(map(re.escape, _LABELS))
    + r")\s*" + _COLON + r"|$))"
)  # fmt: skip
_FIELD_HINT_RE = re.compile("(?<![\u3400-\u9fff])(?:" + "|".join(map(re.escape, _LABELS)) + r")\s*" + _COLON)
_DATE_RES = (
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?!\d)"),
)
_TIME_RE = re.compile(r"(?<!\d)(?P<H>[01]?\d|2[0-3])\s*[:：]\s*(?P<M>[0-5]\d)(?:\s*[:：]\s*(?P<S>[0-5]\d))?(?!\d)")
_WEEKDAY_RE = re.compile(r"(?:星期|週|周|礼拜|禮拜)[一二三四五六日天]")
_DATELINE_LEFTOVER = 10
"""Characters a dateline may hold besides the date, time, weekday, fields and tool words: a site or programme name
(``央视国际 (2005年05月08日 20:26)``) or authors glued to the date by the extractor (up to 9 characters in realdata).
Lines with more left over are prose that mentions a date."""

# -- captions ---------------------------------------------------------------------------------------------------------
_CAPTION_RE = re.compile(
    r"[(（][^()（）]{0,40}(?:摄|攝|[发發]|图|圖|供图|供圖|提供|资料图|資料圖|资料片|資料片|图片来源|圖片來源|来源[:：][^()（）]*)"
    r"[^()（）]{0,30}[)）]\s*$"
    r"|^(?:图|圖|上图|上圖|下图|下圖|左图|右图|组图|組圖)\s*[:：]|^(?:图为|圖為)"
    r"|(?:图片来源|圖片來源)\s*[:：]\s*\S{1,20}$|(?:摄|攝)\s*$"
)
_TITLE_MARK_RE = re.compile(r"[(（](?:组|組|多)?[图圖][)）]\s*$")  # 标题(图): a headline that announces pictures
MAX_CAPTION_CHARS = 150
"""Longest caption line.  realdata captions are 14–104 characters; a longer line ending in ``(记者…摄)`` is a
paragraph with a photo credit, counted as body."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a page: ``text[start:end]`` (``end`` includes the line break), its index and its verdict.

    ``rule`` is ``None`` for a body line.
    """

    index: int
    start: int
    end: int
    text: str
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the chrome said about the article; ``None`` where the page does not say.

    ``published`` is ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``).
    """

    title: str | None = None
    published: str | None = None
    source: str | None = None
    editor: str | None = None
    author: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """The fields as a dict (the ``zh__title`` … columns without their prefix)."""
        return {
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "editor": self.editor,
            "author": self.author,
        }


# -- public API -------------------------------------------------------------------------------------------------------
def classify_lines(text: str) -> tuple[Line, ...]:
    """Every line of ``text`` with its rule id (``None`` = body), in order.

    >>> [(ln.text, ln.rule) for ln in classify_lines("首页 > 新闻 > 正文\\n今天天气很好,我们一起去公园散步吧。\\n")]
    [('首页 > 新闻 > 正文', 'boilerplate.breadcrumb'), ('今天天气很好,我们一起去公园散步吧。', None)]
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    lines = _split_lines(text)
    rules: list[str | None] = [_classify_line(ln.text.strip()) for ln in lines]
    first, last = _prose_span(lines, rules)
    _mark_header(lines, rules, first)
    _mark_related(lines, rules, last)
    _mark_nav(lines, rules, first, last)
    return tuple(ln if rule is None else replace(ln, rule=rule) for ln, rule in zip(lines, rules, strict=True))


def strip_boilerplate_explained(text: str) -> Explained:
    """Remove the chrome lines of a page; every removed line is an edit named by its rule.

    A page from which nothing is removed comes back unchanged (blank lines included); from a page that lost chrome,
    blank lines are dropped too (``boilerplate.blank_line``), leaving one paragraph per line.

    >>> ex = strip_boilerplate_explained("字号:[大][中][小] 打印\\n  正文第一段,讲述了一件事情的经过。\\n")
    >>> ex.text, [e.rule for e in ex.edits]
    ('  正文第一段,讲述了一件事情的经过。\\n', ['boilerplate.font_size'])
    >>> strip_boilerplate_explained("只有正文,没有任何页面模板。\\n\\n第二段。").edits
    ()
    """
    return _strip_lines(text, classify_lines(text))


def _strip_lines(text: str, lines: tuple[Line, ...]) -> Explained:
    if not any(ln.rule for ln in lines):
        return Explained(text, ())
    # One edit per removed line, except that a run of consecutive lines with the same rule (blank lines, a related-
    # news list) is one edit: fewer edits to store and replay, the same text.
    edits: list[Edit] = []
    for ln in lines:
        rule = ln.rule or ("boilerplate.blank_line" if not ln.text.strip() and ln.end > ln.start else None)
        if not rule:
            continue
        last = edits[-1] if edits else None
        if last is not None and last.rule == rule and last.end == ln.start:
            edits[-1] = Edit(rule, last.start, ln.end, last.before + text[ln.start : ln.end], "")
        else:
            edits.append(Edit(rule, ln.start, ln.end, text[ln.start : ln.end], ""))
    return rewrite(text, edits)


def strip_boilerplate(text: str) -> str:
    """Plain twin of :func:`strip_boilerplate_explained`; returns ``text`` itself when nothing is removed."""
    ex = strip_boilerplate_explained(text)
    return ex.text if ex.edits else text


def extract_metadata(text: str) -> Metadata:
    """Title, date, source, editor and author from the chrome lines of a page (the lines :func:`strip_boilerplate`
    removes).  The first value of each field wins, except that a dateline's source beats a footer's.

    >>> extract_metadata("示例标题一则\\n时间:2013-05-27 09:15   来源:示例网\\n正文内容很长,这里是正文的第一段文字。")
    Metadata(title='示例标题一则', published='2013-05-27T09:15:00', source='示例网', editor=None, author=None)
    >>> extract_metadata("没有模板的正文,只有一段话而已。")
    Metadata(title=None, published=None, source=None, editor=None, author=None)
    """
    return _metadata_from(classify_lines(text))


def _metadata_from(lines: tuple[Line, ...]) -> Metadata:
    found: dict[str, str] = {}
    for ln in lines:
        if ln.rule is None:
            continue
        s = ln.text.strip()
        if ln.rule == "boilerplate.title":
            found.setdefault("title", s)
            continue
        if ln.rule in ("boilerplate.dateline", "boilerplate.source", "boilerplate.editor", "boilerplate.author"):
            for kind, value in _fields(s):
                if kind in ("source", "editor", "author") and value:
                    found.setdefault(kind, value)
            if ln.rule == "boilerplate.dateline" and "published" not in found:
                iso = parse_date(s)
                if iso:
                    found["published"] = iso
    return Metadata(
        title=found.get("title"),
        published=found.get("published"),
        source=found.get("source"),
        editor=found.get("editor"),
        author=found.get("author"),
    )


def parse_date(s: str) -> str | None:
    """The first date in ``s`` (with the time right after it, if any) as ISO 8601, or ``None``.

    ``dd.mm.yyyy`` is read day first (the aggregator sites in realdata write ``02.09.2020`` for 2 September).

    >>> parse_date("2024-01-30 10:45:00"), parse_date("2012年05月16日 08:53"), parse_date("01.10.2013 14:38")
    ('2024-01-30T10:45:00', '2012-05-16T08:53:00', '2013-10-01T14:38:00')
    >>> parse_date("发布时间:2019.05.24"), parse_date("2015/12/5 19:21"), parse_date("无日期"), parse_date("2023-13-40")
    ('2019-05-24', '2015-12-05T19:21:00', None, None)
    """
    best = None
    for rx in _DATE_RES:
        m = rx.search(s)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    y, mo, d = int(best["y"]), int(best["m"]), int(best["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    date = f"{y:04d}-{mo:02d}-{d:02d}"
    t = _TIME_RE.match(s, _skip_space(s, best.end()))
    if t:
        return f"{date}T{int(t['H']):02d}:{int(t['M']):02d}:{int(t['S'] or 0):02d}"
    return date


def is_caption(line: str) -> bool:
    """True for an image caption line (kept in the text, counted by :func:`count_captions`).

    >>> is_caption("新区读书节现场。(示例网发)"), is_caption("图:市民在现场阅读"), is_caption("(记者 王明 摄)")
    (True, True, True)
    >>> is_caption("他说,这是一件好事(见下文)。")
    False
    """
    s = line.strip()
    return 0 < len(s) <= MAX_CAPTION_CHARS and _CAPTION_RE.search(s) is not None and not _TITLE_MARK_RE.search(s)


def find_captions(text: str) -> tuple[Line, ...]:
    """The caption lines of ``text`` (body lines only: a caption inside chrome is not counted)."""
    return tuple(ln for ln in classify_lines(text) if ln.rule is None and is_caption(ln.text))


def count_captions(text: str) -> int:
    """Number of caption lines in ``text``.

    >>> count_captions("会场一角。(示例网发)\\n  正文第一段,讲述了一件事情的经过。\\n")
    1
    """
    return len(find_captions(text))


# -- internals --------------------------------------------------------------------------------------------------------
def _split_lines(text: str) -> list[Line]:
    out = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        end = pos + len(raw)
        has_nl = end < len(text)
        out.append(Line(i, pos, end + 1 if has_nl else end, raw.rstrip("\r")))
        pos = end + 1
    if out and out[-1].start == out[-1].end:  # the empty string after a final newline is not a line
        out.pop()
    return out


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\u3000":
        i += 1
    return i


def _is_prose(s: str) -> bool:
    return len(s) >= PROSE_MIN_CHARS and len(_PROSE_PUNCT.findall(s)) >= 1 and _HAN_RE.search(s) is not None


_HAN_RE = re.compile(f"[{_HAN}]")
_DIGIT_RE = re.compile(r"\d")


def _fields(s: str) -> list[tuple[str, str]]:
    return [(_LABEL_KIND[m["label"]], m["value"].strip()) for m in _FIELD_RE.finditer(s)]


def _leftover(s: str) -> str:
    """What is left of a chrome-looking line once fields, dates, times, URLs and tool words are taken out."""
    rest = _FIELD_RE.sub(" ", s)
    for rx in _DATE_RES:
        rest = rx.sub(" ", rest)
    rest = _TIME_RE.sub(" ", rest)
    rest = _WEEKDAY_RE.sub(" ", rest)
    if "." in rest:
        rest = _URL_RE.sub(" ", rest)
    rest = _TOOL_RE.sub(" ", rest)
    return _TOOL_REST_RE.sub("", rest)


def _has_date(s: str) -> bool:
    if _DIGIT_RE.search(s) is None:
        return False
    return any(rx.search(s) for rx in _DATE_RES)


def _classify_line(s: str) -> str | None:
    """The rule for one stripped line on its own (position rules come later), or None."""
    if not s:
        return None
    if len(s) > MAX_CHROME_CHARS:
        return None
    if _SEPARATOR_RE.match(s):
        return "boilerplate.separator"
    if _URL_LINE_RE.match(s) and not _HAN_RE.search(s):
        return "boilerplate.url"
    if len(s) <= 40 and "." in s and _URL_RE.search(s) and len(_TOOL_REST_RE.sub("", _URL_RE.sub("", s))) <= 6:
        return "boilerplate.url"  # 站名,example.com: a site banner or an image watermark
    if _BANNER_LINE_RE.match(s) or _BANNER_IN_RE.search(s):
        return "boilerplate.banner"
    if _BREADCRUMB_RE.search(s):
        return "boilerplate.breadcrumb"
    if _PAGINATION_RE.search(s):
        return "boilerplate.pagination"
    if _TAGS_RE.search(s):
        return "boilerplate.tags"
    if _RELATED_RE.match(s):
        return "boilerplate.related_news"
    if _COPYRIGHT_RE.search(s) and (len(s) <= 80 or not _is_prose(s)):
        return "boilerplate.copyright"
    if _DISCLAIMER_RE.match(s):
        return "boilerplate.copyright"
    if (("：" in s or ":" in s) and _FIELD_HINT_RE.search(s)) or _has_date(s):
        rule = _field_line_rule(s)
        if rule:
            return rule
    if _TOOL_RE.search(s) and not _leftover(s):
        return "boilerplate.font_size" if re.search("字[号號体體]", s) else "boilerplate.share"
    return None


def _field_line_rule(s: str) -> str | None:
    """``boilerplate.dateline/source/editor/author`` for a line made only of metadata fields (and a date)."""
    rest = _leftover(s)
    kinds = {k for k, _ in _fields(s)}
    dated = _has_date(s)
    if dated and len(rest) <= _DATELINE_LEFTOVER and (kinds or _TIME_RE.search(s) or not rest):
        return "boilerplate.dateline"
    if rest:
        return None
    if dated:
        return "boilerplate.dateline"
    for kind in ("editor", "source", "author"):
        if kind in kinds:
            return f"boilerplate.{kind}"
    if kinds:
        return "boilerplate.source" if "published" in kinds else "boilerplate.share"
    return None


def _prose_span(lines: list[Line], rules: list[str | None]) -> tuple[int, int]:
    """Indices of the first and last prose body lines (-1, -1 when there is none)."""
    prose = [i for i, ln in enumerate(lines) if rules[i] is None and _is_prose(ln.text.strip())]
    return (prose[0], prose[-1]) if prose else (-1, -1)


def _mark_header(lines: list[Line], rules: list[str | None], first_prose: int) -> None:
    """The title: the last body line above the first dateline/source line of the header."""
    nonblank = [i for i, ln in enumerate(lines) if ln.text.strip()][:HEADER_LINES]
    anchor = next((i for i in nonblank if rules[i] in ("boilerplate.dateline", "boilerplate.source")), None)
    if anchor is None:
        return
    for j in range(anchor):  # a paragraph above the dateline: the article started already, no title to find
        t = lines[j].text.strip()
        if rules[j] is None and _is_prose(t) and (len(t) > MAX_TITLE_CHARS or t.endswith(tuple(_SENTENCE_END))):
            return
    for i in reversed([j for j in nonblank if j < anchor]):
        if rules[i] is not None:
            continue
        s = lines[i].text.strip()
        if MIN_TITLE_CHARS <= len(s) <= MAX_TITLE_CHARS and not s.endswith(tuple(_SENTENCE_END)) and not is_caption(s):
            rules[i] = "boilerplate.title"
        return


def _mark_related(lines: list[Line], rules: list[str | None], last_prose: int) -> None:
    """A related-news heading after the article takes the link list below it (up to the next prose line)."""
    for i, rule in enumerate(rules):
        if rule != "boilerplate.related_news" or i < last_prose:
            continue
        for j in range(i + 1, len(lines)):
            s = lines[j].text.strip()
            if _is_prose(s) and len(s) >= 60:
                break
            if s and rules[j] is None:
                rules[j] = "boilerplate.related_news"
        return


def _mark_nav(lines: list[Line], rules: list[str | None], first_prose: int, last_prose: int) -> None:
    """Rows of 4+ short menu words separated by spaces below the article (above it, such rows are bylines)."""
    for i, ln in enumerate(lines):
        if rules[i] is not None or i <= last_prose:
            continue
        tokens = ln.text.split()
        if len(tokens) >= 4 and all(_NAV_TOKEN_RE.match(t) for t in tokens):
            rules[i] = "boilerplate.nav"
    # menu items one per line: three or more lines of 2–MAX_MENU_CHARS Han characters after the article (a poem's
    # title and author, or a table's label/value pairs, are shorter runs or hold other characters)
    if last_prose == -1:
        return
    run: list[int] = []
    for i in range(last_prose + 1, len(lines) + 1):
        s = lines[i].text.strip() if i < len(lines) else None
        if s == "":
            continue
        if s is not None and rules[i] is None and _MENU_ITEM_RE.match(s):
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                rules[j] = "boilerplate.nav"
        run = []


# -- the whole cleaning of one page ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CleanedPage:
    """The article left after :func:`clean_page_explained`, the edits that made it, its metadata and caption count."""

    text: str
    edits: tuple[Edit, ...]
    metadata: Metadata
    captions: int

    @property
    def explained(self) -> Explained:
        """The text and edits as an :class:`~zhclean.text.edits.Explained`."""
        return Explained(self.text, self.edits)


def clean_page_explained(text: str, *, gazetteer: Gazetteer) -> CleanedPage:
    """SEO spam out first (so a county tail is named ``seo.toponym_tail``, not swept up as related news), then the
    metadata read from the chrome, then the chrome out; captions are counted on the article that is left.

    Run it on restored text (:func:`zhclean.text.restore.restore_text`): restoration needs the whole page as
    evidence, and the title is wanted with its characters repaired.

    >>> from zhclean.text.seo import Gazetteer
    >>> gaz = Gazetteer.from_names([])
    >>> page = "新区举办读书节活动\\n2024-03-05 09:30  来源:示例网\\n  本月新区举办读书节,吸引了许多市民参加。\\n"
    >>> page += "会场一角。(示例网发)\\n[责任编辑:王明]\\n青川县| 蓝田县| 攸县| 会宁县| 巫溪县|"
    >>> c = clean_page_explained(page, gazetteer=gaz)
    >>> c.text
    '  本月新区举办读书节,吸引了许多市民参加。\\n会场一角。(示例网发)\\n'
    >>> c.metadata.title, c.metadata.editor, c.captions, sorted({e.rule.split(".")[0] for e in c.edits})
    ('新区举办读书节活动', '王明', 1, ['boilerplate', 'seo'])
    """
    from zhclean.text.seo import strip_seo_spam_explained

    seo = strip_seo_spam_explained(text, gazetteer=gazetteer)
    lines = classify_lines(seo.text)  # once: metadata, removal and captions all read the same verdicts
    out = seo.then(_strip_lines(seo.text, lines))
    captions = sum(1 for ln in lines if ln.rule is None and is_caption(ln.text))
    return CleanedPage(out.text, out.edits, _metadata_from(lines), captions)
