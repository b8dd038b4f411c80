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
from typing import NamedTuple

from zhclean.text.edits import Explained, _make_explained, _make_run_edits

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


def _detect_protected_parts(text: str) -> tuple[bool, ...]:
    """Which alternatives of _PROTECTED_PARTS ``text`` has the literal of."""
    return tuple(lit in text for lit, _ in _PROTECTED_PARTS)


def _compile_protected(key: tuple[bool, ...]) -> re.Pattern[str] | None:
    """The pattern of the alternatives ``key`` selects (None when it selects none)."""
    if key not in _PROTECTED_BY_KEY:
        parts = [p for (_, p), on in zip(_PROTECTED_PARTS, key, strict=True) if on]
        _PROTECTED_BY_KEY[key] = re.compile("|".join(parts)) if parts else None
    return _PROTECTED_BY_KEY[key]


# The e-mail alternative of _PROTECTED_PARTS on its own, the patterns of the other alternatives (by which of them a
# text can match), and the runs of non-space characters that hold an '@' (tried from run starts only: linear).
_EMAIL_PART = 2
_EMAIL_RE = re.compile(_PROTECTED_PARTS[_EMAIL_PART][1])
_NON_EMAIL_BY_KEY: dict[tuple[bool, ...], re.Pattern[str] | None] = {}
_AT_RUN_RE = re.compile(r"(?<!\S)\S*@\S*")


def _find_protected(text: str, key: tuple[bool, ...]) -> list[tuple[int, int]]:
    """The spans ``_compile_protected(key).finditer(text)`` finds, in order (key: ``_detect_protected_parts(text)``).

    Retried at every position of a long space-free Chinese line, ``\\S+@\\S+\\.\\w+`` costs time quadratic in the line.
    Here the e-mail alternative is tried once per run of non-space characters holding an '@', from the run's start
    or the scan position, whichever is later (where it fails it fails at every later position of the run too: those
    leave it fewer '@' to choose from), and the other alternatives are searched for by their own pattern.  The
    leftmost of the two matches wins; at one position the alternation's order decides (a URL or ``www.`` match before
    an e-mail match, an e-mail match before an inline-code one, which is the only one starting with a backtick).
    """
    if not key[_EMAIL_PART]:
        protected_re = _compile_protected(key)
        return [m.span() for m in protected_re.finditer(text)] if protected_re is not None else []
    if key not in _NON_EMAIL_BY_KEY:
        parts = [p for i, ((_, p), on) in enumerate(zip(_PROTECTED_PARTS, key, strict=True)) if on and i != _EMAIL_PART]
        _NON_EMAIL_BY_KEY[key] = re.compile("|".join(parts)) if parts else None
    other_re = _NON_EMAIL_BY_KEY[key]
    runs = [m.span() for m in _AT_RUN_RE.finditer(text)]
    spans: list[tuple[int, int]] = []
    pos = r = 0
    # the leftmost non-e-mail match at or after pos (kept while it still starts there: nothing lies before it)
    other = other_re.search(text) if other_re is not None else None
    while True:
        if other is not None and other.start() < pos:
            other = other_re.search(text, pos) if other_re is not None else None
        email = None
        while email is None and r < len(runs):
            start, end = runs[r]
            email = _EMAIL_RE.match(text, max(start, pos)) if end > pos else None
            if email is None:
                r += 1
        if email is not None and (
            other is None
            or email.start() < other.start()
            or (email.start() == other.start() and text[other.start()] == "`")
        ):
            spans.append(email.span())
            pos = email.end()
        elif other is not None:
            spans.append(other.span())
            pos = other.end()
        else:
            return spans


# A '?' ends a sentence when what follows is a space, a line end, the text end, a closing quote or another mark.
_SENTENCE_END_FOLLOW = frozenset(" \t\n\r”’」』)）!?！？")
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
    decision = _decide(text, marks)
    if decision is None:
        return _make_explained(text, ())
    easy = _easy_positions(text, decision)
    widened = easy + decision.others + decision.pairs
    if not widened:
        return _make_explained(text, ())
    widened.sort()
    # every edit swaps one character for one: its span is its own offset in the input and the output alike
    out = _widened_text(text, decision)
    return _make_explained(out, tuple(_make_run_edits(_RULE, widened, [i + 1 for i in widened], text, out)))


def restore_fullwidth_punct(text: str, *, marks: str = DEFAULT_MARKS) -> str:
    """Plain twin of :func:`restore_fullwidth_punct_explained` (the same text, no edits built)."""
    decision = _decide(text, marks)
    return _widened_text(text, decision) if decision is not None else text


# The marks settled by their left neighbour alone: after a Chinese character or Chinese punctuation (_is_cjk), a
# wanted ',' ':' ';' or '!' outside a protected span is always widened (none of the exceptions below can apply), and
# that neighbour is never a mark whose width the pass changes.  Real pages have thousands of them (a comma after a
# character), so nothing decides them one by one: the plain pass widens them all by str.replace, and the loop visits
# only the other marks.
_SIMPLE_MARKS = ",:;!"
_CJK_CLASS = r"\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f" + "".join(re.escape(c) for c in sorted(_CJK_PUNCT))
_MARK_RES: dict[tuple[str, bool], tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {}


def _compile_mark_res(simple: str, question: bool) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The pattern of the marks widened outright (``simple`` ones after Chinese text) and that of the others the
    loop decides (the other ``simple`` ones, and '?' when ``question``)."""
    key = (simple, question)
    if key not in _MARK_RES:
        # each pattern opens with its marks, so the engine skips from mark to mark; the lookbehind then sees the mark
        # and the character before it (none at the text start)
        marks = re.escape(simple)
        after_cjk = re.compile(f"[{marks}](?<=[{_CJK_CLASS}][{marks}])") if simple else None
        others = re.escape(simple + ("?" if question else ""))
        not_after_cjk = f"(?<![{_CJK_CLASS}][{marks}])" if simple else ""
        _MARK_RES[key] = (after_cjk, re.compile(f"[{others}]{not_after_cjk}") if others else None)
    return _MARK_RES[key]


class _Decision(NamedTuple):
    """What the pass does to one text, short of the marks widened outright (see :func:`_decide`)."""

    simple: str  # the wanted marks of _SIMPLE_MARKS
    after_cjk_re: re.Pattern[str] | None  # finds the marks widened outright (outside protected spans)
    guards: list[tuple[int, int]]  # the protected spans, in order
    others: list[int]  # the other marks widened, in order
    kept: list[int]  # the other ``simple`` marks left ASCII outside protected spans, in order
    pairs: list[int]  # the parentheses widened: '(' then ')' of each pair, in the order of the ')'


def _decide(text: str, marks: str) -> _Decision | None:
    """The decisions of the pass on ``text`` (None when it holds none of the wanted marks)."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first")
    wanted = {m for m in marks if m in _WIDE}
    if not wanted or not any(m in text for m in wanted):
        return None
    key = _detect_protected_parts(text)
    guards = _find_protected(text, key)
    simple = "".join(c for c in _SIMPLE_MARKS if c in wanted)
    after_cjk_re, others_re = _compile_mark_res(simple, "?" in wanted)
    others, kept = _widen_other_marks(text, others_re, simple, guards) if others_re is not None else ([], [])
    # a pair is widened only when '(' is wanted, and an unpaired parenthesis never is
    pairs = _widen_pairs(text, guards, key) if "(" in wanted and "(" in text and ")" in text else []
    return _Decision(simple, after_cjk_re, guards, others, kept, pairs)


def _easy_positions(text: str, decision: _Decision) -> list[int]:
    """The marks widened outright, in order."""
    if decision.after_cjk_re is None:
        return []
    easy = [m.start() for m in decision.after_cjk_re.finditer(text)]
    return _drop_protected(easy, decision.guards) if decision.guards and easy else easy


def _widened_text(text: str, decision: _Decision) -> str:
    """The output of the pass.

    Every wanted ``simple`` mark is widened at once by ``str.replace`` (in C; most of them are widened outright),
    then the rest is put right: the protected spans and the ``simple`` marks the loop kept are put back as they were,
    and the other marks widened.  That is exact because every ``simple`` mark is in a protected span, or after Chinese
    text (widened outright), or visited by the loop (widened or kept).  Every change is one character for one, so all
    offsets are those of ``text``.
    """
    wide = text
    for ch in decision.simple:
        wide = wide.replace(ch, _WIDE[ch])
    fixes = [(i, i + 1, text[i]) for i in decision.kept]
    fixes += [(start, end, text[start:end]) for start, end in decision.guards]
    fixes += [(i, i + 1, _WIDE[text[i]]) for i in decision.others + decision.pairs]
    if not fixes:
        return wide
    fixes.sort()
    pieces: list[str] = []
    pos = 0
    for start, end, piece in fixes:
        pieces.append(wide[pos:start])
        pieces.append(piece)
        pos = end
    pieces.append(wide[pos:])
    return "".join(pieces)


