"""Mojibake: injector bursts at the GBK byte level, and classic UTF-8-as-GBK/Big5/Latin-1 mojibake.

Two independent repairs live here.

**Injector bursts.**  Some spam mirrors encode a page as GBK and run a byte-level, ``strtr``-like scanner that inserts
``(pīnyīn)`` after Traditional characters.  The scanner also matches a key at an odd byte offset, across
``[trail byte of P | lead byte of Q]``, and inserts the annotation *inside* Q.  The page is then decoded as GB18030
with glibc semantics: ``lead + '('`` is invalid and becomes one ``?`` that consumes both bytes.  What is left is a
burst: ``P?py)`` followed by a *run* of characters decoded one byte late (often rare characters, PUA code points from
the GBK user-defined area, or ⻊-type GB18030 mappings) until the decoding resynchronises.  The repair:

1. recovers the lost lead byte ``x`` of Q from the pinyin: the key character ``[trail(P), x]`` must be
   Traditional-only and its primary reading must equal ``py`` (this is also what keeps ordinary ``what?abc)`` text
   safe);
2. re-encodes the run as GB18030 and decodes it again one byte earlier, until both decodings share a boundary;
3. handles every way a run ends: an ASCII trail byte 0x40–0x7E (nothing lost); ``?py)`` (the last character was
   itself annotated: its trail byte is recovered from that pinyin); a bare ``?`` (the trail byte and one ASCII byte
   are lost: the character is chosen by a word-frequency model and the ASCII byte is written as a space);
4. skips chained insertions (a run character followed by its own ``(py)``: another false key match).

Ambiguities (two lead bytes giving the same reading, several trail bytes) are ranked by a unigram word model built
from jieba's dictionary (through the :class:`~zhclean.text.lexicon.Lexicon`), scored on the candidate in context.

**Classic mojibake.**  UTF-8 bytes decoded as GBK/GB18030 (``涓枃`` → 中文) or Big5, GBK bytes decoded as Latin-1 or
cp1252 (``ÖÐ»ª`` → 中华), UTF-8 decoded as Latin-1/cp1252 (``ä¸­æ–‡`` → 中文, through ftfy's encoding fixer only), and
double encodings.  Each suspicious span is re-decoded strictly; a candidate is accepted only when a Chinese
plausibility score says it is clearly better (see :data:`CLASSIC_MARGIN`).

Both repairs return at once, without a per-character Python loop, on text that shows no evidence
(:func:`has_mojibake_hint`).

Examples:
    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> repair_bursts("政府決(jué)定加?hòng)姯h(huán)境保護", lexicon=lex)
    '政府決(jué)定加強環(huán)境保護'
    >>> repair_mojibake("浠婂ぉ澶╂皵寰堝ソ", lexicon=lex)
    '今天天气很好'
    >>> repair_bursts("what?abc) and 中文?lián)", lexicon=lex)
    'what?abc) and 中文?lián)'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from zhclean.text.edits import Edit, Explained, rewrite
from zhclean.text.lexicon import Lexicon

__all__ = [
    "CLASSIC_MARGIN",
    "MAX_BURST_RUN",
    "MAX_SEGMENT_CHARS",
    "has_burst_hint",
    "has_classic_hint",
    "has_mojibake_hint",
    "repair_bursts",
    "repair_bursts_explained",
    "repair_mojibake",
    "repair_mojibake_explained",
]

# -- tuning constants -------------------------------------------------------------------------------------------------

MAX_BURST_RUN = 64
"""Most characters a burst's mis-decoded run may span before the repair gives up on it.  Observed runs are 0–6
characters (a GBK extension character's ASCII-range trail byte resynchronises the decoding with probability ~1/3 per
character); 64 bounds the work on adversarial input while leaving a wide safety margin."""

MAX_SEGMENT_CHARS = 4096
"""Cap for the classic repair: a span longer than this is cut into pieces of at most this many characters, so the work
per span (re-encoding and scoring) is bounded.  Mojibake spans are lines or paragraphs; 4096 covers a long paragraph."""

CLASSIC_MARGIN = 3.0
"""Minimum gain, in nats per non-ASCII character of the candidate, of the log-probability (:func:`_text_logprob`) that
a classic re-decoding must show over the text as it stands.  Calibrated on this package's test sentences: repairing a
genuine mojibake span gains 8–25 nats per character (a misread run has more characters than its repair, each scoring
−12 to −20), while the rare strict re-decodings of clean text lose score; 3.0 leaves a wide margin on both sides."""

CLASSIC_MIN_SCORE = -9.0
"""A candidate holding Han characters must also look like Chinese on its own: a mean log-probability per non-ASCII
character (:func:`_plausibility`) of at least this.  Measured: clean sentences score −2 to −7 (common words), genuine
runs of rare characters −7.5 to −12.5, mojibake −13 to −15, and a string of common characters without words (what a
wrong reader of valid bytes produces, e.g. UTF-8 read as GBK read as Latin-1) about −12."""

LOST_ASCII_PRIOR = 0.9
"""Probability that a byte lost at the end of a burst was a space.  The byte must be 0x00–0x3F or 0x7F; in the pages
studied it is a space, the remaining mass covers newlines, digits and ASCII punctuation."""

_CONTEXT = 6
"""Characters of context on each side of a burst when ranking candidates: enough for the words that decide a
candidate (jieba words are mostly 2–4 characters), little enough to keep scoring cheap."""

_MAX_WORD = 8
"""Longest word looked up in the segmentation model (jieba's dictionary holds few longer words)."""

_UNKNOWN_LOGP = -20.0
"""Log-probability charged for a non-Han, non-ASCII character in the plausibility score: about what an unseen Han
character costs under the smoothed jieba model (log(0.1 / 6e7) ≈ −20.2)."""

# -- character classes ------------------------------------------------------------------------------------------------

_PY = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_BURST_RE = re.compile(rf"\?([{_PY}]{{1,7}})\)")
_ANNOT_RE = re.compile(rf"\(([{_PY}]{{1,7}})\)")
# A pinyin syllable: optional initial, a vowel cluster, optional nasal coda; plus the syllabic nasals.
_SYLLABLE_RE = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouvüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,4}(?:ng|n|r)?"
    r"|[mḿ]|[nńňǹ]g?|hm|hng)"
)
_PUA_RE = re.compile("[\ue000-\uf8ff\ufffd]")
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _decode_set(codec: str, leads: range, trails: range) -> str:
    out = []
    for a in leads:
        for b in trails:
            try:
                out.append(bytes([a, b]).decode(codec))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(set(out)))


