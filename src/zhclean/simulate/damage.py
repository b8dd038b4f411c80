"""A seedable simulator of the spam-mirror damage, with exact ground truth.

The mirror sites this package models republish mainland news pages after four transformations, in this order:

1. **S→T.** A character-level 1:1 Simplified→Traditional table (no phrase step): OpenCC's first candidate, Taiwan
   glyph forms (為, 眾), the one-to-many characters left alone (干 后 里 …), a few site-specific choices. Sites
   differ (云/雲, 占/佔, 產/産), so several converters are offered (:data:`CONVERTERS`).
2. **Pinyin injection on GBK bytes.** The page is encoded as GBK and a PHP-``strtr``-like scanner walks the bytes,
   trying 2-byte keys at *every* offset: a table character gets ``(pīnyīn)`` appended. Because the scanner copies one
   byte on a miss, a key also matches across ``[trail byte of char i | lead byte of char i+1]`` (a *false match*),
   which inserts the annotation inside a character.
3. **GB18030 decoding, glibc style.** An invalid multi-byte unit becomes one ``?`` and all its bytes are consumed
   (2 bytes for ``lead + byte < 0x30``, 3 or 4 for broken 4-byte forms), which turns a false match into a burst:
   ``?py)`` followed by a run of mis-paired characters until an ASCII byte re-synchronises.
4. **NFKC** by the crawler that stored the pages (full-width punctuation becomes ASCII).

Page boilerplate goes through all of it; a tail of county names is appended afterwards.

The per-page pinyin table is the top N of one global, salted ranking of Traditional characters, so tables of
different pages are nested (as observed on real copies). Every random choice comes from the ``random.Random``
passed in.

Examples:
    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> inject_pinyin("市統計局有關負責人", make_table("嬀關", lex))  # false key [計 trail | 局 lead] spells 嬀
    '市統計?guī)钟嘘P(guān)負責人'
    >>> decode_gb18030_glibc(b"A\\x93(li\\xa8\\xa2n)")
    'A?lián)'
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhclean.text.lexicon import Lexicon

#: One-to-many characters whose own form is also Traditional; the observed converter leaves them untouched.
KEEP_ONE_TO_MANY = "了于余后布干并愿扎托斗涂系辟里"
#: Site choices that differ from OpenCC's first candidate (both seen on real pages).
SITELIKE_OVERRIDES: Mapping[str, str] = {"签": "簽", "鉴": "鑒"}

#: Converter names accepted by :func:`convert_s2t` and :class:`DamageConfig`.
#: ``sitelike`` is the converter of the real seed pages; ``sitelike_keep`` also keeps 云 and 占 (another mirror's
#: choice); ``sitelike_alt`` uses OpenCC's mainland variants (爲, 衆) and 産; ``opencc_s2t`` is phrase-aware.
CONVERTERS: tuple[str, ...] = ("sitelike", "sitelike_keep", "sitelike_alt", "opencc_s2t")
_CONVERTER_WEIGHTS = (6, 2, 2, 1)

# glibc's GB18030 follows the 2005/2022 mappings where Python's codec follows GB18030-2000: these 2-byte codes
# decode to standard characters instead of private-use ones, and these 4-byte codes are invalid in glibc.
_GLIBC_2BYTE: Mapping[bytes, str] = {
    bytes.fromhex(h): chr(c)
    for h, c in (
        ("a6d9", 0xFE10),
        ("a6da", 0xFE12),
        ("a6db", 0xFE11),
        ("a6dc", 0xFE13),
        ("a6dd", 0xFE14),
        ("a6de", 0xFE15),
        ("a6df", 0xFE16),
        ("a6ec", 0xFE17),
        ("a6ed", 0xFE18),
        ("a6f3", 0xFE19),
        ("a8bc", 0x1E3F),
        ("fe51", 0x20087),
        ("fe52", 0x20089),
        ("fe53", 0x200CC),
        ("fe59", 0x9FB4),
        ("fe61", 0x9FB5),
        ("fe66", 0x9FB6),
        ("fe67", 0x9FB7),
        ("fe6c", 0x215D7),
        ("fe6d", 0x9FB8),
        ("fe76", 0x2298F),
        ("fe7e", 0x9FB9),
        ("fe90", 0x9FBA),
        ("fe91", 0x241FE),
        ("fea0", 0x9FBB),
    )
}
_GLIBC_4BYTE_INVALID = frozenset(
    bytes.fromhex(h)
    for h in (
        *("823590" + t for t in ("37", "38", "39")),
        *("823591" + t for t in ("30", "31", "32", "33", "34")),
        *("843182" + t for t in ("36", "37", "38", "39")),
        *("843183" + t for t in ("30", "31", "32", "33", "34", "35")),
    )
)
_GLIBC_4BYTE: Mapping[bytes, str] = {bytes.fromhex("8135f437"): "\ue7c7"}

# Provenance tags of output bytes: a source character index (>= 0) or an annotation byte (-1 - annotation index).
_PINYIN_RE = re.compile(r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêḿńňǹ]+)\)")


# ---------------------------------------------------------------------------------------------------------------
# (a) S -> T
# ---------------------------------------------------------------------------------------------------------------
def build_sitelike_table(
    lexicon: Lexicon,
    keep: Iterable[str] = KEEP_ONE_TO_MANY,
    overrides: Mapping[str, str] = SITELIKE_OVERRIDES,
    *,
    taiwan_glyphs: bool = True,
) -> dict[str, str]:
    """A character-level 1:1 S→T table: OpenCC's first candidate, optionally Taiwan glyph forms, ``keep`` left alone,
    ``overrides`` last. Only characters that change are listed.

    Taiwan glyph forms come from OpenCC's own ``t2tw`` variant table applied to each output character (為 for 爲,
    眾 for 衆, 群 for 羣 …), not from a hand list.

    >>> from zhclean.text.lexicon import Lexicon
    >>> t = build_sitelike_table(Lexicon.load())
    >>> "".join(t.get(c, c) for c in "为众签鉴台干后里发")
    '為眾簽鑒臺干后里發'
    """
    table = {s: t for s, t in lexicon.s2t_chars.items() if len(t) == 1}
    if taiwan_glyphs:
        import opencc

        tw = opencc.OpenCC("t2tw").convert
        values = sorted(set(table.values()))
        mapped = tw("\n".join(values)).split("\n")
        if len(mapped) == len(values):
            variant = {v: m for v, m in zip(values, mapped, strict=True) if len(m) == 1 and m != v}
            table = {s: variant.get(t, t) for s, t in table.items()}
    for k in keep:
        table.pop(k, None)
    table.update(overrides)
    return {s: t for s, t in table.items() if s != t}


def build_converter_tables(lexicon: Lexicon) -> dict[str, dict[str, str]]:
    """The 1:1 tables behind the ``sitelike*`` converters of :data:`CONVERTERS`, by name."""
    base = build_sitelike_table(lexicon)
    keep = build_sitelike_table(lexicon, keep=KEEP_ONE_TO_MANY + "云占")
    alt = build_sitelike_table(lexicon, overrides={**SITELIKE_OVERRIDES, "产": "産"}, taiwan_glyphs=False)
    return {"sitelike": base, "sitelike_keep": keep, "sitelike_alt": alt}


def convert_s2t(
    text: str, converter: str, lexicon: Lexicon, tables: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """Simplified → Traditional with one of :data:`CONVERTERS`; always length-preserving (one char per char).

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> convert_s2t("关系干部", "sitelike", lex), convert_s2t("关系干部", "opencc_s2t", lex)
    ('關系干部', '關係幹部')
    """
    if converter == "opencc_s2t":
        out = lexicon.s2t(text)
        if len(out) == len(text):
            return out
        # A phrase rule changed the length (rare); convert line by line, then character by character.
        lines = [lexicon.s2t(line) for line in text.split("\n")]
        return "\n".join(
            conv if len(conv) == len(line) else "".join(lexicon.s2t_chars.get(c, c) for c in line)
            for conv, line in zip(lines, text.split("\n"), strict=True)
        )
    if tables is None:
        tables = build_converter_tables(lexicon)
    if converter not in tables:
        raise ValueError(f"unknown converter {converter!r}; choose one of {', '.join(CONVERTERS)}")
    table = tables[converter]
    return "".join(table.get(c, c) for c in text)


# ---------------------------------------------------------------------------------------------------------------
# (b)+(c) pinyin injection on GBK bytes, glibc-style GB18030 decoding
# ---------------------------------------------------------------------------------------------------------------
def _gbk(ch: str) -> bytes | None:
    try:
        return ch.encode("gbk")
    except UnicodeEncodeError:
        return None


def _reading(lexicon: Lexicon, ch: str) -> str:
    """The primary reading, or '' when pypinyin has none (it raises on a few rare characters)."""
    try:
        return lexicon.primary_reading(ch)
    except IndexError:
        return ""


def traditional_inventory(lexicon: Lexicon) -> list[str]:
    """Every Traditional-only character that can be a table key: 2 bytes in GBK, with a GBK-encodable reading."""
    out = []
    for ch in sorted(lexicon.traditional_only):
        if unicodedata.normalize("NFKC", ch) != ch:  # compatibility ideographs are not Traditional characters
            continue
        b = _gbk(ch)
        r = _reading(lexicon, ch)
        if b is not None and len(b) == 2 and r and _gbk(r) is not None:
            out.append(ch)
    return out


def global_ranking(inventory: Iterable[str], salt: str = "zhclean") -> list[str]:
    """One global ranking of the inventory: a stable salted hash. Any fixed ranking makes page tables nested."""
    return sorted(inventory, key=lambda c: hashlib.md5((salt + c).encode("utf-8")).hexdigest())


def make_table(chars: Iterable[str], lexicon: Lexicon) -> dict[str, str]:
    """Pinyin table {Traditional character: primary reading} for the given characters (non-keys dropped)."""
    table = {}
    for ch in chars:
        b = _gbk(ch)
        r = _reading(lexicon, ch)
        if b is not None and len(b) == 2 and r and _gbk(r) is not None:
            table[ch] = r
    return table


def strtr_bytes(data: bytes, table: Mapping[bytes, bytes]) -> bytes:
    """PHP ``strtr`` with 2-byte keys: try a key at every offset; on a miss copy ONE byte and advance.

    >>> strtr_bytes(b"\\xb4\\xf2\\x8c\\x8d", {b"\\xf2\\x8c": b"\\xf2\\x8c(q)"})
    b'\\xb4\\xf2\\x8c(q)\\x8d'
    """
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        rep = table.get(data[i : i + 2])
        if rep is not None:
            out += rep
            i += 2
        else:
            out.append(data[i])
            i += 1
    return bytes(out)


def _decode_units(bs: bytes) -> list[tuple[int, int, str | None]]:
    """Split ``bs`` into decoder units (start, end, text or None when invalid), as glibc's GB18030 decoder does."""
    units: list[tuple[int, int, str | None]] = []
    i, n = 0, len(bs)
    while i < n:
        b = bs[i]
        if b < 0x80:
            units.append((i, i + 1, chr(b)))
            i += 1
            continue
        if b in (0x80, 0xFF) or i + 1 >= n:
            units.append((i, i + 1, None))
            i += 1
            continue
        b2 = bs[i + 1]
        if 0x30 <= b2 <= 0x39:  # a 4-byte form; glibc consumes what it has checked
            if i + 3 >= n:
                units.append((i, n, None))
                i = n
            elif not 0x81 <= bs[i + 2] <= 0xFE:
                units.append((i, i + 3, None))
                i += 3
            elif not 0x30 <= bs[i + 3] <= 0x39:
                units.append((i, i + 4, None))
                i += 4
            else:
                four = bs[i : i + 4]
                text: str | None = _GLIBC_4BYTE.get(four)
                if text is None and four not in _GLIBC_4BYTE_INVALID:
                    try:
                        text = four.decode("gb18030")
                    except UnicodeDecodeError:
                        text = None
                units.append((i, i + 4, text))
                i += 4
        elif 0x40 <= b2 <= 0x7E or 0x80 <= b2 <= 0xFE:
            pair = bs[i : i + 2]
            units.append((i, i + 2, _GLIBC_2BYTE.get(pair) or pair.decode("gb18030")))
            i += 2
        else:  # lead + a byte that cannot be a trail ('(', ' ', 0x7F, 0xFF): ONE '?' for both bytes
            units.append((i, i + 2, None))
            i += 2
    return units


