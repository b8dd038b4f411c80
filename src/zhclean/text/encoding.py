"""Bytes to text: UTF-8 first, then a scored pass over the Chinese legacy encodings, charset-normalizer last.

Nothing is guessed silently: :func:`decode_bytes` returns a :class:`Decoded` that says which encoding was used, how
sure the choice is and why.  A declared charset (an HTML ``<meta charset>``, an HTTP header) is passed as ``hint``;
it breaks near-ties and is tried first, but bytes that contradict it win over it (mislabelled pages are common).

The Chinese pass decodes with GB18030, Big5 and Big5-HKSCS and scores each reading by how much of it is common Han
text: the share of non-ASCII characters that are in GB2312 level 1 or Big5 level 1 (the ~8,000 characters that make up
almost all running Chinese text in either script), minus the decoding errors and private-use code points.  The wrong
reading of GBK bytes as Big5 (or the reverse) lands mostly on rare characters, symbols and errors, so the scores are far
apart on real text (see :data:`MIN_CHINESE_SCORE`).

Examples:
    >>> decode_bytes("中文".encode("utf-8")).encoding
    'utf-8'
    >>> d = decode_bytes("今天天气很好，我们去公园散步。".encode("gbk"))
    >>> d.text, d.encoding
    ('今天天气很好，我们去公园散步。', 'gb18030')
    >>> decode_bytes("今天天氣很好，我們去公園散步。".encode("big5")).encoding
    'big5'
    >>> decode_bytes(b"plain ascii", hint="gbk").reason
    'ASCII only'
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

__all__ = ["CHINESE_CANDIDATES", "MAX_STRAY_UTF8", "MIN_CHINESE_SCORE", "SCORE_SAMPLE_BYTES", "Decoded", "decode_bytes"]

CHINESE_CANDIDATES = ("gb18030", "big5", "big5hkscs")
"""The legacy encodings the Chinese pass tries, in order of preference on a tie (GB18030 is a superset of GBK and
GB2312; Big5-HKSCS of Big5)."""

SCORE_SAMPLE_BYTES = 1 << 16
"""Only this many leading bytes are scored per candidate (the winner then decodes the whole input): the work of the
candidate pass is bounded, and 64 KB holds thousands of characters, far more than the scores need to separate."""

MIN_CHINESE_SCORE = 0.6
"""Below this score no Chinese reading is trusted and charset-normalizer (if installed) decides.  Measured on the
test sentences: a right reading of Chinese text scores 0.9–1.0, a wrong GBK/Big5 reading of it 0.0–0.3."""

MAX_STRAY_UTF8 = 0.01
"""Invalid sequences (per non-ASCII character) a document may hold and still be read as UTF-8.  A legacy-encoded
Chinese text read as UTF-8 fails on nearly every character (GBK/Big5 pairs are almost never valid UTF-8), so 1 % is far
from both sides."""

_NEAR_TIE = 0.05
"""Two scores closer than this are a tie: the hint, then the candidate order, decides."""

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5",
    "big-5": "big5",
    "cp950": "big5",
    "x-x-big5": "big5",
    "big5-hkscs": "big5hkscs",
    "big5hkscs": "big5hkscs",
}


def _common_han() -> frozenset[str]:
    """GB2312 level 1 (rows B0–D7) and Big5 level 1 (A440–C67E): the frequent characters of each script."""
    out: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for code in range(0xA440, 0xC67F):
        try:
            out.add(code.to_bytes(2, "big").decode("big5"))
        except UnicodeDecodeError:
            continue
    return frozenset(out)


_COMMON_HAN = _common_han()
# Full-width punctuation and CJK symbols also appear in every right reading.
_COMMON_MARKS = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』—…·　")


@dataclass(frozen=True, slots=True)
class Decoded:
    """The decoded text and how it was obtained.

    Attributes:
        text: the decoded text.
        encoding: the codec used (a Python codec name).
        confidence: in [0, 1]; 1.0 when the bytes admit only this reading (valid UTF-8, a BOM); at most 0.5 for a
            charset-normalizer guess.
        reason: one line saying why this encoding was chosen (scores of the runners-up included).
    """

    text: str
    encoding: str
    confidence: float
    reason: str


def _normalize(hint: str | None) -> str | None:
    if not hint:
        return None
    h = hint.strip().strip("\"'").lower().replace("_", "-")
    if h in ("utf8", "utf-8", "utf-8-sig"):
        return "utf-8"
    if h in _ALIASES:
        return _ALIASES[h]
    try:
        return codecs.lookup(h).name
    except LookupError:
        return None


def _family(codec: str) -> str:
    return "big5" if codec.startswith("big5") else codec


def _score(text: str, errors: int) -> float:
    """Share of non-ASCII characters that are common Han or CJK punctuation, less decoding errors and PUA (a 1.0 for
    text without non-ASCII characters)."""
    wide = [c for c in text if c > "\x7f"]
    if not wide:
        return 1.0
    good = sum(1 for c in wide if c in _COMMON_HAN or c in _COMMON_MARKS)
    pua = sum(1 for c in wide if "\ue000" <= c <= "\uf8ff")
    return max(0.0, (good - 2 * errors - pua) / (len(wide) + errors))


def _trial(data: bytes, codec: str) -> tuple[float, int]:
    """(score, error count) of one candidate on the sample."""
    sample = data[:SCORE_SAMPLE_BYTES]
    try:
        return _score(sample.decode(codec), 0), 0
    except UnicodeDecodeError:
        pass
    except LookupError:
        return 0.0, len(sample)
    text = sample.decode(codec, "replace")
    # the sample may cut the last character in two: that is not an error of the reading
    errors = text.rstrip("\ufffd").count("\ufffd")
    return _score(text, errors), errors


def _stray_ratio(data: bytes) -> float:
    """Invalid UTF-8 sequences per non-ASCII character (1.0 when there are fewer than 20 of those: too little to
    tell); C-speed string operations only."""
    text = data.decode("utf-8", "replace")
    wide = len(text) - len(text.encode("ascii", "ignore"))
    if wide < 20:
        return 1.0
    return (text.count("\ufffd") - data.count(b"\xef\xbf\xbd")) / wide


def _decode_full(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return data.decode(codec, "replace")


def _charset_normalizer(data: bytes) -> Any:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    try:
        return from_bytes(data[: SCORE_SAMPLE_BYTES * 4]).best()
    except Exception:  # a third-party fallback must not break a total function
        return None


def decode_bytes(data: bytes, *, hint: str | None = None, lexicon: Any = None) -> Decoded:
    """Decode ``data``: BOM, then strict UTF-8, then the best-scoring Chinese reading, then charset-normalizer.

    ``hint`` (a declared charset) is tried first and breaks ties, but never overrides what the bytes show.
    ``lexicon`` is accepted for interface symmetry with the text transforms; the scores here need no word model.

    >>> decode_bytes(b"\\xef\\xbb\\xbf\\xe4\\xb8\\xad").reason
    'UTF-8 byte-order mark'
    >>> d = decode_bytes("我们今天很好".encode("gbk"), hint="utf-8")
    >>> d.encoding, "utf-8 contradicted" in d.reason
    ('gb18030', True)
    >>> decode_bytes(b"abc\\xff\\xfe\\xfd\\x81").confidence <= 0.5  # a fallback guess is never confident
    True
    """
    del lexicon
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        return Decoded("", "utf-8", 1.0, "empty input")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_decode_full(data, "utf-8-sig"), "utf-8", 1.0, "UTF-8 byte-order mark")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_decode_full(data, "utf-16"), "utf-16", 1.0, "UTF-16 byte-order mark")
    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", 1.0, "ASCII only")
    want = _normalize(hint)
    notes = []
    try:
        text = data.decode("utf-8")
        return Decoded(text, "utf-8", 1.0, "valid UTF-8")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            return Decoded(data.decode("utf-8", "replace"), "utf-8", 0.95, "valid UTF-8 but for a cut last character")
        # a UTF-8 document with a few stray bytes (a cut, a pasted fragment) is still UTF-8: text in a legacy
        # encoding is almost never valid UTF-8 beyond a few characters
        if _stray_ratio(data[:SCORE_SAMPLE_BYTES]) <= MAX_STRAY_UTF8:
            text = data.decode("utf-8", "replace")
            bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
            ratio = _stray_ratio(data)
            if ratio <= MAX_STRAY_UTF8:
                conf = round(max(0.5, 0.95 - ratio), 4)
                return Decoded(text, "utf-8", conf, f"UTF-8 with {bad} invalid byte sequence(s) replaced by U+FFFD")
        if want == "utf-8":
            notes.append(f"hint utf-8 contradicted at byte {err.start}")

    order = list(CHINESE_CANDIDATES)
    if want and want != "utf-8":
        order = [want] + [c for c in order if c != want]
    trials = {codec: _trial(data, codec) for codec in order}
    ranked = sorted(order, key=lambda c: (-trials[c][0], order.index(c)))
    best = ranked[0]
    # the hint wins a near-tie
    if want in trials and trials[want][0] >= trials[best][0] - _NEAR_TIE:
        best = want
    score, errors = trials[best]
    runners = ", ".join(f"{c} {trials[c][0]:.2f}" for c in ranked if c != best)
    detail = f"{best} scores {score:.2f} common-Han ({runners})" + (f"; {errors} decoding errors" if errors else "")
    if want and want not in ("utf-8", best):
        notes.append(f"hint {want} scored {trials[want][0]:.2f}")
    if score >= MIN_CHINESE_SCORE:
        # Big5-HKSCS extends Big5: their readings of plain Big5 text agree, so they are not rivals
        second = max((trials[c][0] for c in ranked if _family(c) != _family(best)), default=0.0)
        confidence = round(min(0.99, 0.5 + (score - second)), 4) if second < score else 0.5
        return Decoded(_decode_full(data, best), best, max(confidence, 0.5), "; ".join([detail, *notes]))

    # Not Chinese: a declared charset the bytes do not contradict is the best evidence left, then charset-normalizer.
    if want and want not in CHINESE_CANDIDATES and want != "utf-8":
        try:
            return Decoded(
                data.decode(want), want, 0.6, f"declared {want} decodes strictly; no Chinese reading ({detail})"
            )
        except (UnicodeDecodeError, LookupError):
            notes.append(f"hint {want} does not decode")
    match = _charset_normalizer(data)
    if match is not None and match.encoding:
        codec = codecs.lookup(match.encoding).name
        chaos = float(getattr(match, "chaos", 0.5))
        reason = f"charset-normalizer chose {codec} (chaos {chaos:.2f}); no Chinese reading trusted ({detail})"
        return Decoded(_decode_full(data, codec), codec, round(max(0.05, min(0.5, 1.0 - chaos)), 4), reason)
    reason = f"no reading trusted ({detail}); UTF-8 with replacement characters"
    return Decoded(data.decode("utf-8", "replace"), "utf-8", 0.1, "; ".join([reason, *notes]))