# UTF-8 lead bytes of the BMP's CJK/punctuation blocks (E2–EF) followed by a continuation byte, as GBK and as Big5
# decode them: the characters that start every other misread UTF-8 character.  They are 0.3 % of the characters of
# clean Simplified text, so the hint asks for two of them close together, one of them "strong": not among Big5's
# frequent characters (level 1, A440–C67E), which clean Traditional text uses all the time (項, 陳, 電 …).
_GBK_LEADTYPE = _decode_set("gbk", range(0xE2, 0xF0), range(0x80, 0xC0))
_BIG5_LEADTYPE = _decode_set("big5", range(0xE2, 0xF0), range(0xA1, 0xC0))


def _is_big5_frequent(ch: str) -> bool:
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xA440 <= int.from_bytes(b, "big") <= 0xC67E


_LEADTYPE = re.escape("".join(sorted(set(_GBK_LEADTYPE + _BIG5_LEADTYPE))))
_STRONG = re.escape("".join(sorted(c for c in set(_GBK_LEADTYPE + _BIG5_LEADTYPE) if not _is_big5_frequent(c))))
_CP1252_HIGH = "".join(sorted({bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xA0)} - {""}))
_LATIN_HIGH = "\u0080-\u00ff" + re.escape(_CP1252_HIGH)
# One leading character class (so the regex engine scans with a single set test per character, ~500 MB/s), then the
# context checks: a lead-type character within three characters on either side, or a second high Latin-1 character.
_CLASSIC_HINT_RE = re.compile(
    rf"[{_STRONG}\u00c0-\u00ff](?:(?<=[{_STRONG}])(?:[^\n]{{0,3}}[{_LEADTYPE}]"
    + "".join(rf"|(?<=[{_LEADTYPE}][^\n]{{{k}}}.)" for k in range(4))
    + rf")|(?<=[\u00c0-\u00ff])[{_LATIN_HIGH}])"
)
# Spans the classic repair re-decodes.  Non-ASCII runs for the GB/Big5 readers (a misread ASCII trail byte hides inside
# a character, so ASCII never sits inside a run), and lead/trail pairs for the single-byte readers.
_WIDE_RUN_RE = re.compile(r"[^\x00-\x7f]+")
# A run is lead/trail byte pairs (a GBK trail byte may be ASCII 0x40–0x7E), plus an odd last byte for UTF-8.  It starts
# on a Latin-1 letter or sign (U+00A1–U+00FF), never on cp1252's punctuation (—, “, …), which Chinese text uses alone.
_LATIN_RUN_RE = re.compile(
    rf"[\u00a1-\u00ff][{_LATIN_HIGH}\x40-\x7e](?:[{_LATIN_HIGH}][{_LATIN_HIGH}\x40-\x7e])*[{_LATIN_HIGH}]?"
)


