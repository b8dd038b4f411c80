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

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

# The code point blocks whose characters the script tables are computed for: CJK Unified Ideographs, Extension A
# and the Compatibility Ideographs.  Extension B and later hold no character OpenCC converts in either direction.
CJK_BLOCKS: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@functools.cache
def _pinyin_table() -> Mapping[int, str] | None:
    """pypinyin's character table (code point → ``"zhōng,zhòng"``), read from its data module without importing the
    ``pypinyin`` package: the package loads its phrase dictionary and copies both tables at import, ~50 MB in every
    worker process, and nothing here uses the phrases.  This is the table as shipped (a user's ``load_single_dict``
    customisations are not seen, so results do not depend on what else the process did).  Read once per process, as an
    import would be (~70 ms; every lexicon shares it read-only).  None when pypinyin is laid out otherwise; the lexicon
    then calls ``pinyin()``."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).with_name("pinyin_dict.py")
    data_spec = importlib.util.spec_from_file_location("_zhclean_pypinyin_table", path)
    if data_spec is None or data_spec.loader is None or not path.is_file():
        return None
    module = importlib.util.module_from_spec(data_spec)
    data_spec.loader.exec_module(module)
    table = getattr(module, "pinyin_dict", None)
    return table if isinstance(table, dict) else None


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
        pinyin: Callable[..., Any] | None = None,
        styles: Any = None,
    ) -> None:
        self.t2s_phrase = t2s
        """OpenCC's own ``t2s`` converter (phrase-aware); :meth:`t2s` gives the same output, faster."""
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
        # pypinyin's pinyin() and Style, for characters the table does not give (imported on first use: see
        # _pinyin_table for why the package is not imported up front)
        self._pinyin = pinyin
        self._styles = styles
        self._readings: dict[str, frozenset[str]] = {}
        # pypinyin's character table (code point → "zhōng,zhòng"); set by load()
        self._pinyin_table: Mapping[int, str] | None = None
        self._primary: dict[str, str] = {}
        self._freq: dict[str, int] | None = None
        self._freq_total = 1
        self._logp: _LogProbs | None = None
        self._t2s_fast: FastT2S | None = None
        # the hot membership test as the set's own C method (same answers as the method below, no Python frame)
        self.is_traditional_only = self.traditional_only.__contains__  # type: ignore[method-assign]

    @classmethod
    def load(cls) -> Lexicon:
        """Build a lexicon from OpenCC and pypinyin (about 0.6 s; jieba is loaded later, on first use)."""
        import opencc

        t2s = opencc.OpenCC("t2s").convert
        s2t = opencc.OpenCC("s2t").convert
        chars = _all_cjk()
        lex = cls(t2s, s2t, _char_map(t2s, chars), _char_map(s2t, chars))
        lex._t2s_fast = FastT2S.build(t2s, _opencc_phrase_entries("t2s"))
        lex._pinyin_table = _pinyin_table()
        return lex

    # -- script ---------------------------------------------------------------------------------------------------
    def t2s(self, text: str) -> str:
        """Traditional → Simplified, exactly as OpenCC ``t2s`` (phrase-aware) converts it.

        Text holding no phrase-sensitive character (one an OpenCC t2s phrase converts differently from the character
        alone, such as 乾 於 麼: 38 in OpenCC 1.4; plus ~800 rare ones OpenCC turns into several characters or a
        supplementary one) is converted by a per-character table, 2–3 times faster on whole pages; the runs around
        sensitive characters go to OpenCC itself.  See :class:`FastT2S`.
        """
        fast = self._t2s_fast
        return fast(text) if fast is not None else self.t2s_phrase(text)

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
                marked = self._marked_readings(ch)
                if marked is None:
                    p, st = self._pinyin_calls()
                    tone = p(ch, heteronym=True, style=st.TONE, errors="ignore")
                    plain = p(ch, heteronym=True, style=st.NORMAL, errors="ignore")
                    r = frozenset(x for group in (*tone, *plain) for x in group if x)
                else:
                    r = frozenset(marked) | frozenset(map(strip_pinyin_tone, marked))
            self._readings[ch] = r
        return r

    def _pinyin_calls(self) -> tuple[Callable[..., Any], Any]:
        if self._pinyin is None or self._styles is None:
            from pypinyin import Style, pinyin

            self._pinyin, self._styles = pinyin, Style
        return self._pinyin, self._styles

    def _marked_readings(self, ch: str) -> list[str] | None:
        """pypinyin's tone-marked readings of one character read straight from its character table, or None when this
        lexicon was built without the table.  ``pinyin(ch, heteronym=True)`` returns exactly this list (checked for
        every character of the table by the lexicon tests) but costs ~15 µs a call; a page meets a hundred new
        characters, and the restore benchmark's fresh lexicon spent ~5 ms a page on those calls."""
        table = self._pinyin_table
        if table is None:
            return None
        got = table.get(ord(ch))
        return [r for r in got.split(",") if r] if got else []

    def primary_reading(self, ch: str) -> str:
        """The context-free default reading with tone marks (pypinyin's default), or '' for a non-Han character."""
        r = self._primary.get(ch)
        if r is None:
            r = ""
            if len(ch) == 1 and _is_han(ch):
                marked = self._marked_readings(ch)
                if marked is None:
                    p, st = self._pinyin_calls()
                    got = p(ch, style=st.TONE, errors="ignore")
                    r = got[0][0] if got and got[0] else ""
                else:  # pypinyin's default for a lone character is the table's first reading (checked as above)
                    r = marked[0] if marked else ""
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
            table = self._pinyin_table
            if table is None:
                from pypinyin.pinyin_dict import pinyin_dict as table

            marked = {r for v in table.values() for r in v.split(",") if r}
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