def decode_gb18030_glibc(bs: bytes, sub: str = "?") -> str:
    """GB18030 decoding as glibc ``iconv`` does it, writing ``sub`` for each invalid unit it skips.

    >>> decode_gb18030_glibc(b"\\xb0 B\\xfe\\x84\\xfa\\xca")
    '?B⻊\\ue319'
    """
    return "".join(sub if t is None else t for _, _, t in _decode_units(bs))


@dataclass(frozen=True)
class FalseMatch:
    """A key matched across a character boundary: ``(reading)`` was inserted inside the character at ``position``."""

    position: int
    """Index of the character whose first byte completed the key: its bytes were split, which starts a burst. When
    that character is ASCII (a key can end in 0x40-0x7E: a Latin letter, ``]``), nothing is split and the
    annotation simply follows it (``A(py)``)."""
    key: str
    """The table character the misaligned byte pair spells."""
    reading: str


@dataclass(frozen=True)
class Injection:
    """Result of :func:`inject_pinyin_detailed`; indices are positions in the input text."""

    text: str
    annotated: tuple[int, ...]
    """Characters that received an aligned ``(py)``."""
    false_matches: tuple[FalseMatch, ...]
    lost: tuple[int, ...]
    """Characters whose bytes did not survive (swallowed by a ``?`` other than a ``?py)``, or mangled by NFKC)."""
    burst: tuple[int, ...] = ()
    """Characters whose bytes were decoded out of step (inside a burst, lost or not); a superset of ``lost``."""