def _widen_other_marks(
    text: str, others_re: re.Pattern[str], simple: str, guards: list[tuple[int, int]]
) -> tuple[list[int], list[int]]:
    """The marks of ``others_re`` that are widened, and the ``simple`` ones of them that are not (outside protected
    spans), each in order.

    Parentheses are left to :func:`_widen_pairs`: a widened one as the left neighbour decides nothing differently
    from an ASCII one (neither is a letter, a digit or Chinese punctuation), so the two visits are independent.
    """
    g = 0
    n = len(text)
    widened: list[int] = []
    kept: list[int] = []
    widened_set: set[int] = set()
    for m in others_re.finditer(text):
        i, ch = m.start(), m.group()
        while g < len(guards) and guards[g][1] <= i:
            g += 1
        if g < len(guards) and guards[g][0] <= i:
            continue
        # the left neighbour as it will be written (a mark widened just before counts as Chinese punctuation): one
        # this loop widened, or one of the marks widened outright (after Chinese text, unless a protected span ends
        # just after it: only guards[g - 1] can, as the mark at i is not protected)
        prev = text[i - 1] if i > 0 else ""
        if prev in _WIDE and (
            i - 1 in widened_set
            or (prev in simple and i > 1 and _is_cjk(text[i - 2]) and not (g > 0 and guards[g - 1][1] == i))
        ):
            prev = _WIDE[prev]
        nxt = text[i + 1] if i + 1 < n else ""
        if _is_latin_or_digit(prev) and (_is_latin_or_digit(nxt) or not nxt):
            wide = False
        elif ch == "?":
            wide = (
                bool(prev) and _is_cjk(prev) and (not nxt or nxt in _SENTENCE_END_FOLLOW or prev in _QUESTION_PARTICLES)
            )
        elif ch == ":" and _is_latin_or_digit(nxt) and not _is_cjk(prev):
            wide = False
        else:
            wide = (bool(prev) and _is_cjk(prev)) or (
                ch in ",;" and bool(nxt) and _is_han(nxt) and not _is_latin_or_digit(prev)
            )
        if wide:
            widened_set.add(i)
            widened.append(i)
        elif ch != "?":
            kept.append(i)
    return widened, kept


def _widen_pairs(text: str, guards: list[tuple[int, int]], key: tuple[bool, ...]) -> list[int]:
    """The parenthesis pairs that are widened: the positions of the '(' and the ')' of each, in the order of the ')'.

    A pair is the innermost '(' still open on its line and the next ')', both outside protected spans; it is widened
    when what it holds has a Chinese character and nothing the protected patterns match.
    """
    protected_re = _compile_protected(key)
    g = 0
    pairs: list[int] = []
    stack: list[int] = []
    for i in _paren_positions(text):
        while g < len(guards) and guards[g][1] <= i:
            g += 1
        if g < len(guards) and guards[g][0] <= i:
            continue
        if text[i] == "(":
            stack.append(i)
        elif stack:
            j = stack[-1]
            if text.find("\n", j, i) != -1:
                # a line break since the innermost open '(' has closed it and every one before it
                stack.clear()
                continue
            stack.pop()
            inner = text[j + 1 : i]
            if _HAN_RE.search(inner) and not (protected_re and protected_re.search(inner)):
                pairs += (j, i)
    return pairs


def _paren_positions(text: str) -> list[int]:
    """Where ``text`` has a '(' or a ')', in order.

    Found by ``str.find``: it jumps to the next occurrence of one character in C, several times faster than the regex
    engine testing every character of a page against a class of two (a page has a handful of parentheses).
    """
    positions: list[int] = []
    for ch in "()":
        i = text.find(ch)
        while i != -1:
            positions.append(i)
            i = text.find(ch, i + 1)
    positions.sort()
    return positions


def _drop_protected(positions: list[int], guards: list[tuple[int, int]]) -> list[int]:
    """The ``positions`` (in order) outside every span of ``guards`` (in order, disjoint)."""
    kept: list[int] = []
    g = 0
    for i in positions:
        while g < len(guards) and guards[g][1] <= i:
            g += 1
        if not (g < len(guards) and guards[g][0] <= i):
            kept.append(i)
    return kept