# -- hints ------------------------------------------------------------------------------------------------------------


def has_burst_hint(text: str) -> bool:
    """True when ``text`` holds a ``?py)`` event an injector burst would leave (a cheap regex test).

    >>> has_burst_hint("表示?mín)乐"), has_burst_hint("你好?"), has_burst_hint("中文")
    (True, False, False)
    """
    return "?" in text and _BURST_RE.search(text) is not None


def has_classic_hint(text: str) -> bool:
    """True when ``text`` shows the character patterns of UTF-8 misread as GBK/Big5 or of any misread as Latin-1.

    >>> has_classic_hint("涓枃鐨勪"), has_classic_hint("ÖÐ»ª"), has_classic_hint("中文的文本"), has_classic_hint("café")
    (True, True, False, False)
    """
    return _CLASSIC_HINT_RE.search(text) is not None


def has_mojibake_hint(text: str) -> bool:
    """True when either repair might apply; clean text costs two C-level scans.

    >>> has_mojibake_hint("今天天气很好，我们去公园。"), has_mojibake_hint("越?juàn)碓椒")
    (False, True)
    """
    return has_burst_hint(text) or has_classic_hint(text)


# -- scoring ----------------------------------------------------------------------------------------------------------


def _segment_logprob(s: str, lexicon: Lexicon) -> float:
    """Best unigram segmentation log-probability of a Han string under jieba's counts (a DAG like jieba's own)."""
    freq = lexicon.word_freq
    n = len(s)
    best = [0.0] + [-math.inf] * n
    for i in range(n):
        base = best[i]
        for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
            w = s[i:j]
            f = freq.get(w)
            if f is None and j > i + 1:
                break  # jieba stores every prefix of a word (with count 0): no longer word starts here
            if j > i + 1 and not f:
                continue
            lp = base + lexicon.word_logprob(w)
            best[j] = max(best[j], lp)
    return best[n]


def _text_logprob(s: str, lexicon: Lexicon) -> tuple[float, int]:
    """(log-probability, non-ASCII character count) of ``s``: Han runs by the segmentation model, every other non-ASCII
    character at :data:`_UNKNOWN_LOGP`, ASCII free (it is the same on both sides of any comparison made here)."""
    total = 0.0
    han = 0
    for m in _HAN_RUN_RE.finditer(s):
        total += _segment_logprob(lexicon.t2s(m.group()), lexicon)
        han += m.end() - m.start()
    wide = sum(1 for c in s if ord(c) > 0x7F)
    total += (wide - han) * _UNKNOWN_LOGP
    return total, wide


def _plausibility(s: str, lexicon: Lexicon) -> float:
    """Mean log-probability per non-ASCII character (higher = more like Chinese text); 0.0 for pure ASCII."""
    lp, n = _text_logprob(s, lexicon)
    return lp / n if n else 0.0


def _posteriors(scores: list[float]) -> list[float]:
    top = max(scores)
    w = [math.exp(s - top) for s in scores]
    z = sum(w)
    return [x / z for x in w]


