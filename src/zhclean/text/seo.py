"""SEO spam blocks: place-name tails, keyword salads, adult-keyword headers and inline link anchors.

Spam mirrors append or prepend text that no reader was meant to see: a line of county names joined by ``| `` (the
seed pages' tail), a header of adult search keywords joined by ``_`` or commas, and short link anchors inserted
between the clauses of a sentence.  Each is removed as an :class:`~zhclean.text.edits.Edit`:

=========================  ============================================================================================
``seo.toponym_tail``       a line (or the end of a line) of 5+ place names joined by ``|``, ``｜``, ``_``, ``,`` or
                           spaces, after the article
``seo.toponym_block``      the same inside or above the article
``seo.keyword_salad``      a line of 4+ short keywords joined by ``_`` or ``|`` holding spam vocabulary, or made only
                           of such keywords outside the article
``seo.adult_keywords``     a line without a sentence whose words are adult-site search terms (3+ distinct)
``seo.inline_anchor``      a short link text on its own line between two halves of a sentence (``…,\\n锚文本\\n,…``);
                           the sentence is joined again
=========================  ============================================================================================

Place names come from :class:`Gazetteer`: the words jieba's dictionary tags ``ns`` (place name), their short forms
(the first two characters of autonomous-county names: 松桃 for 松桃苗族自治县), and any 2–6 character Han word ending
in an administrative suffix (县, 市, 区, 旗, 州, 盟, 镇, 乡), which covers the counties jieba lacks (宁陕县, 巨野县).
jieba is a core dependency already; cpca and jionlp would add tens of megabytes for the same decision.

Calibration (``shared/realdata``, 2026-11): the two county tails (seed 000, rc-072) hold 40 and 9+ names, 78–100 %
of them gazetteer places; the adult headers and tails (rc-010, rc-011, rc-057, rc-137, rc-163, rc-165, rc-174) hold
4–8 distinct spam terms; no line of the 64 clean pages holds more than one spam term or more than two place names
joined by these separators.

Examples:
    >>> gaz = Gazetteer.from_names(["北京", "上海"])
    >>> text = "正文第一段,讲述了一件事情的经过。\\n青川县| 蓝田县| 攸县| 会宁县| 巫溪县| 北京|"
    >>> strip_seo_spam(text, gazetteer=gaz)
    '正文第一段,讲述了一件事情的经过。\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from zhclean.text.boilerplate import PROSE_MIN_CHARS  # one definition of "article prose" for both modules
from zhclean.text.edits import Edit, Explained, rewrite

__all__ = [
    "ADMIN_SUFFIXES",
    "SPAM_TERMS",
    "Gazetteer",
    "SeoFinding",
    "find_seo_spam",
    "score_toponym_share",
    "strip_seo_spam",
    "strip_seo_spam_explained",
]

ADMIN_SUFFIXES = "县市区旗州盟镇乡"
"""Suffixes of Chinese administrative-division names (county, city, district, banner, prefecture, league, town,
township)."""

MIN_LIST_ITEMS = 5
"""Fewest separated items for a place-name list.  The shortest county tail in realdata has 9 names; genuine text
joins at most 3 place names with these separators (``北京|上海`` in a route table)."""

MIN_PLACE_SHARE = 0.6
"""Share of a list's items that must be places.  County tails: 0.78–1.0 (truncated autonomous-county names such as
喀喇 and obsolete names are the misses); headline and tag lists: < 0.3."""

MIN_SALAD_ITEMS = 4
"""Fewest ``_``/``|``-joined items for a keyword salad (realdata adult headers: 4–8 items)."""

MIN_SPAM_TERMS = 3
"""Distinct spam terms that make a sentence-free line an adult-keyword line (realdata headers: 4–12; clean pages: 0)."""

MAX_TAIL_CHARS = 2_000
"""Only the last 2,000 characters of a line are searched for a glued place-name tail: the work per line stays linear
(a tail in realdata is under 300 characters; 40 names with separators are about 200)."""

MAX_ANCHOR_CHARS = 16
"""Longest inline link anchor (realdata rc-069: 4–9 characters); longer lines between commas are layout wraps."""

SPAM_TERMS: tuple[str, ...] = (
    "一区二区", "二区三区", "无码", "無碼", "有码", "人妻", "熟女", "少妇", "少婦", "毛片", "超碰", "偷拍", "自拍",
    "波多野", "黄色网", "黃色網", "色片", "成人", "av", "AV", "久久", "精品", "国产", "國產", "亚洲", "亞洲", "欧美",
    "歐美", "日韩", "日韓", "激情", "色情", "午夜", "福利", "在线观看", "在线", "免费", "视频", "这里只有精品",
    "91", "99re", "天堂", "美女", "性视频", "黄色", "中文字幕",
)  # fmt: skip
"""Search terms of adult link farms (the headers and tails in realdata).  Many are ordinary words on their own
(精品, 在线, 免费); only lines holding :data:`MIN_SPAM_TERMS` distinct ones and no sentence are acted on."""

_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_HAN_WORD_RE = re.compile(f"^[{_HAN}]{{2,10}}$")
_SEP_RE = re.compile(r"\s*[|｜_]\s*|\s*[,，]\s*|\s+")
_SALAD_SEP_RE = re.compile(r"\s*[|｜_]\s*")
_BAR_RE = re.compile(r"[|｜_]")
_COMMA_RE = re.compile(r"[,，]")
_SENTENCE_RE = re.compile(r"[。！？!?；;]")
_SPAM_RE = re.compile("|".join(sorted(map(re.escape, SPAM_TERMS), key=len, reverse=True)))
# A place-name list at the end of a line: 5+ Han words each followed by a separator (the forensics regex, widened to
# the other separators seen in realdata).
_TAIL_RE = re.compile(f"(?:[{_HAN}]{{2,10}}\\s*[|｜_]\\s*){{{MIN_LIST_ITEMS - 1},}}[{_HAN}]{{2,10}}\\s*[|｜_]?\\s*$")
_PROSE_RE = re.compile(r"[，。！？；,;!?]")


class Gazetteer:
    """Place names for the toponym rules; build once per worker with :meth:`load` (about 0.3 s) and pass it in."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if 2 <= len(n) <= 12)
        """Known place names (jieba ``ns`` words and their short forms)."""

    @classmethod
    def load(cls) -> Gazetteer:
        """The ``ns`` words of jieba's bundled dictionary plus the short forms of its autonomous-division names."""
        import jieba

        path = jieba.get_dict_file()
        names: set[str] = set()
        try:
            for raw in path:
                parts = raw.decode("utf-8").split()
                if len(parts) == 3 and parts[2] == "ns":
                    names.add(parts[0])
        finally:
            path.close()
        return cls.from_names(names)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> Gazetteer:
        """A gazetteer from a list of names (tests, custom lists); short forms are added as in :meth:`load`.

        >>> "松桃" in Gazetteer.from_names(["松桃苗族自治县"]).names
        True
        """
        out = set(names)
        for n in list(out):
            if "自治" in n and len(n) > 4:  # 松桃苗族自治县 → 松桃; pages truncate these long names
                out.add(n[:2])
        return cls(out)

    def is_place(self, word: str) -> bool:
        """True for a known place name or a 2–6 character Han word ending in an administrative suffix.

        >>> gaz = Gazetteer.from_names(["秀山"])
        >>> gaz.is_place("秀山"), gaz.is_place("巨野县"), gaz.is_place("经济"), gaz.is_place("县")
        (True, True, False, False)
        """
        if word in self.names:
            return True
        return 2 <= len(word) <= 6 and word[-1] in ADMIN_SUFFIXES and _HAN_WORD_RE.match(word) is not None


