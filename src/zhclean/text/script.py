"""Machine Simplified→Traditional conversion: tell it from genuine Traditional
text, and undo it.

Spam mirrors run mainland (Simplified) pages through a character-level 1:1 table
before republishing them. That table has no phrase dictionary, so it leaves the
one-to-many characters alone: 干 于 余 后 里 系 并 扎 范 征 斗 涂 愿 … stay as they are
inside otherwise Traditional text (``關系``, ``先后``, ``家里``, ``并且``, ``對于``,
``100余位``). Genuine Taiwan / Hong Kong text, and phrase-aware official editions
(a government site's own Big5 edition, a Taiwan page that went T→S→T), resolve
them (關係, 先後, 家裡, 並且, 對於) instead. The count of such *leftovers* against the
count of *resolved* one-to-many characters is the main signal; the table also
writes a character's first candidate where the phrase needs another (製造 as 制造,
複雜 as 復雜, 分鐘 as 分鍾: *table errors*, found with OpenCC's phrase-aware
conversion of the text's own Simplified form), which counts like a leftover.
Injected pinyin (the spam injector only runs on machine-converted pages) settles a
document outright. Taiwan / Hong Kong vocabulary, ``「」`` quotes and 台 written as
台 weigh for genuine text; mainland vocabulary in Traditional script (信息, 軟件,
視頻, 網絡) weighs a little for machine conversion, never on its own (official Big5
editions of mainland sites use it too). It decides only between the two sources of
a page in OpenCC's own forms (爲 衆): a mirror running OpenCC over a mainland page
(mainland words that OpenCC's Taiwan phrase table would write otherwise) or a T→S→T
round trip of a Taiwan original (Taiwan words).

Only text judged machine-converted is turned back into Simplified (OpenCC
``t2s``, phrase-aware). Genuine Traditional is left alone unless the caller asks
for ``convert_all``.

Examples:
    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> detect_machine_s2t("兩岸關系和平發展,并將于明年舉行,先后有100余位代表出席。", lexicon=lex).label
    'machine_traditional'
    >>> detect_machine_s2t("兩岸關係和平發展,並將於明年舉行,先後有百餘位代表出席。", lexicon=lex).label
    'genuine_traditional'
    >>> undo_machine_s2t("兩岸關系和平發展,并將于明年舉行。", lexicon=lex)
    '两岸关系和平发展,并将于明年举行。'
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from zhclean.text.edits import Edit, Explained, _make_explained, _make_run_edits, rewrite_spans
from zhclean.text.lexicon import Lexicon, char_class
from zhclean.text.pinyin import detect_pinyin_injection

# One-to-many characters a 1:1 S→T table leaves unconverted, with the words in which genuine Traditional text
# keeps them too (those occurrences are not counted).  Calibrated on shared/realdata (2026-11): with these
# exceptions the genuine Traditional pages of clean.jsonl have at most 1 leftover (埔里鎮; the Classical text has two,
# 臣松之 and 還于舊, and 60+ resolved characters), and every machine-converted page without injected pinyin has >= 1.
LEFTOVER_EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "后": ("皇后", "王后", "太后", "后里", "后土", "后羿", "母后", "影后", "天后", "歌后", "后冠", "后稷"),
    "并": ("并州",),
    "于": (),
    "余": (),
    "里": (
        "公里",
        "鄰里",
        "里長",
        "里民",
        "村里",
        "英里",
        "海里",
        "千里",
        "萬里",
        "里程",
        "里約",
        "故里",
        "鄉里",
        "華里",
        "里拉",
        "埔里",
        "鄰里",
    ),
    "干": ("干擾", "若干", "干涉", "干預", "相干", "干戈", "干支", "天干", "干犯", "干城"),
    "系": (
        "系統",
        "系列",
        "體系",
        "科系",
        "系所",
        "系主任",
        "派系",
        "星系",
        "語系",
        "水系",
        "直系",
        "旁系",
        "譜系",
        "系譜",
        "母系",
        "父系",
        "銀河系",
        "太陽系",
        "系數",
        "中文系",
        "學系",
        "系上",
    ),
    "范": (),
    "松": ("松樹", "松鼠", "松山", "松柏", "松江", "松花", "青松", "松下", "松本", "赤松", "松茸", "松之"),
    "扎": ("掙扎", "扎針"),
    "征": ("征戰", "征服", "出征", "長征", "征途", "遠征", "征伐", "征討", "征召"),
    "斗": ("北斗", "斗笠", "斗篷", "漏斗", "熨斗", "斗室", "星斗", "泰斗", "筋斗", "斗膽"),
    "涂": (),
    "愿": (),
    "丑": ("小丑", "丑角", "子丑", "丑時"),
    "咸": ("咸豐", "咸陽", "咸宜"),
}
# Characters that exist only where a converter (or a writer of Traditional) resolved a one-to-many character: a 1:1
# table never produces them from Simplified input.  範 徵 衝 醜 鹹 are not among them: they are OpenCC's first
# candidates for 范 征 冲 丑 咸, which the mirrors' tables write everywhere (in the gate's 2,000 simulated mirror pages
# they were half of all "resolved" characters; in the restore benchmark they alone kept 5 of its 60 sitelike table
# conversions genuine).
RESOLVED_CHARS = frozenset("於後裡裏並餘幹乾紮鬆鬥塗願")
# The other trace of a 1:1 table: a character's first candidate written where a phrase-aware conversion picks
# another one (製造 written 制造, 複雜 復雜, 分鐘 分鍾, 收穫 收獲).  Which one is right in context is OpenCC's
# phrase-aware ``s2t`` of the text's own ``t2s`` form; a position counts when the text has the key and that
# conversion one of the values.  Kept to pairs where Taiwan and Hong Kong writers use the value alone: pairs both of
# whose forms are current (了/瞭解, 宣布/佈, 計畫/劃, 周/週, 注/註冊, 借/藉助, 盡/儘量, 匯/彙報, 簽/籤, 鑒/鑑, 伙/夥,
# 杰/傑 in names, 發/髮 where OpenCC's phrases misfire) are left out.  Calibrated on shared/realdata and the own
# Taiwan texts (2026-11): the genuine Traditional pages have none of these, the T→S→T round trips one (收獲);
# the sitelike table conversions of the restore benchmark have 0-3 each (17 of 60 have some), the gate's simulated
# mirror pages 0-5.
TABLE_ERRORS: dict[str, str] = {
    "復": "複",
    "制": "製",
    "鍾": "鐘",
    "獲": "穫",
    "志": "誌",
    "愈": "癒",
    "胡": "鬍",
    "歷": "曆",
    "準": "准",
    "採": "采",
    "面": "麵麪",
    "只": "隻",
    "卷": "捲",
    "表": "錶",
    "遊": "游",
    "谷": "穀",
    "幾": "几",
    "鬱": "郁",
    "範": "范",
    "徵": "征",
    "衝": "沖",
    "醜": "丑",
    "鹹": "咸",
    "臺": "颱",
    "雲": "云",
    "佔": "占",
    "托": "託",
    "辟": "闢",
}
# Vocabulary: mainland terms in Traditional script, and Taiwan / Hong Kong terms (including Cantonese particles).
MAINLAND_TERMS = (
    "信息",
    "軟件",
    "視頻",
    "項目",
    "質量",
    "網絡",
    "互聯網",
    "數據",
    "鼠標",
    "服務器",
    "短信",
    "出租車",
    "博客",
    "鏈接",
    "默認",
    "菜單",
    "屏幕",
    "硬件",
    "計算機",
    "人工智能",
    "點贊",
    "扎實",
    "復雜",
)
GENUINE_TERMS = (
    "資訊",
    "軟體",
    "影片",
    "專案",
    "網路",
    "程式",
    "滑鼠",
    "列印",
    "伺服器",
    "簡訊",
    "計程車",
    "部落格",
    "連結",
    "預設",
    "品質",
    "透過",
    "甚麼",
    "嘅",
    "唔",
    "咗",
    "喺",
    "冇",
    "嗰",
    "佢",
    "捷運",
    "陸委會",
    "立委",
    "行政院",
)
# OpenCC's orthodox variants (爲 衆 啓 …) mark a T→S→T round trip of a Traditional original through a phrase-aware
# converter, so they count only beside a resolved character: a 1:1 table built on OpenCC's first candidates writes
# them too (爲促進, 羣衆), and then leaves 并 后 于 … alone instead of resolving them.
ROUND_TRIP_CHARS = frozenset("爲衆啓峯綫僞")
# Of those, the ones only OpenCC's ``s2t`` writes: Taiwan (``s2tw``) and Hong Kong (``s2hk``) forms are 為 眾 偽, and
# no page of shared/realdata outside the T→S→T round trips has them.  With them a page went through OpenCC; whether it
# came from a Traditional original (a round trip: Taiwan vocabulary) or from a mainland page (a mirror running
# OpenCC: mainland vocabulary) is left to the vocabulary (see MIN_TW_PHRASES).
OPENCC_ONLY_CHARS = frozenset("爲衆僞")

# Decision.  machine when pinyin was injected, or when traces (leftovers + table errors) >= 1 and
#   traces + MAINLAND_TERM_WEIGHT * mainland terms >= RESOLVED_WEIGHT * resolved + 1 + genuine signals,
# or by the vocabulary rule below.  (The figures that follow were measured with leftovers alone, before table errors
# and the vocabulary rule; with them the real-page figures are unchanged.)
# Calibrated on shared/realdata (2026-11): the 26 clean.jsonl pages with Traditional text (Taiwan, Hong Kong, Macau,
# Cantonese, Classical, official Big5 editions, a mixed forum thread) and the Traditional originals of pairs.jsonl
# come out genuine, and so do the 5 T→S→T round trips of Taiwan originals in damaged.jsonl; 53 of the 59 damaged
# pages labelled s2t_conversion, and all 14 corrupted copies in pairs.jsonl, come out machine.  The 6 others: five
# are big5.* gateway pages of the publisher itself (phrase-aware: 紮實, 彙報, 發佈), the same kind of page as the
# official editions clean.jsonl requires untouched; one is an aggregator copy with no leftover, no resolved
# character and no pinyin at all (it also rewrote “” to 「」), which nothing here can tell from Taiwan text.
RESOLVED_WEIGHT = 2.0
MAINLAND_TERM_WEIGHT = 0.5
# A page written with OPENCC_ONLY_CHARS went through OpenCC's s2t; its vocabulary tells a mirror running OpenCC over
# a mainland page from a T→S→T round trip of a Taiwan original: machine when it has a mainland term of MAINLAND_TERMS
# and at least MIN_TW_PHRASES words that OpenCC's Taiwan phrase table (``s2twp`` against ``s2tw`` of the text's
# ``t2s`` form) writes otherwise, and no Taiwan / Hong Kong word, 「」 quotes or 台.  Calibrated (2026-11): the
# round trips of shared/realdata have no mainland term and at most 1 such word; the simulator's OpenCC-converted
# mirror page without leftovers has 9.  Vocabulary never decides a page without these forms: a 1:1 conversion with
# no one-to-many character in it is the very text a phrase-aware official edition of the same page would be (in
# windows of 1-5 lines of shared/realdata's official Big5 editions, a vocabulary rule for such pages fired six times).
MIN_TW_PHRASES = 3
# A line is Traditional when it has >= 2 Traditional-only characters and at least twice as many as pure Simplified
# ones, Simplified in the mirror case; other lines join the segment before them.
MIN_SCRIPT_CHARS_PER_LINE = 2
# Japanese: kana are >= 10 % of the letters (shinjitai kanji look like Simplified or Traditional characters).
MIN_KANA_SHARE = 0.10

_KANA_RE = re.compile(r"[\u3040-\u30ff]")


@dataclass(frozen=True, slots=True)
class ScriptSegment:
    """A run of lines in one script.

    Attributes:
        start: start offset in the text.
        end: end offset (exclusive).
        label: 'simplified' | 'machine_traditional' | 'genuine_traditional' | 'none'.
    """

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class ScriptVerdict:
    """Per-document verdict on the script of a text.

    Attributes:
        label: 'simplified' | 'machine_traditional' | 'genuine_traditional' | 'mixed' | 'none' ('mixed': segments of
            different labels, e.g. a machine-converted body with a Simplified SEO tail; 'none': no Chinese script
            signal, or Japanese).
        score: in [0, 1], higher = the Traditional part is more likely a machine conversion (0.5 is the boundary;
            0 when there is no Traditional text).
        evidence: counts and examples behind the decision, for reports.
        segments: the segments, in order, covering the whole text.
    """

    label: str
    score: float
    evidence: dict[str, object]
    segments: tuple[ScriptSegment, ...]

    @property
    def has_machine_traditional(self) -> bool:
        """True when some segment is judged machine-converted."""
        return any(s.label == "machine_traditional" for s in self.segments)


def _pure_simplified(lexicon: Lexicon, ch: str) -> bool:
    return ch in lexicon.simplified_only and ch not in LEFTOVER_EXCEPTIONS and ch != "台"


def _script_res(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    pure = char_class({c for c in lexicon.simplified_only if _pure_simplified(lexicon, c)})
    return re.compile(f"[{lexicon.traditional_only_class()}]"), re.compile(f"[{pure}]")


# The characters str.splitlines splits at.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _dense_line_res(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns finding MIN_SCRIPT_CHARS_PER_LINE Traditional-only (pure Simplified) characters on one line."""
    pure = char_class({c for c in lexicon.simplified_only if _pure_simplified(lexicon, c)})
    breaks = re.escape(_LINE_BREAKS)

    def compile_dense(chars: str) -> re.Pattern[str]:
        return re.compile(f"[{chars}]" + f"(?:[^{chars}{breaks}]*[{chars}])" * max(0, MIN_SCRIPT_CHARS_PER_LINE - 1))

    return compile_dense(lexicon.traditional_only_class()), compile_dense(pure)