_NUMPY_MIN_CHARS = 64
"""Shortest text :class:`FastT2S` converts with numpy; shorter text goes through ``str.translate``.  Measured: numpy's
fixed cost is ~3 µs a call, ``str.translate`` costs ~0.06 µs a character, so numpy wins from ~50 characters; on
seed-like pages the numpy lookup runs at ~280 MB/s, OpenCC ``t2s`` at ~40–70 MB/s."""

_NOT_BMP_RE = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")

_PIECES_MIN_CHARS = 2000
"""Shortest text with sensitive characters converted piecewise (OpenCC on the runs around them, the table elsewhere);
shorter text goes to OpenCC whole.  Measured: the piecewise path costs ~10 µs plus ~2 µs per sensitive character; on a
3,600-character page with one it is 2.3× faster than OpenCC, on 500 characters with several it is slower."""


class FastT2S:
    """OpenCC ``t2s`` as a per-character lookup, exact where the lookup is exact, OpenCC itself elsewhere.

    OpenCC converts by longest match over its phrase dictionary, then its character dictionary.  A phrase changes the
    output only where it converts one of its characters differently from that character alone; those characters
    (*phrase-sensitive*) are read from OpenCC's own dictionaries.  A string holding none of them (and no character
    outside the Basic Multilingual Plane, where OpenCC also normalises compatibility ideographs) converts exactly as
    the per-character table says; any other string is handed to OpenCC.  Built once per lexicon (~0.4 s).
    """

    __slots__ = ("_alphabet", "_convert", "_lut", "_mask", "_sensitive_set", "_table")

    def __init__(
        self,
        convert: Callable[[str], str],
        char_map: dict[str, str],
        sensitive: frozenset[str],
        alphabet: frozenset[str],
    ) -> None:
        import numpy as np

        self._convert = convert
        self._table = {ord(k): v for k, v in char_map.items()}
        lut = np.arange(0x10000, dtype=np.uint16)
        for k, v in char_map.items():
            lut[ord(k)] = ord(v)
        self._lut = lut
        # sensitive code units, surrogates included: a supplementary character is a surrogate pair in UTF-16
        mask = np.zeros(0x10000, dtype=bool)
        mask[[ord(c) for c in sensitive if ord(c) <= 0xFFFF]] = True
        mask[0xD800:0xE000] = True
        self._mask = mask
        self._sensitive_set = frozenset(sensitive)
        self._alphabet = alphabet

    @classmethod
    def build(cls, convert: Callable[[str], str], phrases: list[tuple[str, str]] | None) -> FastT2S | None:
        """From the converter and its phrase entries (None when they cannot be read: then there is no fast path)."""
        if phrases is None:
            return None
        # every BMP character but the surrogates and the line breaks (the table is computed one character a line)
        bmp = "".join(
            chr(c)
            for c in range(0x10000)
            if not 0xD800 <= c <= 0xDFFF
            and not chr(c).splitlines()[1:]
            and chr(c) + "x" == (chr(c) + "x").splitlines()[0]
        )
        full = _char_map(convert, bmp)
        char_map = {k: v for k, v in full.items() if len(v) == 1 and ord(v) <= 0xFFFF}
        # a character converted to several (or to a supplementary one) never takes the table path
        sensitive = {k for k in full if k not in char_map}
        alphabet = frozenset(c for key, _ in phrases for c in key)
        for key, value in phrases:
            if len(key) != len(value):
                sensitive.update(key)
                continue
            sensitive.update(a for a, b in zip(key, value, strict=True) if char_map.get(a, a) != b)
        return cls(convert, char_map, frozenset(sensitive), alphabet)

    def __call__(self, text: str) -> str:
        if len(text) < _NUMPY_MIN_CHARS:
            # a set scan and a translate (a big character class is slow to search with Python's re)
            if self._sensitive_set.isdisjoint(text) and _NOT_BMP_RE.search(text) is None:
                return text.translate(self._table)
            return self._convert(text)
        import numpy as np

        codes = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
        if not self._mask[codes].any():
            return self._lut[codes].tobytes().decode("utf-16-le")
        if len(text) < _PIECES_MIN_CHARS:
            return self._convert(text)
        return self._by_pieces(text)

    def _by_pieces(self, text: str) -> str:
        """Text with sensitive characters: OpenCC converts the runs of phrase characters around them, the table the
        rest (OpenCC's longest match never crosses a character that no phrase holds, so each run converts the same
        alone as inside the whole text)."""
        import numpy as np

        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        hits = np.flatnonzero((codes > 0xFFFF) | self._mask[np.minimum(codes, 0xFFFF)]).tolist()
        alphabet = self._alphabet
        n = len(text)
        parts: list[str] = []
        pos = 0
        for i in hits:
            if i < pos:
                continue  # inside the run of an earlier hit
            a, b = i, i + 1
            if text[i] in alphabet:
                while a > pos and text[a - 1] in alphabet:
                    a -= 1
                while b < n and text[b] in alphabet:
                    b += 1
            parts.append(self._by_table(text[pos:a]))
            parts.append(self._convert(text[a:b]))
            pos = b
        parts.append(self._by_table(text[pos:]))
        return "".join(parts)

    def _by_table(self, text: str) -> str:
        """The table conversion of text without sensitive characters (so all of it in the BMP, no surrogates)."""
        if len(text) < _NUMPY_MIN_CHARS:
            return text.translate(self._table)
        import numpy as np

        return self._lut[np.frombuffer(text.encode("utf-16-le"), dtype="<u2")].tobytes().decode("utf-16-le")