# -- injector bursts --------------------------------------------------------------------------------------------------


def _gb_bytes(ch: str) -> bytes:
    try:
        return ch.encode("gb18030")
    except UnicodeEncodeError:  # lone surrogates
        return b""


def _gb_char(a: int, b: int) -> str:
    """The GBK character of the byte pair ``[a, b]``, or '' when the pair is not one."""
    try:
        return bytes([a, b]).decode("gb18030")
    except UnicodeDecodeError:
        return ""


def _annotated_chars(lead: int, py: str, lexicon: Lexicon, trails: range) -> list[int]:
    """Bytes ``t`` such that ``[lead, t]`` is a Traditional-only character whose primary reading is ``py``: the
    characters an injector table can hold (it annotates only characters that differ between the scripts)."""
    out = []
    for t in trails:
        if t == 0x7F:
            continue
        ch = _gb_char(lead, t)
        if len(ch) == 1 and lexicon.is_traditional_only(ch) and lexicon.primary_reading(ch) == py:
            out.append(t)
    return out


@dataclass(frozen=True, slots=True)
class _Burst:
    """One parsed burst: ``text[start:end]`` (from the ``?`` to the end of the run, end marker included)."""

    start: int
    end: int
    leads: tuple[int, ...]  # candidate lost lead bytes x of the first character
    body: bytes  # the run re-encoded (bytes after x), chained annotations removed
    kind: str  # "sync" (resynchronised, nothing lost) | "annotated" (?py) end) | "lost" (bare ? end)
    end_py: str  # the pinyin of an "annotated" end
    marker: int  # index of the end '?' for "annotated"/"lost"


def _parse_burst(text: str, m: re.Match[str], lexicon: Lexicon) -> _Burst | None:
    k = m.start()
    if k == 0:
        return None
    pb = _gb_bytes(text[k - 1])
    py = m.group(1)
    if len(pb) != 2 or pb[1] < 0x81 or not _SYLLABLE_RE.fullmatch(py):
        return None
    leads = _annotated_chars(pb[1], py, lexicon, range(0x81, 0xFF))
    if not leads:
        return None
    body = bytearray()
    aligned = 0  # the true decoding's position in x + body (x counts as byte 0)
    j = m.end()
    n = len(text)
    chars = 0
    last = ""
    while j < n and chars <= MAX_BURST_RUN:
        c = text[j]
        if c == "?":
            # [trail(Y), ASCII] was invalid: Y's lead must be the one byte the true decoding has not used yet.
            if aligned != len(body):
                return None
            m2 = _BURST_RE.match(text, j)
            if m2 and _SYLLABLE_RE.fullmatch(m2.group(1)):
                return _Burst(k, m2.end(), tuple(leads), bytes(body), "annotated", m2.group(1), j)
            return _Burst(k, j + 1, tuple(leads), bytes(body), "lost", "", j)
        if c == "(" and last:
            # A chained false match: the mis-paired character is itself a table key and got its own annotation.
            m3 = _ANNOT_RE.match(text, j)
            if not (m3 and lexicon.is_traditional_only(last) and lexicon.primary_reading(last) == m3.group(1)):
                return None
            j = m3.end()
            last = ""
            continue
        b = _gb_bytes(c)
        if not b or (len(b) == 1 and not 0x40 <= b[0] <= 0x7E):
            return None  # a byte that cannot be a trail here: not a burst we understand
        body += b
        j += 1
        chars += 1
        last = c if len(b) == 2 else ""
        # advance the true (one byte earlier) decoding over the bytes now known: 1-byte ASCII, else 2-byte GBK
        while aligned < len(body) + 1:
            first = body[aligned - 1] if aligned else 0x81  # x is a lead byte
            step = 1 if first < 0x80 else 2
            if aligned + step > len(body) + 1:
                break
            aligned += step
        if aligned == len(body) + 1:
            return _Burst(k, j, tuple(leads), bytes(body), "sync", "", -1)
    return None