# Resolved characters and round-trip variants (the OpenCC-only ones among them): rare, so found in one pass and told
# apart in the short list of matches (a pass over the text per kind cost ~5 % of the verdict on the real pages).
_MARKS_RE = re.compile("[" + "".join(sorted(RESOLVED_CHARS | ROUND_TRIP_CHARS | OPENCC_ONLY_CHARS)) + "]")
_TABLE_ERROR_RE = re.compile("[" + "".join(sorted(TABLE_ERRORS)) + "]")


def _build_leftover_pattern() -> str:
    """One alternative per leftover character: the character not covered by an occurrence of one of its exceptions."""
    alternatives = []
    for ch, words in sorted(LEFTOVER_EXCEPTIONS.items()):
        # matched just after ``ch``: an exception word covers it when the word's part up to and including this
        # ``ch`` lies behind and the rest ahead (one lookaround pair per place of ``ch`` in the word)
        covers = []
        for word in dict.fromkeys(words):
            for j, c in enumerate(word):
                if c == ch:
                    behind = f"(?<={re.escape(word[: j + 1])})" if j else ""
                    ahead = f"(?={re.escape(word[j + 1 :])})" if word[j + 1 :] else ""
                    covers.append(behind + ahead)
        alternatives.append(re.escape(ch) + (f"(?!{'|'.join(covers)})" if covers else ""))
    # literals first in every alternative, so the engine skips ahead to the leftover characters
    return "|".join(alternatives)