def _opencc_phrase_entries(config: str) -> list[tuple[str, str]] | None:
    """Every multi-character entry (key, first value) of the dictionaries an OpenCC configuration converts with, read
    with the ``opencc_dict`` tool that ships in OpenCC's wheel; None when the tool or the files are not there."""
    import json
    import os
    import subprocess
    import tempfile

    try:
        import opencc

        base = os.path.join(os.path.dirname(opencc.__file__), "clib")
        share = os.path.join(base, "share", "opencc")
        tool = os.path.join(base, "bin", "opencc_dict")
        with open(os.path.join(share, f"{config}.json"), encoding="utf-8") as f:
            conf = json.load(f)
        files: list[str] = []

        def collect(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "ocd2" and "file" in node:
                    files.append(node["file"])
                for v in node.values():
                    collect(v)
            elif isinstance(node, list):
                for v in node:
                    collect(v)

        collect(conf)
        out: list[tuple[str, str]] = []
        with tempfile.TemporaryDirectory() as tmp:
            for name in dict.fromkeys(files):
                dst = os.path.join(tmp, name + ".txt")
                subprocess.run(
                    [tool, "-i", os.path.join(share, name), "-o", dst, "-f", "ocd2", "-t", "text"],
                    check=True,
                    capture_output=True,
                    timeout=60,
                )
                with open(dst, encoding="utf-8") as f:
                    for line in f:
                        key, _, values = line.rstrip("\n").partition("\t")
                        if len(key) > 1 and values:
                            out.append((key, values.split(" ")[0]))
        return out if files else None
    except (OSError, ValueError, subprocess.SubprocessError, ImportError):
        return None


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


# pypinyin's toneless style: tone-marked vowels to plain ones, ü to v, and the few readings written with a combining
# tone mark (m̀, ê̄) or a toned ê (ế, ề) lose the mark (checked against pypinyin for every reading of its table)
_TONE_MARKS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿüếề",
    "aaaaeeeeiiiioooouuuuvvvvnnnmvêê",
    "\u0300\u0301\u0304\u030c",
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