def _decode_run(data: bytes) -> str:
    """Strict GB18030 decoding; '' when the bytes do not decode to plausible text (invalid, PUA or U+FFFD)."""
    try:
        s = data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "" if _PUA_RE.search(s) else s


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    left = _ANNOT_RE.sub("", text[max(0, start - 3 * _CONTEXT) : start])[-_CONTEXT:]
    right = _ANNOT_RE.sub("", text[end : end + 3 * _CONTEXT])[:_CONTEXT]
    return left, right


def _burst_edits(text: str, burst: _Burst, lexicon: Lexicon) -> list[Edit]:
    """Candidates for one burst, ranked in context; the edits for the best one (empty when none decodes)."""
    # Each candidate: (head, tail) where head replaces text[start:marker or end] and tail replaces the lost '?'.
    cands: list[tuple[str, str]] = []
    for x in burst.leads:
        data = bytes([x]) + burst.body
        if burst.kind == "sync":
            head = _decode_run(data)
            if head:
                cands.append((head, ""))
            continue
        if burst.kind == "annotated":
            for t in _annotated_chars(data[-1], burst.end_py, lexicon, range(0x40, 0xFF)):
                head = _decode_run(data + bytes([t]))
                if head:
                    cands.append((head, ""))
            continue
        head = _decode_run(data[:-1]) if len(data) > 1 else ""
        if len(data) > 1 and not head:
            continue
        for t in range(0x80, 0xFF):
            y = _gb_char(data[-1], t)
            if len(y) == 1 and not _PUA_RE.match(y):
                cands.append((head, y))
    if not cands:
        return []
    left, right = _context(text, burst.start, burst.end)
    scores = [_segment_logprob(lexicon.t2s(left + h + y + right), lexicon) for h, y in cands]
    post = _posteriors(scores)
    order = sorted(range(len(cands)), key=lambda i: (-scores[i], cands[i]))
    best_head, best_tail = cands[order[0]]
    head_post: dict[str, float] = {}
    for (h, _), p in zip(cands, post, strict=True):
        head_post[h] = head_post.get(h, 0.0) + p
    head_alts = tuple(dict.fromkeys(cands[i][0] for i in order if cands[i][0] != best_head))[:3]
    head_conf = 1.0 if len(head_post) == 1 else head_post[best_head]
    if burst.kind != "lost":
        before = text[burst.start : burst.end]
        return [Edit("mojibake.injector_burst", burst.start, burst.end, before, best_head, head_conf, head_alts)]
    edits = []
    before = text[burst.start : burst.marker]
    edits.append(Edit("mojibake.injector_burst", burst.start, burst.marker, before, best_head, head_conf, head_alts))
    tails = [(cands[i][1], post[i]) for i in order if cands[i][0] == best_head]
    z = sum(p for _, p in tails)
    tail_conf = min(tails[0][1] / z, 1.0) * LOST_ASCII_PRIOR
    tail_alts = tuple(y + " " for y, _ in tails[1:4])
    edits.append(
        Edit("mojibake.injector_lost_byte", burst.marker, burst.end, "?", best_tail + " ", tail_conf, tail_alts)
    )
    return edits


