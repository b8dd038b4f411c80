"""Canonical keys: the text dedup hashes, folded so that differently damaged copies of one article agree.

Mirror copies of one article differ in script (each site ran its own S→T converter), in leftover ``(pīnyīn)``
annotations and burst tails the restorer did not strip, in punctuation width (the crawl's NFKC), in whitespace and
in the SEO tail of county names each copy drew at random.  None of that is content, so the key drops it all:

1. lower case; drop the SEO tail line and any ``(py)`` annotation or tone-marked pinyin run that is left;
2. fold script with ``t2s`` (OpenCC, phrase aware);
3. drop everything that is not a letter or a digit (punctuation, symbols, whitespace, loss markers ``?`` and ``�``);
4. NFKC (width: ``ＡＢＣ１`` → ``abc1``) on what is left.

The key is only hashed, never written back: the stored text keeps its script and punctuation.

Examples:
    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> damaged = "中國(guó)臺灣網,  發(fā)展!\\n北京市| 天津市| 上海市| 重庆市| 河北省| 山西省|"
    >>> canonical_key(damaged, lexicon=lex)
    '中国台湾网发展'
    >>> canonical_key("中国台湾网，发展！", lexicon=lex)
    '中国台湾网发展'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from zhclean.text.lexicon import Lexicon

_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# An annotation `(py)` / `(py )`, an orphan burst tail `?py)`, or a bare run of letters holding a tone mark.  Bare
# toneless Latin words are content (English terms, codes) and stay.
_PINYIN_RE = re.compile(
    rf"[(（][{_PINYIN_LETTERS}]{{1,6}}[0-5]? ?[)）]"
    rf"|\?[{_PINYIN_LETTERS}]{{1,6}}[)）]"
    rf"|[{_PINYIN_LETTERS}]*[{_TONED}][{_PINYIN_LETTERS}]*"
)
# The SEO tail (forensics §5): a final line of 5+ short Han names joined by `| `.  Matched after NFKC.
_SEO_TAIL_RE = re.compile(r"(?:^|\n)(?:[\u4e00-\u9fff]{2,8}\| ?){5,}[\u4e00-\u9fff]{0,8}\|?\s*$")
# Cheap pre-checks: most restored texts have no pinyin left and no SEO tail, and the full regexes cost more.
_PINYIN_HINT_RE = re.compile(rf"[(（][{_PINYIN_LETTERS}]|[{_TONED}]|\?[{_PINYIN_LETTERS}]")
# Everything that is not a letter or digit of any script (`_` is in \w, so it is named explicitly).
_NON_CONTENT_RE = re.compile(r"[\W_]+")


def strip_seo_tail(text: str) -> str:
    """Drop a final line of ``|``-joined county names (the spam mirrors' SEO tail).

    >>> strip_seo_tail("正文。\\n北京市| 天津市| 上海市| 重庆市| 河北省|")
    '正文。'
    >>> strip_seo_tail("甲| 乙")
    '甲| 乙'
    """
    if "|" not in text[-400:]:
        return text
    return _SEO_TAIL_RE.sub("", text)


def strip_leftover_pinyin(text: str) -> str:
    """Drop ``(py)`` annotations, orphan ``?py)`` burst tails and tone-marked Latin runs (lower-cased input).

    >>> strip_leftover_pinyin("發(fā)展?yōu)勢 chéng 2024 ok")
    '發展勢  2024 ok'
    """
    if _PINYIN_HINT_RE.search(text) is None:
        return text
    return _PINYIN_RE.sub("", text)


def drop_non_content(text: str) -> str:
    """Keep letters and digits of every script; drop punctuation, symbols, whitespace and loss markers.

    >>> drop_non_content("中国, 台湾 ？网\\u3000(1) �?_")
    '中国台湾网1'
    """
    return _NON_CONTENT_RE.sub("", text)


def canonical_key(text: str, /, *, lexicon: Lexicon) -> str:
    """The dedup key of a (restored) text; see the module docstring for the steps.

    Total: any ``str`` gives a ``str`` (possibly empty); ``bytes`` raise ``TypeError``.

    >>> from zhclean.text.lexicon import Lexicon
    >>> canonical_key("ＡＢＣ 發(fā)展", lexicon=Lexicon.load())
    'abc发展'
    """
    if not isinstance(text, str):
        raise TypeError(f"canonical_key takes str, got {type(text).__name__}")
    folded = strip_leftover_pinyin(strip_seo_tail(text.lower()))
    key = drop_non_content(lexicon.t2s(folded))
    # NFKC last, on the content only: punctuation (most of what NFKC changes in Chinese text) is gone by then and
    # the quick check skips the rest; NFKC of the whole text ran at ~8 MB/s (2026-11).
    if not unicodedata.is_normalized("NFKC", key):
        key = drop_non_content(unicodedata.normalize("NFKC", key).lower())
    return key


def fold_with_offsets(text: str, t2s_chars: Mapping[str, str]) -> tuple[str, list[int]]:
    """A character-level fold for aligning copies: NFKC per character, lower case, ``t2s_chars``, non-content
    dropped; returns the folded text and, for each folded character, its offset in ``text``.

    Character-level (not phrase-aware) so that every folded character maps back to one input character; that is
    what cross-copy repair needs to put a reading back in place.

    >>> fold_with_offsets("中國, 網", {"國": "国", "網": "网"})
    ('中国网', [0, 1, 4])
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        c = unicodedata.normalize("NFKC", ch).lower() if not ("\u4e00" <= ch <= "\u9fff") else ch
        c = t2s_chars.get(c, c)
        if len(c) == 1 and (c.isalnum()):
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets
