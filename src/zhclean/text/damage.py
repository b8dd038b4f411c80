"""Lossy damage: the marks a wrong decoding leaves when the bytes themselves are gone.

Unlike the mojibake in :mod:`zhclean.text.mojibake`, these spans cannot be decoded back: the bytes were replaced or
dropped.  They are reported as signals (:func:`find_lossy_damage`, :func:`score_lossy_damage`) so a pipeline can flag,
cut or drop a record.  Rules:

- ``lossy.replacement_char``: runs of U+FFFD (a decoder's replacement character).
- ``lossy.kunjinkao``: ``锟斤拷`` runs (U+FFFD's UTF-8 bytes ``EF BF BD`` pairs read as GBK and written back).
- ``lossy.debug_fill``: ``烫烫烫`` / ``屯屯屯`` (0xCC / 0xCD debug fill bytes of uninitialised buffers read as GBK).
- ``lossy.pua``: private-use code points U+E000–U+F8FF (GBK user-defined bytes, or a wrong reader's leftovers).
- ``lossy.question_in_cjk``: ``?`` between Han characters where a question mark does not fit (a run of two or
  more, or one not preceded by a question word or particle): what a decoder writes for an invalid pair.
- ``lossy.burst_tail``: a ``?py)`` tail left by an injector burst the repair could not undo.

Examples:
    >>> [(f.rule, f.text) for f in find_lossy_damage("中文\\ufffd\\ufffd和锟斤拷锟斤拷")]
    [('lossy.replacement_char', '\\ufffd\\ufffd'), ('lossy.kunjinkao', '锟斤拷锟斤拷')]
    >>> score_lossy_damage("今天天气很好。"), round(score_lossy_damage("今天??很好"), 2)
    (0.0, 0.33)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhclean.text.edits import Edit, Explained, rewrite

__all__ = [
    "MAX_PHRASE",
    "Finding",
    "find_lossy_damage",
    "has_lossy_damage",
    "repair_repeated_phrases_explained",
    "score_lossy_damage",
]

_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_PY = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A question mark that follows one of these is most likely genuine (the crawl folded ？ to ?): question particles and
# the last characters of question words (什么, 怎么样, 怎么办, 哪里, 哪儿, 多少, 多久), in both scripts.
_QUESTION_ENDS = "吗呢吧么嘛啊呀哪谁何怎样办里儿少久否哩嗎麼樣辦裡兒"

_RULES = (
    ("lossy.replacement_char", r"\ufffd+"),
    ("lossy.kunjinkao", r"(?:锟斤拷)+锟?"),
    ("lossy.debug_fill", r"烫{3,}|屯{3,}"),
    ("lossy.pua", r"[\ue000-\uf8ff]+"),
    ("lossy.burst_tail", rf"(?<=[{_HAN}])\?[{_PY}]{{1,7}}\)"),
    ("lossy.question_in_cjk", rf"(?<=[{_HAN}])(?:\?{{2,}}|(?<![{_QUESTION_ENDS}])\?)(?=[{_HAN}])"),
)
_DAMAGE_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_, p) in enumerate(_RULES)))
# Cheap literal tests first: most clean text holds none of these, and ``in`` runs at memory speed.
_LITERALS = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯", "?")
_PUA_RE = re.compile(r"[\ue000-\uf8ff]")


@dataclass(frozen=True, slots=True)
class Finding:
    """One lossy span: ``text[start:end]``, found by ``rule``."""

    rule: str
    start: int
    end: int
    text: str


def has_lossy_damage(text: str) -> bool:
    """True when :func:`find_lossy_damage` would find anything (cheap literal tests, then one character-class scan).

    >>> has_lossy_damage("今天天气很好。"), has_lossy_damage("烫烫烫烫")
    (False, True)
    """
    if any(lit in text for lit in _LITERALS):
        return _DAMAGE_RE.search(text) is not None
    return _PUA_RE.search(text) is not None


def find_lossy_damage(text: str) -> tuple[Finding, ...]:
    """All lossy spans, in text order.

    >>> find_lossy_damage("你好?吗")  # a question mark after 好 is not a question mark's place: flagged
    (Finding(rule='lossy.question_in_cjk', start=2, end=3, text='?'),)
    >>> find_lossy_damage("你好吗?我很好"), find_lossy_damage("what? ok")
    ((), ())
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    if not has_lossy_damage(text):
        return ()
    out = []
    for m in _DAMAGE_RE.finditer(text):
        rule = _RULES[int(m.lastgroup[1:])][0] if m.lastgroup else "lossy.unknown"
        out.append(Finding(rule, m.start(), m.end(), m.group()))
    return tuple(out)