def repair_bursts_explained(text: str, *, lexicon: Lexicon) -> Explained:
    """Repair injector bursts (``加?hòng)姯h(huán)…``), with one edit per repaired burst (two when bytes were lost).

    Each burst's own pinyin is consumed: it is evidence of the byte layout, not text.  A byte lost at a run's end is
    chosen by the word model (``mojibake.injector_lost_byte``, confidence < 1, runners-up in ``alternatives``) and the
    lost ASCII byte is written as a space.

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> ex = repair_bursts_explained("交通也越?juàn)碓椒奖?", lexicon=lex)
    >>> ex.text
    '交通也越來越方便 '
    >>> [(e.rule, e.before, e.after) for e in ex.edits]
    [('mojibake.injector_burst', '?juàn)碓椒奖', '來越方'), ('mojibake.injector_lost_byte', '?', '便 ')]
    >>> ex.edits[1].confidence < 1 and len(ex.edits[1].alternatives) > 0
    True
    >>> repair_bursts_explained("a?b) 你好?nǐ) (hǎo)", lexicon=lex).edits
    ()
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    if not has_burst_hint(text):
        return Explained(text, ())
    edits: list[Edit] = []
    pos = 0
    for m in _BURST_RE.finditer(text):
        if m.start() < pos:
            continue
        burst = _parse_burst(text, m, lexicon)
        if burst is None:
            continue
        found = _burst_edits(text, burst, lexicon)
        if found:
            edits.extend(found)
            pos = burst.end
    return rewrite(text, edits)


def repair_bursts(text: str, *, lexicon: Lexicon) -> str:
    """:func:`repair_bursts_explained` without the edits.

    >>> from zhclean.text.lexicon import Lexicon
    >>> repair_bursts("國際社會對此表示?mín)乐仃P切", lexicon=Lexicon.load())
    '國際社會對此表示嚴重關切'
    """
    return repair_bursts_explained(text, lexicon=lexicon).text


# -- classic mojibake -------------------------------------------------------------------------------------------------

_LEADTYPE_RE = re.compile(f"[{_LEADTYPE}]")
# cp1252's 0x80–0x9F characters back to the code point Latin-1 gives the same byte, so one Latin-1 encode serves both
# readers (and the "sloppy" mix of the two that browsers produce).
_CP1252_TO_LATIN1 = {
    ord(bytes([b]).decode("cp1252")): b for b in range(0x80, 0xA0) if bytes([b]).decode("cp1252", "ignore")
}
# (codec the text was misread with, codec of the true bytes, rule id)
_WIDE_READERS = (("gb18030", "utf-8", "mojibake.utf8_as_gbk"), ("cp950", "utf-8", "mojibake.utf8_as_big5"))
_LATIN_TARGETS = (
    ("utf-8", "mojibake.utf8_as_latin1"),
    ("gb18030", "mojibake.gbk_as_latin1"),
    ("cp950", "mojibake.big5_as_latin1"),
)


def _latin_bytes(s: str) -> bytes:
    try:
        return s.translate(_CP1252_TO_LATIN1).encode("latin-1")
    except UnicodeEncodeError:
        return b""


def _strict(data: bytes, codec: str) -> str:
    try:
        s = data.decode(codec)
    except UnicodeDecodeError:
        return ""
    return "" if _PUA_RE.search(s) or any(ord(c) < 0x20 and c not in "\t\n\r" for c in s) else s


def _accept(before: str, after: str, lexicon: Lexicon) -> bool:
    """The acceptance test of every classic candidate: a gain of :data:`CLASSIC_MARGIN` nats per non-ASCII character
    of the candidate, and, when the candidate holds Han characters, an absolute plausibility of at least
    :data:`CLASSIC_MIN_SCORE`."""
    if not after or after == before:
        return False
    lp_b, _ = _text_logprob(before, lexicon)
    lp_a, n_a = _text_logprob(after, lexicon)
    if n_a == 0 or (lp_a - lp_b) / n_a < CLASSIC_MARGIN:
        return False
    han = sum(m.end() - m.start() for m in _HAN_RUN_RE.finditer(after))
    return han == 0 or (han >= 2 and lp_a / n_a >= CLASSIC_MIN_SCORE)


def _wide_edit(text: str, start: int, end: int, lexicon: Lexicon) -> Edit | None:
    """Re-decode a non-ASCII run misread by a GB/Big5 reader.  The whole run first; else the span between its first
    and last hint characters, each end moved by up to two characters (a run may hold clean text next to the damage)."""
    run = text[start:end]
    hints = [m.start() for m in _LEADTYPE_RE.finditer(run)]
    if len(hints) < 2:
        return None
    spans = [(0, len(run))]
    lo, hi = hints[0], hints[-1] + 1
    spans += [(a, b) for a in range(max(0, lo - 2), lo + 1) for b in range(hi, min(len(run), hi + 2) + 1)]
    best: tuple[float, Edit] | None = None
    for a, b in dict.fromkeys(spans):
        piece = run[a:b]
        for reader, truth, rule in _WIDE_READERS:
            try:
                data = piece.encode(reader)
            except UnicodeEncodeError:
                continue
            cand = _strict(data, truth)
            if len(cand) < 2 or not _accept(piece, cand, lexicon):
                continue
            gain = _text_logprob(cand, lexicon)[0] - _text_logprob(piece, lexicon)[0]
            if best is None or gain > best[0]:
                best = (gain, Edit(rule, start + a, start + b, piece, cand))
        if best is not None and (a, b) == (0, len(run)):
            break  # the whole run decodes: no need to look for a sub-span
    return best[1] if best else None


def _latin_edit(text: str, start: int, end: int, lexicon: Lexicon) -> Edit | None:
    """Re-decode a run misread by a Latin-1/cp1252 reader: strict UTF-8, GB18030 and Big5 readings, then ftfy's
    encoding fixer (its other fixes stay off: they would fold Chinese punctuation and quotes)."""
    run = text[start:end]
    data = _latin_bytes(run)
    cands: list[tuple[str, str]] = []
    if data:
        for codec, rule in _LATIN_TARGETS:
            cand = _strict(data, codec)
            if cand:
                cands.append((cand, rule))
    if not cands:
        import ftfy

        fixed = ftfy.fix_encoding(run)
        if fixed != run:
            cands.append((fixed, "mojibake.utf8_as_latin1"))
    # Valid multi-byte UTF-8 is strong structural evidence on its own, so a UTF-8 reading that passes wins outright
    # (this is also what peels a double encoding one layer at a time); otherwise the best-scoring reading that passes.
    accepted = [(c, r) for c, r in cands if _accept(run, c, lexicon)]
    if not accepted:
        return None
    utf8 = [(c, r) for c, r in accepted if r == "mojibake.utf8_as_latin1"]
    cand, rule = utf8[0] if utf8 else max(accepted, key=lambda cr: _text_logprob(cr[0], lexicon)[0])
    return Edit(rule, start, end, run, cand)


def _classic_pass(text: str, lexicon: Lexicon) -> Explained:
    edits: list[Edit] = []
    for m in _WIDE_RUN_RE.finditer(text):
        for s in range(m.start(), m.end(), MAX_SEGMENT_CHARS):
            e = _wide_edit(text, s, min(m.end(), s + MAX_SEGMENT_CHARS), lexicon)
            if e is not None:
                edits.append(e)
    for m in _LATIN_RUN_RE.finditer(text):
        if sum(1 for c in m.group() if c > "\x7f") < 2:
            continue
        for s in range(m.start(), m.end(), MAX_SEGMENT_CHARS):
            e = _latin_edit(text, s, min(m.end(), s + MAX_SEGMENT_CHARS), lexicon)
            if e is not None:
                edits.append(e)
    return rewrite(text, edits)


def repair_mojibake_explained(text: str, *, lexicon: Lexicon) -> Explained:
    """Repair classic mojibake span by span; a second pass undoes a double encoding.

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> ex = repair_mojibake_explained("标题: 浣犲ソ涓栫晫", lexicon=lex)
    >>> ex.text, [e.rule for e in ex.edits]
    ('标题: 你好世界', ['mojibake.utf8_as_gbk'])
    >>> repair_mojibake("ÖÐ»ª", lexicon=lex), repair_mojibake("ä¸­æ–‡", lexicon=lex)
    ('中华', '中文')
    >>> repair_mojibake("Ã¤Â¸Â­Ã¦â€“â€¡", lexicon=lex)
    '中文'
    >>> repair_mojibake("繁體中文與簡體中文", lexicon=lex)
    '繁體中文與簡體中文'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    out = Explained(text, ())
    for _ in range(2):
        if not has_classic_hint(out.text):
            break
        step = _classic_pass(out.text, lexicon)
        if not step.edits:
            break
        out = out.then(step)
    return out


def repair_mojibake(text: str, *, lexicon: Lexicon) -> str:
    """:func:`repair_mojibake_explained` without the edits.

    >>> from zhclean.text.lexicon import Lexicon
    >>> repair_mojibake("鎴戜滑浠婂ぉ寰堝ソ", lexicon=Lexicon.load())
    '我们今天很好'
    """
    return repair_mojibake_explained(text, lexicon=lexicon).text