def inject_pinyin_detailed(text: str, table: Mapping[str, str], *, nfkc: bool = False) -> Injection:
    """Pinyin injection (GBK bytes, strtr, glibc GB18030 decode) with the provenance of every byte.

    ``table`` maps Traditional characters to readings (:func:`make_table`). Characters that GBK cannot encode pass
    through unchanged and split the byte stream (no key spans them). With ``nfkc`` the decoded text is NFKC-folded,
    and mis-paired characters that NFKC changes count as lost (their bytes can no longer be re-encoded).
    """
    btable = {}
    for ch, r in table.items():
        k = _gbk(ch)
        if k is not None and len(k) == 2:
            btable[k] = k + b"(" + r.encode("gbk") + b")"
    key_char = {k: ch for ch, k in ((c, _gbk(c)) for c in table) if k is not None}

    pieces: list[str] = []
    annotated: list[int] = []
    false: list[FalseMatch] = []
    lost: set[int] = set()
    burst: set[int] = set()

    def run_segment(data: bytes, owner: list[int], width: dict[int, int]) -> None:
        out = bytearray()
        tags: list[int] = []  # source index per output byte, -1 for injected annotation bytes
        opens: set[int] = set()  # output offsets of injected '('
        i, n = 0, len(data)
        while i < n:
            key = data[i : i + 2]
            rep = btable.get(key)
            if rep is not None:
                if owner[i] == owner[i + 1]:
                    annotated.append(owner[i])
                else:
                    false.append(FalseMatch(owner[i + 1], key_char[key], table[key_char[key]]))
                out += key
                tags += [owner[i], owner[i + 1]]
                opens.add(len(out))
                out += rep[2:]
                tags += [-1] * (len(rep) - 2)
                i += 2
            else:
                out.append(data[i])
                tags.append(owner[i])
                i += 1
        text_parts = []
        for s, e, t in _decode_units(bytes(out)):
            src = [g for g in tags[s:e] if g >= 0]
            whole = len(src) == e - s and len(set(src)) == 1 and width[src[0]] == e - s
            if src and not whole:
                burst.update(src)
            if t is None:
                text_parts.append("?")
                # '?' eating [last key byte, '('] is recoverable from the pinyin that follows; anything else is lost.
                if not (e - s == 2 and s + 1 in opens):
                    lost.update(src)
                continue
            text_parts.append(t)
            if nfkc and src and not whole and unicodedata.normalize("NFKC", t) != t:
                lost.update(src)  # a mis-paired character that NFKC rewrote: its bytes cannot be re-encoded
        pieces.append("".join(text_parts))

    seg_data = bytearray()
    seg_owner: list[int] = []
    seg_width: dict[int, int] = {}

    def flush() -> None:
        if seg_data:
            run_segment(bytes(seg_data), list(seg_owner), dict(seg_width))
        seg_data.clear()
        seg_owner.clear()
        seg_width.clear()

    for pos, ch in enumerate(text):
        b = _gbk(ch)
        if b is None:
            flush()
            pieces.append(ch)
            continue
        seg_width[pos] = len(b)
        seg_data += b
        seg_owner += [pos] * len(b)
    flush()
    out_text = "".join(pieces)
    if nfkc:
        out_text = unicodedata.normalize("NFKC", out_text)
    return Injection(out_text, tuple(annotated), tuple(false), tuple(sorted(lost)), tuple(sorted(burst)))


