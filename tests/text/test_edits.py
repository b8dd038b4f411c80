"""Tests for zhclean.text.edits: the fast edit builders give ordinary edits, and the splicer keeps its rules."""

from __future__ import annotations

import dataclasses
import pickle
import random

import pytest

from zhclean.text.edits import (
    Edit,
    Explained,
    _make_edit,
    _make_explained,
    _make_run_edits,
    apply_edits,
    apply_spans,
    rewrite,
    rewrite_spans,
)


def test_built_edit_is_an_ordinary_edit():
    made = _make_edit("x.y", 1, 3, "ab", "c", 0.5, ("d",))
    plain = Edit("x.y", 1, 3, "ab", "c", 0.5, ("d",))
    assert type(made) is Edit
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    assert pickle.loads(pickle.dumps(made)) == plain
    assert dataclasses.replace(made, start=2) == Edit("x.y", 2, 3, "ab", "c", 0.5, ("d",))
    assert _make_edit("x.y", 0, 1, "a", "b") == Edit("x.y", 0, 1, "a", "b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 5  # type: ignore[misc]


def test_built_explained_is_an_ordinary_explained():
    edits = (Edit("x.y", 0, 1, "a", "b"),)
    made = _make_explained("b", edits)
    assert type(made) is Explained and made == Explained("b", edits)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "c"  # type: ignore[misc]


def test_run_edits_cut_both_texts():
    old, new = "關系並不復雜", "关系并不复杂"
    assert _make_run_edits("s2t.machine_conversion", [0, 2, 4], [1, 3, 6], old, new) == [
        Edit("s2t.machine_conversion", 0, 1, "關", "关"),
        Edit("s2t.machine_conversion", 2, 3, "並", "并"),
        Edit("s2t.machine_conversion", 4, 6, "復雜", "复杂"),
    ]
    assert _make_run_edits("x.y", [], [], old, new) == []


def test_then_chains_the_edits():
    a = Explained("aB", (Edit("x.y", 1, 2, "b", "B"),))
    b = Explained("aBc", (Edit("x.z", 2, 2, "", "c"),))
    assert a.then(b) == Explained("aBc", a.edits + b.edits)
    assert a.then(Explained("aB")) == a
    assert Explained("aB").then(b) == b
    # a stage that changed nothing but handed back another string object: its text is kept
    other = Explained("".join(["a", "B"]))
    assert a.then(other) == a and a.then(other).text is other.text


def _reference_splice(text: str, spans: list) -> tuple[str, list[Edit]]:
    """The splicing rules, spelled out: spans in (start, end) order, each applied unless it overlaps the previous
    applied one, changes nothing or does not match the text; edits in sequential coordinates."""
    out, edits, pos, delta = [], [], 0, 0
    for start, end, before, after, how in sorted(spans, key=lambda t: (t[0], t[1])):
        if start < pos or before == after or text[start:end] != before:
            continue
        out += [text[pos:start], after]
        if isinstance(how, str):
            edits.append(Edit(how, start + delta, start + delta + len(before), before, after))
        else:
            s = start + delta
            edits.append(Edit(how.rule, s, s + len(before), before, after, how.confidence, how.alternatives))
        delta += len(after) - len(before)
        pos = end
    if not out:
        return text, []
    return "".join(out) + text[pos:], edits


def _random_spans(rng: random.Random, text: str) -> list:
    spans = []
    pos = 0
    for _ in range(rng.randint(0, 20)):
        if rng.random() < 0.8:  # mostly well-formed, in order and disjoint: the usual case
            start = rng.randint(pos, len(text))
            end = rng.randint(start, min(len(text), start + 3))
            pos = end
            before = text[start:end]
        else:  # and some of every kind of bad span
            start = rng.randint(-2, len(text) + 2)
            end = start + rng.randint(-1, 3)
            before = rng.choice(["", "a", "中", text[max(start, 0) : max(end, 0)]])
        after = rng.choice(["", "（", "x", "很长的替换", before])
        how = rng.choice(["r.a", "r.b", Edit("r.model", 0, 0, "", "", 0.7, ("y", "z"))])
        spans.append((start, end, before, after, how))
    if rng.random() < 0.2:
        rng.shuffle(spans)
    return spans


def test_rewrite_spans_follows_the_splicing_rules():
    rng = random.Random(20240611)
    for _ in range(3_000):
        text = "".join(rng.choice("ab(中)國,?") for _ in range(rng.randint(0, 40)))
        spans = _random_spans(rng, text)
        expected_text, expected_edits = _reference_splice(text, spans)
        got = rewrite_spans(text, spans)
        assert got.text == expected_text
        assert list(got.edits) == expected_edits
        assert all(type(e) is Edit for e in got.edits)
        assert apply_spans(text, spans) == expected_text
        if all(0 <= start <= end <= len(text) for start, end, *_ in spans):  # spans inside the text replay
            assert apply_edits(text, got.edits) == got.text


def test_rewrite_keeps_an_edit_s_confidence_and_alternatives():
    e = rewrite("a?b", [Edit("mojibake.injector_lost_byte", 1, 2, "?", "关", 0.6, ("门",))])
    assert e.edits == (Edit("mojibake.injector_lost_byte", 1, 2, "?", "关", 0.6, ("门",)),)