# The leftovers that count (those no occurrence of one of their exception words covers), found in one pass by the
# regex engine rather than by a Python test of the words around each leftover character.
_LEFTOVER_COUNTED_RE = re.compile(_build_leftover_pattern())


def _count_leftovers(text: str) -> tuple[int, list[str]]:
    n = 0
    examples: list[str] = []
    for m in _LEFTOVER_COUNTED_RE.finditer(text):
        n += 1
        if len(examples) < 8:
            i = m.start()
            examples.append(text[max(0, i - 1) : i + 2])
    return n, examples


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _count_table_errors(text: str, lexicon: Lexicon) -> tuple[int, list[str]]:
    """Positions where ``text`` has a :data:`TABLE_ERRORS` key and a phrase-aware conversion one of its values."""
    n = 0
    examples: list[str] = []
    if not _TABLE_ERROR_RE.search(text):
        return n, examples
    # one conversion of the whole text when it keeps the positions (the usual case); else line by line
    pieces = [text] if not _SURROGATE_RE.search(text) else text.splitlines()
    for piece in pieces:
        if _SURROGATE_RE.search(piece):  # OpenCC rejects lone surrogates
            continue
        ref = lexicon.s2t(lexicon.t2s(piece))
        if len(ref) != len(piece):  # a phrase rule changed the length: positions no longer line up
            if len(pieces) == 1:
                pieces.extend(piece.splitlines())
            continue
        for m in _TABLE_ERROR_RE.finditer(piece):
            i = m.start()
            if ref[i] in TABLE_ERRORS[m.group()]:
                n += 1
                if len(examples) < 8:
                    examples.append(piece[max(0, i - 1) : i + 2])
    return n, examples


def _tw_converters(lexicon: Lexicon) -> tuple[object, object]:
    import opencc

    return opencc.OpenCC("s2tw").convert, opencc.OpenCC("s2twp").convert


def _count_tw_phrases(text: str, lexicon: Lexicon) -> int:
    """Words of ``text`` that OpenCC's Taiwan phrase table writes otherwise (runs where s2twp and s2tw differ)."""
    s2tw, s2twp = lexicon.derived("script.tw_converters", _tw_converters)
    n = 0
    for line in text.splitlines():
        if _SURROGATE_RE.search(line):
            continue
        simplified = lexicon.t2s(line)
        a, b = s2tw(simplified), s2twp(simplified)
        if a == b:
            continue
        if len(a) == len(b):
            n += len(_changed_runs(a, b))
        else:
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            n += sum(1 for op in sm.get_opcodes() if op[0] != "equal")
    return n


def _has_matches(
    search: Callable[[str, int, int], re.Match[str] | None], text: str, pos: int, end: int, k: int
) -> bool:
    """True when ``search`` (a compiled pattern's) finds at least ``k`` successive matches in ``text[pos:end]``."""
    for _ in range(k):
        m = search(text, pos, end)
        if m is None:
            return False
        pos = m.end()
    return True


# Every vocabulary term, one pattern: a term's occurrence overlapping another's match is not reported by the scan,
# so _find_terms tests every term at each position inside a match.
_TERM_RE = re.compile("|".join(re.escape(w) for w in (*MAINLAND_TERMS, *GENUINE_TERMS)))
_TERMS_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(w for w in (*MAINLAND_TERMS, *GENUINE_TERMS) if w[0] == first)
    for first in {w[0] for w in (*MAINLAND_TERMS, *GENUINE_TERMS)}
}