def inject_pinyin(text: str, table: Mapping[str, str]) -> str:
    """Just the damaged text of :func:`inject_pinyin_detailed` (no NFKC)."""
    return inject_pinyin_detailed(text, table).text


def nfkc(text: str) -> str:
    """The crawl's normalisation: full-width punctuation to ASCII, U+3000 to a space."""
    return unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------------------------------------------------------
# (d) page template, (e) SEO tail
# ---------------------------------------------------------------------------------------------------------------
# Invented portal names; the template mimics the common mainland news-portal page as a text extractor renders it.
SITE_NAMES: tuple[str, ...] = ("东岸时讯网", "华川新闻网", "北辰资讯网", "南岭视点网", "中原快报网", "海川在线网")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
_GIVEN = "晓明丽华建国文静海燕志强秀英军红玉兰春晖雪梅德胜立新佳琪子涵宇轩欣怡浩然思远"


def county_names() -> list[str]:
    """County names from jieba's dictionary (place-name entries tagged ``ns`` that end in 县), Simplified.

    Taken from dependency data rather than a hand list; many are pre-reform names, as on the real spam tails.
    """
    from importlib import resources

    out = []
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns" and 3 <= len(parts[0]) <= 6 and parts[0].endswith("县"):
                out.append(parts[0])
    return out