@dataclass(frozen=True, slots=True)
class SeoFinding:
    """One SEO span ``text[start:end]`` found by ``rule``; ``items`` is the number of names or keywords in it."""

    rule: str
    start: int
    end: int
    text: str
    items: int


def find_seo_spam(text: str, *, gazetteer: Gazetteer) -> tuple[SeoFinding, ...]:
    """Every SEO span in ``text``, in text order (spans include the line break they end with).

    >>> gaz = Gazetteer.from_names([])
    >>> page = "国产精品_亚洲无码_人妻熟女_在线观看\\n正文,这里是文章的正文内容,很长很长。"
    >>> [f.rule for f in find_seo_spam(page, gazetteer=gaz)]
    ['seo.keyword_salad']
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    lines = _lines(text)
    prose = [i for i, (_, _, s) in enumerate(lines) if _is_prose(s.strip())]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    out: list[SeoFinding] = []
    for i, (start, end, raw) in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        f = _toponym_line(text, start, end, raw, gazetteer, after=i > last)
        if f is None:
            f = _salad_line(text, start, end, s, outside=i < first or i > last)
        if f is None and len(s) <= MAX_ANCHOR_CHARS:
            f = _anchor_line(text, lines, i)
        if f is not None:
            out.append(f)
    return tuple(out)


def strip_seo_spam_explained(text: str, *, gazetteer: Gazetteer) -> Explained:
    """Remove the spans :func:`find_seo_spam` finds; every removal is an edit named by its rule.

    >>> gaz = Gazetteer.from_names([])
    >>> ex = strip_seo_spam_explained("孔庙位于曲阜,\\n全省飘霧眉\\n,是重要的文化遗产。", gazetteer=gaz)
    >>> ex.text, [e.rule for e in ex.edits]
    ('孔庙位于曲阜,是重要的文化遗产。', ['seo.inline_anchor'])
    >>> s = "北京、上海、广州、深圳和杭州五座城市的代表出席了会议,并发表了讲话。"
    >>> strip_seo_spam_explained(s, gazetteer=Gazetteer.from_names(["北京", "上海", "广州", "深圳", "杭州"])).edits
    ()
    """
    found = find_seo_spam(text, gazetteer=gazetteer)
    return rewrite(text, [Edit(f.rule, f.start, f.end, f.text, "") for f in found])


def strip_seo_spam(text: str, *, gazetteer: Gazetteer) -> str:
    """Plain twin of :func:`strip_seo_spam_explained`; returns ``text`` itself when nothing is removed."""
    ex = strip_seo_spam_explained(text, gazetteer=gazetteer)
    return ex.text if ex.edits else text


def score_toponym_share(text: str, *, gazetteer: Gazetteer) -> float:
    """Share of the non-space characters of ``text`` that lie in place-name lists: 0.0 = none, 1.0 = all.

    A page that is mostly such lists is a doorway page (verdict ``spam:toponym_dominated``).

    >>> score_toponym_share("青川县| 蓝田县| 攸县| 会宁县| 巫溪县|", gazetteer=Gazetteer.from_names([]))
    1.0
    """
    total = sum(1 for c in text if not c.isspace())
    if not total:
        return 0.0
    spans = [f for f in find_seo_spam(text, gazetteer=gazetteer) if f.rule.startswith("seo.toponym")]
    return min(1.0, sum(sum(1 for c in f.text if not c.isspace()) for f in spans) / total)


# -- internals --------------------------------------------------------------------------------------------------------
def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        out.append((pos, min(end + 1, len(text)), raw))
        pos = end + 1
    return out


def _is_prose(s: str) -> bool:
    if len(s) < PROSE_MIN_CHARS:
        return False
    if "。" in s:  # a full stop: a sentence (spam headers never hold one), no need for the term scan
        return True
    return _PROSE_RE.search(s) is not None and _SPAM_RE.search(s) is None


def _toponym_line(text: str, start: int, end: int, raw: str, gaz: Gazetteer, *, after: bool) -> SeoFinding | None:
    bars = len(_BAR_RE.findall(raw))
    if bars + len(_COMMA_RE.findall(raw)) < MIN_LIST_ITEMS - 1:  # cheap test first: a list needs its separators
        return None
    rule = "seo.toponym_tail" if after else "seo.toponym_block"
    items = [w for w in _SEP_RE.split(raw.strip()) if w] if "。" not in raw else []
    if len(items) >= MIN_LIST_ITEMS and all(_HAN_WORD_RE.match(w) for w in items):
        places = sum(1 for w in items if gaz.is_place(w))
        # bar-joined lists are the spam form; a comma-joined list must be twice as long (a short one can be a
        # genuine enumeration on a line of its own)
        enough = len(items) >= (MIN_LIST_ITEMS if bars else 2 * MIN_LIST_ITEMS)
        if enough and places >= MIN_PLACE_SHARE * len(items):
            return SeoFinding(rule, start, end, text[start:end], len(items))
    # a list glued to the end of a body line
    m = _TAIL_RE.search(raw, max(0, len(raw) - MAX_TAIL_CHARS)) if bars >= MIN_LIST_ITEMS - 1 else None
    if m and m.start() > 0:
        tail = [w for w in _SALAD_SEP_RE.split(m.group().strip()) if w]
        if len(tail) >= MIN_LIST_ITEMS and sum(1 for w in tail if gaz.is_place(w)) >= MIN_PLACE_SHARE * len(tail):
            a, b = start + m.start(), start + m.end()
            return SeoFinding("seo.toponym_tail", a, b, text[a:b], len(tail))
    return None


def _salad_line(text: str, start: int, end: int, s: str, *, outside: bool) -> SeoFinding | None:
    if _SENTENCE_RE.search(s.rstrip("?？ ")):  # a trailing '?' is often a lost character, not a question
        return None
    terms = set(_SPAM_RE.findall(s))
    items = [w for w in _SALAD_SEP_RE.split(s) if w]
    salad = len(items) >= MIN_SALAD_ITEMS and all(len(w) <= 30 for w in items)
    if salad and (len(terms) >= 2 or (outside and _looks_like_keywords(items))):
        return SeoFinding("seo.keyword_salad", start, end, text[start:end], len(items))
    if len(terms) >= MIN_SPAM_TERMS and len(s) <= 300:
        return SeoFinding("seo.adult_keywords", start, end, text[start:end], len(terms))
    return None


def _looks_like_keywords(items: list[str]) -> bool:
    """Short items with no punctuation at all: search keywords, not a title with a site name (``标题_网站名``)."""
    return len(items) >= 6 and all(len(w) <= 12 and not _PROSE_RE.search(w) for w in items)


def _anchor_line(text: str, lines: list[tuple[int, int, str]], i: int) -> SeoFinding | None:
    if i == 0 or i + 1 >= len(lines):
        return None
    start, end, raw = lines[i]
    s = raw.strip()
    if not (2 <= len(s) <= MAX_ANCHOR_CHARS) or _PROSE_RE.search(s) or not re.search(f"[{_HAN}]", s):
        return None
    prev, nxt = lines[i - 1][2].rstrip(), lines[i + 1][2].lstrip()
    if not prev.endswith((",", "，", "、")) or not nxt.startswith((",", "，", "。", "、")):
        return None
    # Remove the line break before the anchor, the anchor, the break after it and the repeated comma, so the two
    # halves of the sentence meet again.
    a = start - 1
    b = end + (1 if lines[i + 1][2][:1] in ",，、" and prev[-1:] in ",，、" else 0)
    return SeoFinding("seo.inline_anchor", a, b, text[a:b], 1)