def _find_terms(text: str) -> frozenset[str]:
    """The terms of MAINLAND_TERMS and GENUINE_TERMS that occur in ``text`` (``{w for w in terms if w in text}``).

    One scan instead of one per term.  Exact: an occurrence starting at ``k`` starts inside a match the scan returns
    (where every term is tested), or at or after its end, where the next search starts and finds a match at or
    before ``k``.
    """
    found: set[str] = set()
    pos = 0
    while (m := _TERM_RE.search(text, pos)) is not None:
        start, pos = m.span()
        for k in range(start, pos):
            found.update(w for w in _TERMS_BY_FIRST.get(text[k], ()) if text.startswith(w, k))
    return frozenset(found)


def _split_segments(text: str, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """Lines grouped into runs of one script ('T', 'S'); neutral lines join the run before (or after) them."""
    trad_re, simp_re = lexicon.derived("script.line_res", _script_res)
    dense_trad_re, dense_simp_re = lexicon.derived("script.dense_line_res", _dense_line_res)
    if text and (trad_re.search(text) is None or simp_re.search(text) is None):
        # Only one kind of script character: every line is 'N' or that script, and lines like that fold into one
        # run over the whole text (neutral lines join the run before them, or take the script of the one after).
        if dense_trad_re.search(text) is not None:
            return [(0, len(text), "T")]
        if dense_simp_re.search(text) is not None:
            return [(0, len(text), "S")]
        return [(0, len(text), "N")]
    # A line is 'T' when it has >= MIN_SCRIPT_CHARS_PER_LINE Traditional-only characters and at least twice as many
    # as pure Simplified ones ('S' the other way round).  Only the lines with a pure Simplified character are judged
    # one by one.  The lines between two of them are 'T' or 'N', and from the first 'T' one on they all join its run,
    # so one search of the dense pattern settles them.  (On the real damaged pages with both scripts, 107 of 628
    # lines have a pure Simplified character; judging every line cost ~2 µs a line, a third of the verdict's time
    # outside OpenCC.)
    ends = list(accumulate(map(len, text.splitlines(keepends=True))))
    trad_search, simp_search, dense_trad_search = trad_re.search, simp_re.search, dense_trad_re.search
    runs: list[list] = []
    pos = 0
    while True:
        m = simp_search(text, pos)
        line = len(ends) if m is None else bisect_right(ends, m.start())  # the next line with one (or past the end)
        start = ends[line - 1] if line else 0
        if pos < start:  # lines without a pure Simplified character
            dense = dense_trad_search(text, pos, start)
            first = start if dense is None else _line_start(ends, dense.start())
            if pos < first:
                _extend_script_runs(runs, pos, first, "N")
            if first < start:
                _extend_script_runs(runs, first, start, "T")
        if m is None:
            return [(a, b, c) for a, b, c in runs]
        end = ends[line]
        _extend_script_runs(runs, start, end, _label_simplified_line(trad_search, simp_re, text, start, end))
        pos = end


def _line_start(ends: list[int], i: int) -> int:
    """Start of the line holding offset ``i``, given the lines' end offsets."""
    k = bisect_right(ends, i)
    return ends[k - 1] if k else 0


def _label_simplified_line(
    trad_search: Callable[[str, int, int], re.Match[str] | None],
    simp_re: re.Pattern[str],
    text: str,
    start: int,
    end: int,
) -> str:
    """:func:`_label_line_counts` of the line ``text[start:end]``, which has a pure Simplified character: those are
    counted (few), the Traditional-only ones only up to the thresholds the rule compares them with."""
    simp = len(simp_re.findall(text, start, end))
    if _has_matches(trad_search, text, start, end, max(MIN_SCRIPT_CHARS_PER_LINE, 2 * simp)):
        return "T"
    if simp >= MIN_SCRIPT_CHARS_PER_LINE and not _has_matches(trad_search, text, start, end, simp // 2 + 1):
        return "S"
    return "N"


def _label_line_counts(trad: int, simp: int) -> str:
    """A line's script from its Traditional-only and pure Simplified character counts: 'T', 'S' or 'N' (neither)."""
    if trad >= MIN_SCRIPT_CHARS_PER_LINE and trad >= 2 * simp:
        return "T"
    if simp >= MIN_SCRIPT_CHARS_PER_LINE and simp >= 2 * trad:
        return "S"
    return "N"


def _extend_script_runs(runs: list[list], start: int, end: int, script: str) -> None:
    """Add the line ``[start, end)`` of ``script`` to ``runs`` (``[start, end, script]`` lists, in order): a neutral
    line joins the run before it, and a neutral run takes the script of the line after it."""
    if runs and (script == "N" or runs[-1][2] == script):
        runs[-1][1] = end
    elif runs and runs[-1][2] == "N":
        runs[-1][1], runs[-1][2] = end, script
    else:
        runs.append([start, end, script])


def detect_machine_s2t(text: str, *, lexicon: Lexicon, pinyin_injected: bool | None = None) -> ScriptVerdict:
    """Decide whether the Traditional text in ``text`` is a machine conversion of mainland Simplified text.

    Args:
        text: any string.
        lexicon: the script tables.
        pinyin_injected: whether a pinyin injector ran over the document, when the caller already knows (the restore
            pipeline judges it before stripping the annotations); ``None`` = detect it here.

    Returns:
        The verdict, with one segment per run of lines in one script.

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> v = detect_machine_s2t("台灣的資訊軟體產業,透過網路「發展」。", lexicon=lex)
    >>> v.label, v.score < 0.5
    ('genuine_traditional', True)
    >>> detect_machine_s2t("这是简体中文。", lexicon=lex).label
    'simplified'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first")
    runs = _split_segments(text, lexicon)
    kana = len(_KANA_RE.findall(text))
    letters = (sum(1 for ch in text if ch.isalpha()) if kana else 0) or 1
    if kana / letters >= MIN_KANA_SHARE or not any(s in ("T", "S") for _, _, s in runs):
        label = "none"
        segs = (ScriptSegment(0, len(text), "none"),) if text else ()
        return ScriptVerdict(label, 0.0, {"kana": kana}, segs)
    trad_text = "".join(text[a:b] for a, b, s in runs if s == "T")
    evidence: dict[str, object] = {}
    score = 0.0
    machine = False
    if trad_text:
        if pinyin_injected is None:
            pinyin_injected = detect_pinyin_injection(text, lexicon=lexicon).injected
        leftovers, examples = _count_leftovers(trad_text)
        marks = _MARKS_RE.findall(trad_text)
        resolved = sum(ch in RESOLVED_CHARS for ch in marks)
        found = _find_terms(trad_text)
        mainland = [w for w in MAINLAND_TERMS if w in found]
        genuine = [w for w in GENUINE_TERMS if w in found]
        quotes = trad_text.count("「")
        tai = trad_text.count("台")
        round_trip = sum(ch in ROUND_TRIP_CHARS for ch in marks)
        genuine_signals = len(genuine) + (quotes >= 2) + (tai >= 1) + (round_trip >= 1 and resolved >= 1)
        regional = bool(genuine) or quotes >= 2 or tai >= 1
        m = leftovers + MAINLAND_TERM_WEIGHT * len(mainland)
        g = RESOLVED_WEIGHT * resolved + 1 + genuine_signals
        # Table errors cost two OpenCC conversions: counted only when the verdict can depend on them.  They only add
        # to the machine side, so not when pinyin or the leftovers already make the page machine, nor when even
        # every candidate character being one could not (the candidates are counted only when that is the question).
        has_candidates = _TABLE_ERROR_RE.search(trad_text) is not None
        counted = (
            has_candidates
            and not pinyin_injected
            and not (leftovers >= 1 and m >= g)
            and m + len(_TABLE_ERROR_RE.findall(trad_text)) >= g
        )
        table_errors, error_examples = _count_table_errors(trad_text, lexicon) if counted else (0, [])
        traces = leftovers + table_errors
        m += table_errors
        # OpenCC's own forms: a round trip or a mirror running OpenCC, which the vocabulary tells apart
        opencc_only = sum(ch in OPENCC_ONLY_CHARS for ch in marks) if round_trip else 0
        vocabulary_decides = bool(mainland) and not regional and opencc_only >= 1
        tw_phrases = _count_tw_phrases(trad_text, lexicon) if vocabulary_decides and not pinyin_injected else 0
        machine = (
            bool(pinyin_injected) or (traces >= 1 and m >= g) or (vocabulary_decides and tw_phrases >= MIN_TW_PHRASES)
        )
        score = 1.0 if pinyin_injected else m / (m + g)
        if machine and score < 0.5:
            score = 0.5
        elif not machine and score >= 0.5:
            score = 0.4999
        evidence = {
            "pinyin_injected": bool(pinyin_injected),
            "leftovers": leftovers,
            "leftover_examples": examples,
            "table_errors": table_errors if counted or not has_candidates else None,
            "table_error_examples": error_examples,
            "resolved": resolved,
            "mainland_terms": mainland,
            "genuine_terms": genuine,
            "corner_quotes": quotes,
            "tai": tai,
            "round_trip_variants": round_trip,
            "opencc_only_variants": opencc_only,
            "tw_phrases": tw_phrases,
        }
    trad_label = "machine_traditional" if machine else "genuine_traditional"
    segs = tuple(
        ScriptSegment(a, b, trad_label if s == "T" else "simplified" if s == "S" else "none") for a, b, s in runs
    )
    labels = {s.label for s in segs} - {"none"}
    label = labels.pop() if len(labels) == 1 else "mixed"
    return ScriptVerdict(label, round(score, 4), evidence, segs)


_S2T_RULE = "s2t.machine_conversion"


def _diff_spans(before: str, after: str, offset: int) -> list[tuple[int, int, str, str, str]]:
    """One edit per maximal run of changed characters, as :func:`~zhclean.text.edits.rewrite_spans` items."""
    spans: list[tuple[int, int, str, str, str]] = []
    if len(before) == len(after):
        for i, j in _changed_runs(before, after):
            spans.append((offset + i, offset + j, before[i:j], after[i:j], _S2T_RULE))
        return spans
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            spans.append((offset + i1, offset + i2, before[i1:i2], after[j1:j2], _S2T_RULE))
    return spans


_NUMPY_DIFF_MIN = 128
"""Shortest string compared as code point arrays (numpy); shorter ones are compared character by character."""


def _changed_runs(before: str, after: str) -> list[tuple[int, int]]:
    """The maximal runs ``[i, j)`` where two strings of the same length differ, in order."""
    if len(before) < _NUMPY_DIFF_MIN:
        diff = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        if not diff:
            return []
        runs: list[tuple[int, int]] = []
        i = prev = diff[0]
        for j in diff[1:]:
            if j != prev + 1:
                runs.append((i, prev + 1))
                i = j
            prev = j
        runs.append((i, prev + 1))
        return runs
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    b = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    changed = np.flatnonzero(a != b)
    if not len(changed):
        return []
    cut = np.flatnonzero(np.diff(changed) != 1)
    starts = changed[np.concatenate(([0], cut + 1))]
    ends = changed[np.concatenate((cut, [len(changed) - 1]))] + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _diff_edits(before: str, after: str, offset: int) -> list[Edit]:
    """One edit per maximal run of changed characters."""
    return [Edit(rule, a, b, x, y) for a, b, x, y, rule in _diff_spans(before, after, offset)]


def undo_machine_s2t_explained(
    text: str,
    *,
    lexicon: Lexicon,
    verdict: ScriptVerdict | None = None,
    convert_all: bool = False,
) -> Explained:
    """Turn machine-converted Traditional segments back into Simplified (rule ``s2t.machine_conversion``).

    Args:
        text: any string.
        lexicon: provides the phrase-aware OpenCC ``t2s``.
        verdict: a verdict from :func:`detect_machine_s2t` for this very text (computed here when omitted).
        convert_all: also convert genuine Traditional segments (phrase-aware); off by default, because Taiwan and
            Hong Kong text is not damage.

    Returns:
        The text with those segments in Simplified, one edit per changed run of characters.

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> e = undo_machine_s2t_explained("關系并不復雜。", lexicon=lex)
    >>> e.text, [(x.before, x.after) for x in e.edits]
    ('关系并不复杂。', [('關', '关'), ('復雜', '复杂')])
    >>> undo_machine_s2t("台灣的資訊產業", lexicon=lex)
    '台灣的資訊產業'
    >>> undo_machine_s2t("台灣的資訊產業", lexicon=lex, convert_all=True)
    '台湾的资讯产业'
    """
    converted = _converted_segments(text, lexicon, verdict, convert_all)
    if not converted:
        return Explained(text, ())
    if any(len(b) != len(a) for _, _, b, a in converted):
        spans: list[tuple[int, int, str, str, str]] = []
        for start, _, before, after in converted:
            spans.extend(_diff_spans(before, after, start))
        return rewrite_spans(text, spans)
    # every segment kept its length: the edits' spans are their own offsets, and the output is the segments swapped
    # in (what rewrite_spans makes of the same runs, without re-checking what the diff guarantees); each run's before
    # and after are the input and the output at the run's own offsets
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    pos = 0
    for start, end, before, after in converted:
        run_starts, run_ends = _changed_bounds(before, after, start)
        starts += run_starts
        ends += run_ends
        pieces.append(text[pos:start])
        pieces.append(after)
        pos = end
    pieces.append(text[pos:])
    out = "".join(pieces)
    return _make_explained(out, tuple(_make_run_edits(_S2T_RULE, starts, ends, text, out)))


def _changed_bounds(before: str, after: str, offset: int) -> tuple[list[int], list[int]]:
    """:func:`_changed_runs` as a list of starts and one of ends, shifted by ``offset`` (the columns the explained
    conversion builds its edits from)."""
    if len(before) < _NUMPY_DIFF_MIN:
        runs = _changed_runs(before, after)
        return [offset + i for i, _ in runs], [offset + j for _, j in runs]
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    b = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    # padded with an unchanged character at each end, the changed flags flip at every run's start and just past its
    # end: the flips are the starts and ends, alternating (four array operations, where np.diff's padding costs more)
    changed = np.concatenate((_UNCHANGED, a != b, _UNCHANGED))
    edges = (np.flatnonzero(changed[1:] != changed[:-1]) + offset).tolist()
    return edges[0::2], edges[1::2]


_UNCHANGED = (False,)


def _converted_segments(
    text: str, lexicon: Lexicon, verdict: ScriptVerdict | None, convert_all: bool
) -> list[tuple[int, int, str, str]]:
    """(start, end, before, after) of every segment the undo converts and changes."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first")
    v = verdict if verdict is not None else detect_machine_s2t(text, lexicon=lexicon)
    wanted = {"machine_traditional"} | ({"genuine_traditional"} if convert_all else set())
    converted: list[tuple[int, int, str, str]] = []
    for seg in v.segments:
        if seg.label not in wanted:
            continue
        before = text[seg.start : seg.end]
        after = lexicon.t2s(before)
        if after != before:
            converted.append((seg.start, seg.end, before, after))
    return converted


def undo_machine_s2t(
    text: str, *, lexicon: Lexicon, verdict: ScriptVerdict | None = None, convert_all: bool = False
) -> str:
    """Plain twin of :func:`undo_machine_s2t_explained`: the converted segments swapped in, no edits computed."""
    pieces: list[str] = []
    pos = 0
    for start, end, _, after in _converted_segments(text, lexicon, verdict, convert_all):
        pieces.append(text[pos:start])
        pieces.append(after)
        pos = end
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)