def score_lossy_damage(text: str) -> float:
    """Fraction of the characters of ``text`` that lie in lossy spans: 0.0 = no lossy damage, 1.0 = all of it.

    >>> score_lossy_damage(""), score_lossy_damage("\\ufffd")
    (0.0, 1.0)
    """
    found = find_lossy_damage(text)
    if not found:
        return 0.0
    return sum(f.end - f.start for f in found) / len(text)


# -- optional repair from evidence in the same document ---------------------------------------------------------------

MAX_PHRASE = 12
"""Longest context (characters on each side) compared when looking for a repeated phrase that covers a lossy spot;
also bounds the work: each spot costs a few substring searches of at most this length."""

_MIN_CONTEXT = 2
"""A spot is repaired only when at least this many Han characters before it recur in the document followed by the
same context; fewer is too easily a coincidence."""


def repair_repeated_phrases_explained(text: str) -> Explained:
    """Fill a lossy ``?``/``!``/U+FFFD spot from a phrase repeated elsewhere in the same document.

    When the characters before the spot (at least :data:`_MIN_CONTEXT` Han characters, up to :data:`MAX_PHRASE`)
    occur elsewhere followed by other text, and the characters after the spot follow that text there too, the spot is
    replaced by that text (``lossy.repeated_phrase``, confidence < 1: the evidence is a repetition, not the bytes).
    Only spots flagged by :func:`find_lossy_damage` (U+FFFD, ``?`` in CJK) are considered.

    >>> doc = "我们举办了幸福家园活动。大家都说幸福家\\ufffd活动很好。"
    >>> ex = repair_repeated_phrases_explained(doc)
    >>> ex.text, ex.edits[0].rule, ex.edits[0].confidence < 1
    ('我们举办了幸福家园活动。大家都说幸福家园活动很好。', 'lossy.repeated_phrase', True)
    """
    edits: list[Edit] = []
    for f in find_lossy_damage(text):
        if f.rule not in ("lossy.replacement_char", "lossy.question_in_cjk"):
            continue
        fill = _fill_from_repeat(text, f.start, f.end)
        if fill is not None:
            edits.append(Edit("lossy.repeated_phrase", f.start, f.end, f.text, fill, 0.8))
    return rewrite(text, edits)


_HAN_RE = re.compile(f"[{_HAN}]")


def _fill_from_repeat(text: str, start: int, end: int) -> str | None:
    left = text[max(0, start - MAX_PHRASE) : start]
    k = 0
    while k < len(left) and _HAN_RE.match(left[len(left) - 1 - k]):
        k += 1
    if k < _MIN_CONTEXT:
        return None
    left = left[len(left) - k :]
    right = text[end : end + 2]
    if not right or not _HAN_RE.match(right[0]):
        return None
    # The longest left context first; among its other occurrences, one whose next 1–2 characters are followed by the
    # same right context gives the fill.
    for n in range(len(left), _MIN_CONTEXT - 1, -1):
        ctx = left[len(left) - n :]
        i = text.find(ctx)
        while i != -1:
            j = i + n
            if j != start:
                for gap in (1, 2):
                    seg = text[j : j + gap]
                    if text[j + gap : j + gap + len(right)] == right and all(
                        _HAN_RE.match(c) or c in "“”‘’" for c in seg
                    ):
                        return seg
            i = text.find(ctx, i + 1)
    return None
