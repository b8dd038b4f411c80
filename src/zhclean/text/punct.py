"""Undo the NFKC folding of Chinese punctuation: ``,:;!?()`` next to Chinese text back to ``，：；！？（）``.

The web crawl that stored the mirror pages applied NFKC, which folds full-width punctuation to ASCII.  Mainland text
writes these marks full width, so once a page has been restored to mainland Simplified the width can be put back by
rule.  The rule is deliberately narrow: a mark is widened only when it touches a Chinese character on the side that
matters and does not sit between Latin letters or digits (``1,000``, ``10:45``, ``f(x)``), inside a URL, or inside
an inline-code span.  Parentheses are widened as a pair, and only when the pair holds Chinese text.  ``?`` is widened
only where it ends a sentence: inside a run of Chinese characters it is more likely a loss marker left by damage,
and that must stay visible.

The restore pipeline calls this only on documents it judged to be restored mainland text; genuine Traditional and
clean documents are never touched.  NFKC maps every output mark back to the input one, so an NFKC-based comparison
cannot get worse.

Examples:
    >>> restore_fullwidth_punct("来源:中国台湾网,记者(实习)报道!")
    '来源：中国台湾网，记者（实习）报道！'
    >>> restore_fullwidth_punct("10:45:00, 1,000 元 f(x) 与 https://a.cn/?q=1,2 (GDP)")
    '10:45:00, 1,000 元 f(x) 与 https://a.cn/?q=1,2 (GDP)'
"""

from __future__ import annotations

import re

from zhclean.text.edits import Explained, apply_spans, rewrite_spans

DEFAULT_MARKS = ",:;!?()"
"""The ASCII marks that are widened (a subset may be configured)."""

_WIDE = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# Spans never touched: URLs, e-mail addresses, inline code.
_PROTECTED_RE = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+\.\w+|`[^`\n]*`")
# The alternatives of _PROTECTED_RE with the literal each needs; a text without that literal cannot match it, so the
# pattern of the alternatives whose literal occurs finds exactly the same spans (and skips the costly \S+@ scan
# through long space-free Chinese lines).
_PROTECTED_PARTS = (
    ("://", r"(?:https?|ftp)://\S+"),
    ("www.", r"www\.\S+"),
    ("@", r"\S+@\S+\.\w+"),
    ("`", r"`[^`\n]*`"),
)
_PROTECTED_BY_KEY: dict[tuple[bool, ...], re.Pattern[str] | None] = {}


def _protected_re(text: str) -> re.Pattern[str] | None:
    key = tuple(lit in text for lit, _ in _PROTECTED_PARTS)
    if key not in _PROTECTED_BY_KEY:
        parts = [p for (_, p), on in zip(_PROTECTED_PARTS, key, strict=True) if on]
        _PROTECTED_BY_KEY[key] = re.compile("|".join(parts)) if parts else None
    return _PROTECTED_BY_KEY[key]
# A '?' ends a sentence when what follows is a space, a line end, the text end, a closing quote or another mark.
_SENTENCE_END_FOLLOW = frozenset(" \t\n\r”’」』)）!?！？")
_MARK_RE = re.compile(r"[,:;!?()\n]")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_RULE = "punct.fullwidth"
# Sentence-final particles after which a '?' is a question mark even when Chinese text follows.
_QUESTION_PARTICLES = frozenset("吗呢吧么嘛啊呀哪谁")
# Full-width parentheses do not count as Chinese context: the pass widens ASCII ones itself, and a neighbour must
# look the same before and after the pass for the rule to be idempotent.
_CJK_PUNCT = frozenset("，。、；：！？“”‘’《》〈〉「」『』【】…—·")


def _is_han(ch: str) -> bool:
    if len(ch) != 1:
        return False
    c = ord(ch)
    return 0x3400 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x3134F


def _is_cjk(ch: str) -> bool:
    return _is_han(ch) or ch in _CJK_PUNCT


def _is_latin_or_digit(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def restore_fullwidth_punct_explained(text: str, *, marks: str = DEFAULT_MARKS) -> Explained:
    """Widen ASCII punctuation that belongs to Chinese text (rule ``punct.fullwidth``).

    Args:
        text: any string (meant for restored mainland text).
        marks: which of ``,:;!?()`` to widen.

    Returns:
        The text with those marks widened, one edit per mark.

    >>> e = restore_fullwidth_punct_explained("你好,世界")
    >>> e.text, e.edits[0].rule
    ('你好，世界', 'punct.fullwidth')
    >>> restore_fullwidth_punct("真的?吗", marks=",")
    '真的?吗'
    """
    return rewrite_spans(text, _punct_spans(text, marks))


def _punct_spans(text: str, marks: str) -> list[tuple[int, int, str, str, str]]:
    """The marks :func:`restore_fullwidth_punct_explained` widens, as ``rewrite_spans`` tuples."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first")
    wanted = {m for m in marks if m in _WIDE}
    if not wanted or not any(m in text for m in wanted):
        return []
    # protected spans, in order (the marks are visited left to right, so one cursor walks them)
    protected_re = _protected_re(text)
    guards = [(m.start(), m.end()) for m in protected_re.finditer(text)] if protected_re is not None else []
    g = 0
    n = len(text)
    spans: list[tuple[int, int, str, str, str]] = []
    stack: list[int] = []
    widened: set[int] = set()
    for m in _MARK_RE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            stack.clear()
            continue
        while g < len(guards) and guards[g][1] <= i:
            g += 1
        if g < len(guards) and guards[g][0] <= i:
            continue
        # the left neighbour as it will be written (a mark widened just before counts as Chinese punctuation)
        prev = (_WIDE[text[i - 1]] if i - 1 in widened else text[i - 1]) if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "(":
            stack.append(i)
            continue
        if ch == ")":
            if stack:
                j = stack.pop()
                inner = text[j + 1 : i]
                if "(" in wanted and _HAN_RE.search(inner) and not (protected_re and protected_re.search(inner)):
                    widened.add(j)
                    spans.append((j, j + 1, "(", "（", _RULE))
                    widened.add(i)
                    spans.append((i, i + 1, ")", "）", _RULE))
            continue
        if ch not in wanted:
            continue
        if _is_latin_or_digit(prev) and (_is_latin_or_digit(nxt) or not nxt):
            continue
        if ch == "?":
            if prev and _is_cjk(prev) and (not nxt or nxt in _SENTENCE_END_FOLLOW or prev in _QUESTION_PARTICLES):
                widened.add(i)
                spans.append((i, i + 1, ch, _WIDE[ch], _RULE))
            continue
        if ch == ":" and _is_latin_or_digit(nxt) and not _is_cjk(prev):
            continue
        if (prev and _is_cjk(prev)) or (ch in ",;" and nxt and _is_han(nxt) and not _is_latin_or_digit(prev)):
            widened.add(i)
            spans.append((i, i + 1, ch, _WIDE[ch], _RULE))
    return spans


def restore_fullwidth_punct(text: str, *, marks: str = DEFAULT_MARKS) -> str:
    """Plain twin of :func:`restore_fullwidth_punct_explained` (the same text, no edits built)."""
    return apply_spans(text, _punct_spans(text, marks))
