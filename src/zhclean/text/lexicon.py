"""Lexicon: the expensive, read-only language data the pure transforms consult.

The transforms in ``zhclean.text`` are pure functions; the tables they need (OpenCC converters, pinyin readings,
word frequencies) are built once per worker by :meth:`Lexicon.load` and passed in explicitly.  Nothing here is a
module global: two lexicons never share state, and a step builds its own in ``setup()``.

All data comes from maintained dependencies: OpenCC (script tables), pypinyin (readings) and jieba (word
frequencies).  Parts that are slow to build (the jieba dictionary, about 1 s) are built on first use.

Examples:
    >>> lex = Lexicon.load()
    >>> lex.t2s("中國臺灣網")
    '中国台湾网'
    >>> "guó" in lex.readings("國") and "guo" in lex.readings("國")
    True
    >>> lex.is_traditional_only("國"), lex.is_traditional_only("国"), lex.is_traditional_only("人")
    (True, False, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# The code point blocks whose characters the script tables are computed for: CJK Unified Ideographs, Extension A
# and the Compatibility Ideographs.  Extension B and later hold no character OpenCC converts in either direction.
CJK_BLOCKS: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _all_cjk() -> str:
    return "".join(chr(c) for lo, hi in CJK_BLOCKS for c in range(lo, hi + 1))


def _char_map(convert: Callable[[str], str], chars: str) -> dict[str, str]:
    """Convert each character on its own line (so no phrase rule can span two of them); keep the ones that change."""
    out = convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # a converter that changed the line structure: fall back to one call per char
        out = [convert(c) for c in chars]
    return {c: o for c, o in zip(chars, out, strict=True) if o != c}


class Lexicon:
    """Script tables, pinyin readings and word frequencies; build with :meth:`load`."""

    def __init__(
        self,
        t2s: Callable[[str], str],
        s2t: Callable[[str], str],
        t2s_chars: dict[str, str],
        s2t_chars: dict[str, str],
        pinyin: Callable[..., Any],
        styles: Any,
    ) -> None:
        self.t2s = t2s
        """Traditional → Simplified, phrase-aware (OpenCC ``t2s``)."""
        self.s2t = s2t
        """Simplified → Traditional, phrase-aware (OpenCC ``s2t``)."""
        self.t2s_chars = t2s_chars
        """Character-level T→S map: every character that OpenCC ``t2s`` changes on its own, with its result."""
        self.s2t_chars = s2t_chars
        """Character-level S→T map (OpenCC's first candidate): every character ``s2t`` changes on its own."""
        self.traditional_only = frozenset(t2s_chars)
        """Characters that only Traditional text uses (``t2s(c) != c``)."""
        self.simplified_only = frozenset(c for c in s2t_chars if c not in t2s_chars)
        """Characters that only Simplified text uses (``s2t(c) != c`` and ``t2s(c) == c``)."""
        self._pinyin = pinyin
        self._styles = styles
        self._readings: dict[str, frozenset[str]] = {}
        self._primary: dict[str, str] = {}
        self._freq: dict[str, int] | None = None
        self._freq_total = 1
        self._logp: _LogProbs | None = None
        # the hot membership test as the set's own C method (same answers as the method below, no Python frame)
        self.is_traditional_only = self.traditional_only.__contains__  # type: ignore[method-assign]

    @classmethod
    def load(cls) -> Lexicon:
        """Build a lexicon from OpenCC and pypinyin (about 0.2 s; jieba is loaded later, on first use)."""
        import opencc
        from pypinyin import Style, pinyin

        t2s = opencc.OpenCC("t2s").convert
        s2t = opencc.OpenCC("s2t").convert
        chars = _all_cjk()
        return cls(t2s, s2t, _char_map(t2s, chars), _char_map(s2t, chars), pinyin, Style)

    # -- script ---------------------------------------------------------------------------------------------------
    def is_traditional_only(self, ch: str) -> bool:
        """True when ``ch`` is a character that only Traditional text uses."""
        return ch in self.traditional_only

    # -- pinyin ---------------------------------------------------------------------------------------------------
    def readings(self, ch: str) -> frozenset[str]:
        """All readings of one character (pypinyin heteronyms), with tone marks and toneless; empty if none."""
        r = self._readings.get(ch)
        if r is None:
            if len(ch) != 1 or not _is_han(ch):
                r = frozenset()
            else:
                p, st = self._pinyin, self._styles
                tone = p(ch, heteronym=True, style=st.TONE, errors="ignore")
                plain = p(ch, heteronym=True, style=st.NORMAL, errors="ignore")
                r = frozenset(x for group in (*tone, *plain) for x in group if x)
            self._readings[ch] = r
        return r

    def primary_reading(self, ch: str) -> str:
        """The context-free default reading with tone marks (pypinyin's default), or '' for a non-Han character."""
        r = self._primary.get(ch)
        if r is None:
            r = ""
            if len(ch) == 1 and _is_han(ch):
                got = self._pinyin(ch, style=self._styles.TONE, errors="ignore")
                r = got[0][0] if got and got[0] else ""
            self._primary[ch] = r
        return r

    def is_pinyin_syllable(self, s: str) -> bool:
        """True when ``s`` is one pinyin syllable some character is read as (tone marks or toneless; ``v`` = ``ü``).

        The syllable inventory is pypinyin's own (every reading in its character table), built on first use.

        >>> lex = Lexicon.load()
        >>> lex.is_pinyin_syllable("lián"), lex.is_pinyin_syllable("lian"), lex.is_pinyin_syllable("lve")
        (True, True, True)
        >>> lex.is_pinyin_syllable("gdp"), lex.is_pinyin_syllable("")
        (False, False)
        """
        syllables: frozenset[str] | None = getattr(self, "_syllables", None)
        if syllables is None:
            from pypinyin.pinyin_dict import pinyin_dict

            marked = {r for v in pinyin_dict.values() for r in v.split(",") if r}
            syllables = frozenset(marked | {strip_pinyin_tone(r) for r in marked})
            self._syllables = syllables
        return s in syllables

    def derived(self, key: str, build: Callable[[Lexicon], Any]) -> Any:
        """A read-only table derived from this lexicon (a compiled regex, a character class), built once per lexicon.

        Transforms use it for what they would otherwise rebuild on every call; ``build`` must be deterministic and
        its result must never be mutated.

        >>> lex = Lexicon.load()
        >>> lex.derived("n_trad", lambda lx: len(lx.traditional_only)) == len(lex.traditional_only)
        True
        """
        memo: dict[str, Any] | None = getattr(self, "_derived", None)
        if memo is None:
            memo = {}
            self._derived = memo
        if key not in memo:
            memo[key] = build(self)
        return memo[key]

    def traditional_only_class(self) -> str:
        """The Traditional-only characters as the inside of a regex character class (ranges, escaped).

        >>> import re
        >>> lex = Lexicon.load()
        >>> trad = re.compile("[" + lex.traditional_only_class() + "]")
        >>> bool(trad.search("中國")), bool(trad.search("中国"))
        (True, False)
        """
        return self.derived("traditional_only_class", lambda lx: char_class(lx.traditional_only))

    # -- frequencies ----------------------------------------------------------------------------------------------
    @property
    def word_freq(self) -> dict[str, int]:
        """jieba's dictionary counts (word → count), loaded on first use."""
        if self._freq is None:
            import jieba

            jieba.setLogLevel(60)
            tok = jieba.Tokenizer()
            tok.initialize()
            self._freq = tok.FREQ
            self._freq_total = tok.total
        return self._freq

    def word_logprob(self, word: str) -> float:
        """log P(word) under jieba's unigram counts, with add-0.1 smoothing for unseen words."""
        return self.word_logprobs[word]

    @property
    def word_logprobs(self) -> dict[str, float]:
        """:meth:`word_logprob` as a mapping (``word_logprobs[w] == word_logprob(w)``), for hot loops: looking a word
        up is a dict lookup; the value is computed on first use and kept for dictionary words and single characters.
        Read-only: never assign to it."""
        if self._logp is None:
            self._logp = _LogProbs(self.word_freq, self._freq_total)
        return self._logp


class _LogProbs(dict):
    """word → log P(word) under jieba's counts with add-0.1 smoothing, filled on demand (see word_logprobs)."""

    __slots__ = ("_freq", "_total")

    def __init__(self, freq: dict[str, int], total: int) -> None:
        super().__init__()
        self._freq = freq
        self._total = total

    def __missing__(self, word: str) -> float:
        lp = math.log((self._freq.get(word, 0) + 0.1) / self._total)
        if len(word) == 1 or word in self._freq:  # bounded: the dictionary's words and the characters
            self[word] = lp
        return lp


_TONE_MARKS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿü", "aaaaeeeeiiiioooouuuuvvvvnnnmv"
)


def strip_pinyin_tone(syllable: str) -> str:
    """A tone-marked syllable in pypinyin's toneless spelling (``ü`` as ``v``): ``lüè`` → ``lve``.

    >>> strip_pinyin_tone("lüè"), strip_pinyin_tone("zhōng")
    ('lve', 'zhong')
    """
    return syllable.translate(_TONE_MARKS)


def char_class(chars: frozenset[str] | set[str]) -> str:
    """The inside of a regex character class matching exactly ``chars``, as ranges of consecutive code points.

    >>> char_class({"a", "b", "c", "x"})
    'a-cx'
    """
    import re

    codes = sorted(ord(c) for c in chars)
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(parts)


def _is_han(ch: str) -> bool:
    c = ord(ch)
    return 0x3400 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x3134F
