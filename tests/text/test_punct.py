"""Tests for zhclean.text.punct: widening NFKC-folded punctuation only where it belongs to Chinese text."""

from __future__ import annotations

import random
import unicodedata

import pytest

from zhclean.text.edits import apply_edits, apply_spans, rewrite_spans
from zhclean.text.punct import (
    _CJK_PUNCT,
    _HAN_RE,
    _QUESTION_PARTICLES,
    _RULE,
    _SENTENCE_END_FOLLOW,
    _WIDE,
    _compile_protected,
    _decide,
    _detect_protected_parts,
    _easy_positions,
    _find_protected,
    _paren_positions,
    restore_fullwidth_punct,
    restore_fullwidth_punct_explained,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("来源:中国台湾网", "来源：中国台湾网"),
        ("6月4日,山东省召开会议", "6月4日，山东省召开会议"),
        ("会议强调;要认真落实", "会议强调；要认真落实"),
        ("太好了!我们赢了", "太好了！我们赢了"),
        ("你去吗?我不去", "你去吗？我不去"),
        ("真的吗?", "真的吗？"),
        ("召开会议(图片来源:本报记者)", "召开会议（图片来源：本报记者）"),
        ("记者报道,,今天", "记者报道，，今天"),
    ],
)
def test_widens_chinese_punctuation(text, expected):
    assert restore_fullwidth_punct(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "10:45:00",
        "共1,000元",
        "调用 f(x) 与 g(y)",
        "访问 https://example.cn/a?b=1,2 获取",
        "邮箱 name@example.com",
        "代码 `foo(a,b)` 如下",
        "国内生产总值(GDP)",  # Latin in parentheses stays ASCII
        "勇?融合",  # a '?' inside a run of Chinese characters is a loss marker, not a question mark
        "version 1.2: done, ok!",
        "",
    ],
)
def test_leaves_latin_numbers_urls_code_and_loss_markers(text):
    assert restore_fullwidth_punct(text) == text


def test_marks_are_configurable():
    assert restore_fullwidth_punct("你好,世界:再见!", marks=",") == "你好，世界:再见!"
    assert restore_fullwidth_punct("你好,世界", marks="") == "你好,世界"


def test_nfkc_maps_back_and_edits_replay():
    text = "来源:中国台湾网,记者(实习)报道!真的吗?"
    e = restore_fullwidth_punct_explained(text)
    assert unicodedata.normalize("NFKC", e.text) == text
    assert apply_edits(text, e.edits) == e.text
    assert {x.rule for x in e.edits} == {"punct.fullwidth"}


@pytest.mark.parametrize("text", ["A,(中文)", "中,,,", "好??", "(,中)", "中(文,)字", ")(中文(", "中\n(文)"])
def test_idempotent(text):
    once = restore_fullwidth_punct(text)
    assert restore_fullwidth_punct(once) == once


# -- the fast paths against the plain rules they stand for ----------------------------------------------------------


def _random_texts(alphabet: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_protected_spans_are_those_of_the_single_pattern():
    alphabet = [*"a@.b `\n中_1,(-\t\u3000é", "http://", "ftp://", "www.", "x@y.z"]
    long_line = "中文" * 500 + "a@b" + "中文" * 500 + " 联系:x@qq.com,电话"
    for text in [long_line, "`a`b@c.d", "www.a@b.c", "a@b.c`d`", *_random_texts(alphabet, 5000, seed=21)]:
        key = _detect_protected_parts(text)
        pattern = _compile_protected(key)
        expected = [m.span() for m in pattern.finditer(text)] if pattern is not None else []
        assert _find_protected(text, key) == expected, text


def _punct_spans(text: str, marks: str) -> list[tuple[int, int, str, str, str]]:
    """The module's decisions as ``rewrite_spans`` tuples, in the order of a left-to-right visit (a pair's two spans
    when its ')' is visited): the form the rules are checked in against :func:`_reference_spans`."""
    decision = _decide(text, marks)
    if decision is None:
        return []

    def spans(positions: list[int]) -> list[tuple[int, int, str, str, str]]:
        return [(i, i + 1, text[i], _WIDE[text[i]], _RULE) for i in positions]

    easy, others, pairs = spans(_easy_positions(text, decision)), spans(decision.others), spans(decision.pairs)
    # each span where its visit wrote it: by the visited mark's position (a pair's '(' span just before its ')')
    merged = [(s[0], s) for s in easy + others]
    merged += [(pairs[k + 1][0], s) for k in range(0, len(pairs), 2) for s in pairs[k : k + 2]]
    merged.sort()
    return [s for _, s in merged]


def _reference_spans(text: str, marks: str) -> list[tuple[int, int, str, str, str]]:
    """Every mark visited left to right, one rule after another (the widening as first written)."""

    def is_han(ch: str) -> bool:
        return len(ch) == 1 and _HAN_RE.match(ch) is not None

    def is_cjk(ch: str) -> bool:
        return is_han(ch) or ch in _CJK_PUNCT

    def is_latin_or_digit(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    wanted = {m for m in marks if m in _WIDE}
    pattern = _compile_protected(_detect_protected_parts(text))
    guarded = {i for m in pattern.finditer(text) for i in range(*m.span())} if pattern is not None else set()
    spans: list[tuple[int, int, str, str, str]] = []
    stack: list[int] = []
    widened: set[int] = set()
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
        if ch not in _WIDE or i in guarded:
            continue
        prev = (_WIDE[text[i - 1]] if i - 1 in widened else text[i - 1]) if i > 0 else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "(":
            stack.append(i)
            continue
        if ch == ")":
            if stack:
                j = stack.pop()
                inner = text[j + 1 : i]
                if "(" in wanted and _HAN_RE.search(inner) and not (pattern and pattern.search(inner)):
                    widened.update((j, i))
                    spans += [(j, j + 1, "(", "（", "punct.fullwidth"), (i, i + 1, ")", "）", "punct.fullwidth")]
            continue
        if ch not in wanted or (is_latin_or_digit(prev) and (is_latin_or_digit(nxt) or not nxt)):
            continue
        if ch == "?":
            if prev and is_cjk(prev) and (not nxt or nxt in _SENTENCE_END_FOLLOW or prev in _QUESTION_PARTICLES):
                widened.add(i)
                spans.append((i, i + 1, ch, _WIDE[ch], "punct.fullwidth"))
            continue
        if ch == ":" and is_latin_or_digit(nxt) and not is_cjk(prev):
            continue
        if (prev and is_cjk(prev)) or (ch in ",;" and nxt and is_han(nxt) and not is_latin_or_digit(prev)):
            widened.add(i)
            spans.append((i, i + 1, ch, _WIDE[ch], "punct.fullwidth"))
    return spans


def test_widening_is_that_of_a_mark_by_mark_visit():
    alphabet = [*"中文，,,,::;;!!??(())\n a1吗`@.」（）𠀀", " x@y.cn ", "http://a", "www.", "\ud800"]
    texts = [
        "中,(文),中",
        "(中\n文)",
        "((中)文)",
        "中,,?",
        "a,中",
        "中(a@b.cn)",
        "中`,`,",
        *_random_texts(alphabet, 4000, 22),
    ]
    for text in texts:
        for marks in (",:;!?()", ",", "?", "(", ")", ",;", "():", "!?", ",:;!", "(,", "?()"):
            assert _punct_spans(text, marks) == _reference_spans(text, marks), (text, marks)


def test_the_twins_write_the_spans_of_the_visit():
    # the twins widen the simple marks all at once and put back the ones the visit keeps (protected spans included)
    alphabet = [*"中文，,,,::;;!!??(())\n a1吗`@.」（）𠀀", " x@y.cn ", "a@b.中", "http://a", "www.", "`,`", "\ud800"]
    for text in ["中,(文),中", "http://a,中,", "a@b.中,:", "中,:;!?", *_random_texts(alphabet, 3000, 23)]:
        for marks in (",:;!?()", ",", "?", "(", ",;", "():", "!?", ",:;!", "(,", "?()", ""):
            spans = _punct_spans(text, marks)
            assert restore_fullwidth_punct(text, marks=marks) == apply_spans(text, spans), (text, marks)
            assert restore_fullwidth_punct_explained(text, marks=marks) == rewrite_spans(text, spans), (text, marks)


def test_paren_positions():
    for text in ["", "中文", "(", ")(", "a(b)c((d))", *_random_texts([*"()中a"], 500, 24)]:
        assert _paren_positions(text) == [i for i, ch in enumerate(text) if ch in "()"]