def seo_tail(rng: random.Random, names: Sequence[str], n: int = 40) -> str:
    """``n`` names drawn with replacement, joined with ``| `` and ending in ``|``, on a line of its own."""
    return "\n\n" + "| ".join(rng.choice(names) for _ in range(n)) + "|"


def _editor(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _date(rng: random.Random) -> str:
    return (
        f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    )


def layout_page(
    title: str, paragraphs: Sequence[str], rng: random.Random, *, boilerplate: bool = True, caption_prob: float = 0.3
) -> tuple[str, str]:
    """Lay out a clean Simplified page; returns ``(page, article)`` where ``article`` is the body (captions and
    paragraphs, as they appear on the page) that a boilerplate cleaner should keep."""
    if not boilerplate:
        body = "\n".join(paragraphs)
        return title + "\n" + body, body
    site = rng.choice(SITE_NAMES)
    source = site if rng.random() < 0.7 else rng.choice(SITE_NAMES)
    lines = [f"• {site}移动版", "", f"    {site}移动版", "", title, "", _date(rng), f"来源：{source}", "字号"]
    body: list[str] = []
    if rng.random() < caption_prob:
        credit = f"（{site}发）" if rng.random() < 0.6 else f"（图片来源：{source}）"
        body.append(rng.choice((title, "图为活动现场", "图为现场一景", "资料图")) + credit)
    for k, p in enumerate(paragraphs):
        body.append("\u3000\u3000" + p)
        if k == 0 and rng.random() < caption_prob / 2:
            body.append(f"图为{title}相关场景。（{site}发）")
    # Extractors render paragraph breaks either as single or as blank-line separated lines (both seen on real copies).
    sep = "\n\n" if rng.random() < 0.4 else "\n"
    foot = [f"[责任编辑：{_editor(rng)}]", "", "相关新闻"]
    return "\n".join(lines) + sep + sep.join(body) + "\n" + "\n".join(foot), sep.join(body)


# ---------------------------------------------------------------------------------------------------------------
# the whole page
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DamageConfig:
    """How one page is damaged. ``None`` fields are drawn from the document's ``random.Random``."""

    converter: str | None = None
    """One of :data:`CONVERTERS`, or None to draw one (weighted towards ``sitelike``)."""
    coverage: float | None = None
    """Fraction of the global ranking in the page's pinyin table (0 = no pinyin), or None to draw it."""
    coverage_range: tuple[float, float] = (0.05, 0.8)
    table_chars: str | None = None
    """An explicit pinyin table (Traditional characters); overrides ``coverage``."""
    ranking_salt: str = "zhclean"
    boilerplate: bool = True
    caption_prob: float = 0.3
    seo_tail_prob: float = 0.5
    seo_tail_len: tuple[int, int] = (20, 40)
    nfkc: bool = True


@dataclass(frozen=True)
class SimulatedDoc:
    """A damaged page and its exact ground truth. Positions index ``expected``.

    ``expected`` is what a perfect *text restorer* returns: the clean page (boilerplate and the SEO tail kept, as on
    the real seeds' ``restored`` files) after NFKC, since the crawl's NFKC cannot be undone. ``article`` is what a
    *cleaner* keeps (captions and paragraphs, NFKC). ``expected.removesuffix(seo_tail)`` drops the tail.
    """

    clean: str
    """The source Simplified page as laid out (full-width punctuation, before any damage)."""
    damaged: str
    expected: str
    article: str
    annotations: tuple[int, ...]
    """Positions of the characters that received an aligned ``(py)``."""
    false_matches: tuple[FalseMatch, ...]
    """Misaligned matches (each starts a burst); ``position`` is the character split by the insertion."""
    lost_chars: tuple[int, ...]
    """Positions whose bytes were lost (e.g. the character before a bare ``?`` run end and the byte after it)."""
    burst_chars: tuple[int, ...]
    """Positions decoded out of step inside a burst (a superset of ``lost_chars``). Their bytes survive, but a
    run that crosses a character NFKC rewrote (e.g. a mis-paired ``！``) is hard to re-decode past that point."""
    table: str
    """The page's pinyin table, sorted."""
    converter: str
    coverage: float
    seo_tail: str = ""
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def n_annotations(self) -> int:
        return len(self.annotations)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every field (false matches as ``[position, key, reading]`` lists)."""
        d = dataclasses.asdict(self)
        d["false_matches"] = [[f.position, f.key, f.reading] for f in self.false_matches]
        return d


class DamageKit:
    """The per-lexicon data the simulator needs (converter tables, ranking, county names), built once.

    >>> from zhclean.text.lexicon import Lexicon
    >>> kit = DamageKit(Lexicon.load())
    >>> set(kit.table(0.1)) <= set(kit.table(0.3))    # nested tables
    True
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.tables = build_converter_tables(lexicon)
        self.inventory = traditional_inventory(lexicon)
        self._rankings: dict[str, list[str]] = {}
        self._counties: list[str] | None = None

    def ranking(self, salt: str = "zhclean") -> list[str]:
        if salt not in self._rankings:
            self._rankings[salt] = global_ranking(self.inventory, salt)
        return self._rankings[salt]

    def table(self, coverage: float, salt: str = "zhclean") -> dict[str, str]:
        """The top ``round(coverage * len(inventory))`` characters of the salted ranking, with their readings."""
        rank = self.ranking(salt)
        return make_table(rank[: round(max(0.0, min(1.0, coverage)) * len(rank))], self.lexicon)

    @property
    def counties(self) -> list[str]:
        if self._counties is None:
            self._counties = county_names()
        return self._counties

    def convert(self, text: str, converter: str) -> str:
        return convert_s2t(text, converter, self.lexicon, self.tables)


def _nfkc_map(text: str) -> tuple[str, list[int], list[int]]:
    """Per-character NFKC with the start and end offset of each input character in the output."""
    parts, starts, ends, n = [], [], [], 0
    for ch in text:
        o = unicodedata.normalize("NFKC", ch)
        starts.append(n)
        parts.append(o)
        n += len(o)
        ends.append(n)
    return "".join(parts), starts, ends


def damage_document(
    clean_title: str,
    clean_body: str | Sequence[str],
    *,
    rng: random.Random | int,
    config: DamageConfig | None = None,
    lexicon: Lexicon | None = None,
    kit: DamageKit | None = None,
) -> SimulatedDoc:
    """Lay out a clean Simplified article as a page and damage it; ``clean_body`` is a string (one paragraph per
    non-empty line) or a list of paragraphs. Pass ``kit`` (built once) when damaging many documents.

    >>> from zhclean.text.lexicon import Lexicon
    >>> cfg = DamageConfig(converter="sitelike", table_chars="發業", boilerplate=False, seo_tail_prob=0)
    >>> d = damage_document("发展", ["产业发展。"], rng=1, config=cfg, lexicon=Lexicon.load())
    >>> d.damaged, d.expected, d.annotations
    ('發(fā)展\\n產業(yè)發(fā)展。', '发展\\n产业发展。', (0, 4, 5))
    """
    if kit is None:
        if lexicon is None:
            raise TypeError("damage_document needs lexicon= or kit=")
        kit = DamageKit(lexicon)
    config = config or DamageConfig()
    if not isinstance(rng, random.Random):
        rng = random.Random(rng)
    if isinstance(clean_body, str):
        paragraphs = [p.strip() for p in clean_body.split("\n") if p.strip()]
    else:
        paragraphs = list(clean_body)

    converter = config.converter or rng.choices(CONVERTERS, weights=_CONVERTER_WEIGHTS)[0]
    if config.table_chars is not None:
        table = make_table(config.table_chars, kit.lexicon)
        coverage = len(table) / len(kit.inventory)
    else:
        coverage = config.coverage if config.coverage is not None else rng.uniform(*config.coverage_range)
        table = kit.table(coverage, config.ranking_salt)
    clean, article = layout_page(
        clean_title, paragraphs, rng, boilerplate=config.boilerplate, caption_prob=config.caption_prob
    )
    trad = kit.convert(clean, converter)
    inj = inject_pinyin_detailed(trad, table, nfkc=config.nfkc)
    if config.nfkc:
        expected, starts, ends = _nfkc_map(clean)
        article = nfkc(article)
    else:
        expected, starts, ends = clean, list(range(len(clean))), list(range(1, len(clean) + 1))
    tail = ""
    if config.seo_tail_prob > 0 and rng.random() < config.seo_tail_prob:
        tail = seo_tail(rng, kit.counties, rng.randint(*config.seo_tail_len))
    lost = sorted({p for i in inj.lost for p in range(starts[i], ends[i])})
    burst = sorted({p for i in inj.burst for p in range(starts[i], ends[i])})
    return SimulatedDoc(
        clean=clean,
        damaged=inj.text + tail,
        expected=expected + tail,
        article=article,
        annotations=tuple(starts[i] for i in inj.annotated),
        false_matches=tuple(FalseMatch(starts[f.position], f.key, f.reading) for f in inj.false_matches),
        lost_chars=tuple(lost),
        burst_chars=tuple(burst),
        table="".join(sorted(table)),
        converter=converter,
        coverage=coverage,
        seo_tail=tail,
    )


def damage_text_only(
    text: str,
    *,
    lexicon: Lexicon,
    converter: str | None = "sitelike",
    table: Mapping[str, str] | None = None,
    do_nfkc: bool = False,
) -> str:
    """A single damage stage or two, for tests: S→T with ``converter`` (None to skip), then pinyin with ``table``
    (None to skip), then NFKC if asked.

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> damage_text_only("网络发展", lexicon=lex)
    '網絡發展'
    >>> damage_text_only("網絡發展", lexicon=lex, converter=None, table=make_table("網", lex))
    '網(wǎng)絡發展'
    """
    if converter is not None:
        text = convert_s2t(text, converter, lexicon)
    if table is not None:
        text = inject_pinyin(text, table)
    return nfkc(text) if do_nfkc else text


def observed_table(damaged: str, lexicon: Lexicon) -> str:
    """Read a page's pinyin table off its damaged text: Traditional-only characters followed by one of their
    readings in ``(…)``, plus the keys of false matches (``P?py)``: a key whose lead byte is P's trail byte and whose
    reading is ``py``). Returns the sorted characters.
    """
    found = set()
    for m in _PINYIN_RE.finditer(damaged):
        start = m.start()
        if start == 0:
            continue
        prev = damaged[start - 1]
        py = m.group(1)
        if lexicon.is_traditional_only(prev) and py in lexicon.readings(prev):
            found.add(prev)
    for m in re.finditer(r"(.)\?([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêḿńňǹ]+)\)", damaged):
        pb = _gbk(m.group(1))
        if pb is None or len(pb) != 2:
            continue
        for x in range(0x81, 0xFF):
            try:
                c = bytes((pb[1], x)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if lexicon.is_traditional_only(c) and _reading(lexicon, c) == m.group(2):
                found.add(c)
    return "".join(sorted(found))
