"""Cross-copy repair: where the kept copy of an article lost bytes, read the same spot in the other copies and take
the majority reading (forensics §4: copies are damaged at random per copy, so bytes lost in one are intact in
another).

A *spot* is a stretch of the kept copy's restored text that the restorer was not sure of: the output of an edit with
``confidence < 1`` (``mojibake.injector_lost_byte``) or a loss marker left in the text (``�``, ``?`` between Han
characters).  A spot is located in another copy by its *context*: the ``CONTEXT`` content characters before and
after it, compared in a character-level fold (t2s, NFKC, no punctuation or spaces) so that copies from different
converters and with different punctuation width still line up.  The reading is the other copy's raw text between the
two contexts; a copy abstains when it cannot find both contexts in order, finds them more than once, or is itself
unsure there.  A reading replaces the kept text when at least ``MIN_VOTES`` copies give it and they are more than
half of the copies that voted (rule ``consensus.majority``, confidence = that share, the voters recorded).

Examples:
    >>> kept = "今天天气很好，我们去公园散步吧。"
    >>> spots = find_spots(kept, [(6, 8)], {})
    >>> spots[0].left, spots[0].right, kept[spots[0].start:spots[0].end]
    ('今天天气很好', '们去公园散步', '，我')
    >>> mates = ["今天天气很好,我们去公园散步吧.", "今天天氣很好，我們去公園散步吧。", "今天天气很好，你们去公园散步"]
    >>> [read_spot(spots[0], m, {"氣": "气", "們": "们", "園": "园"}) for m in mates]
    [',我', '，我', '，你']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zhclean.dedup.keys import fold_with_offsets

CONTEXT = 6
"""Folded characters of context on each side of a spot.  Six Han characters almost never repeat inside one article
(none of the 500 mirror-benchmark articles had a six-character context twice, 2026-11); fewer are taken at a text
edge."""
MIN_VOTES = 2
"""Copies that must agree before a reading replaces the kept text (one other copy could carry its own damage)."""
MAX_SPOT_CHARS = 16
"""Longest spot repaired (raw characters); longer uncertain stretches are left alone."""
MAX_READING_EXTRA = 4
"""A reading may be this many characters longer or shorter than the kept copy's spot."""

# A loss marker left in restored text: U+FFFD, the GBK-as-UTF-8 "锟斤拷", or '?' between two Han characters.
_LOSS_RE = re.compile(r"\ufffd+|锟斤拷|(?<=[\u4e00-\u9fff])\?+(?=[\u4e00-\u9fff])")
RULE = "consensus.majority"


@dataclass(frozen=True)
class Spot:
    """An uncertain stretch ``text[start:end]`` with its folded contexts (``left`` ends right before ``start``)."""

    start: int
    end: int
    left: str
    right: str


def uncertain_spans(text: str, edits: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """Spans of ``text`` (the output of ``edits``) that came from a low-confidence edit, plus loss markers still in
    the text, merged and sorted.  Later edits shift or swallow earlier spans.

    >>> edits = [{"rule": "x", "start": 2, "end": 3, "before": "?", "after": "福", "confidence": 0.4},
    ...          {"rule": "y", "start": 0, "end": 2, "before": "幸幸", "after": "幸"}]
    >>> uncertain_spans("幸福与�", edits)
    [(1, 2), (3, 4)]
    """
    spans: list[tuple[int, int]] = []
    for e in edits:
        start, end, after = int(e["start"]), int(e["end"]), str(e.get("after", ""))
        delta = len(after) - (end - start)
        moved: list[tuple[int, int]] = []
        for s, t in spans:
            if t <= start:
                moved.append((s, t))
            elif s >= end:
                moved.append((s + delta, t + delta))
            else:  # the edit rewrote part of an uncertain span: the whole rewritten stretch stays uncertain
                moved.append((min(s, start), max(t + delta, start + len(after))))
        spans = moved
        if float(e.get("confidence", 1.0)) < 1.0:
            spans.append((start, start + len(after)))
    spans.extend(m.span() for m in _LOSS_RE.finditer(text))
    merged: list[tuple[int, int]] = []
    for s, t in sorted(spans):
        s, t = max(0, s), min(len(text), t)
        if t <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], t))
        else:
            merged.append((s, t))
    return merged


def find_spots(text: str, spans: Sequence[tuple[int, int]], t2s_chars: Mapping[str, str]) -> list[Spot]:
    """The spots of ``text`` for ``spans``: each span widened to the raw text between its folded contexts.
    Spans longer than ``MAX_SPOT_CHARS`` or without a context on either side are skipped.

    >>> [(s.start, s.end) for s in find_spots("甲乙丙丁戊己庚辛壬癸子丑寅卯", [(6, 7)], {})]
    [(6, 7)]
    """
    folded, offsets = fold_with_offsets(text, t2s_chars)
    spots = []
    for s, t in spans:
        if t - s > MAX_SPOT_CHARS:
            continue
        before = [k for k, off in enumerate(offsets) if off < s][-CONTEXT:]
        after = [k for k, off in enumerate(offsets) if off >= t][:CONTEXT]
        if not before or not after:
            continue
        start, end = offsets[before[-1]] + 1, offsets[after[0]]
        left, right = folded[before[0] : before[-1] + 1], folded[after[0] : after[-1] + 1]
        spots.append(Spot(start, end, left, right))
    return spots


def read_spot(
    spot: Spot,
    text: str,
    t2s_chars: Mapping[str, str],
    *,
    folded: tuple[str, list[int]] | None = None,
    unsure: Sequence[tuple[int, int]] = (),
) -> str | None:
    """Another copy's raw reading of ``spot``, or None when the copy abstains (contexts not found, found more than
    once, or the reading overlaps one of the copy's own ``unsure`` spans).  Pass ``folded`` (from
    :func:`fold_with_offsets`) when reading many spots of one copy.
    """
    fold, offsets = folded if folded is not None else fold_with_offsets(text, t2s_chars)
    found: list[str] = []
    k = fold.find(spot.left)
    while k >= 0:
        after_left = k + len(spot.left)
        # the right context must follow within a few folded characters (the spot itself)
        for gap in range(MAX_SPOT_CHARS + 1):
            j = after_left + gap
            if fold.startswith(spot.right, j):
                start, end = offsets[after_left - 1] + 1, offsets[j]
                if any(s < end and t > start for s, t in unsure):
                    return None
                found.append(text[start:end])
                break
        if len(found) > 1:
            return None
        k = fold.find(spot.left, k + 1)
    if len(found) != 1:
        return None
    reading = found[0]
    if abs(len(reading) - (spot.end - spot.start)) > MAX_READING_EXTRA:
        return None
    return reading


def choose_majority(votes: Sequence[tuple[str, str]], min_votes: int = MIN_VOTES) -> tuple[str, list[str], float] | None:
    """From ``(reading, voter)`` pairs: the winning reading, its voters and their share, or None when no reading
    has ``min_votes`` voters and more than half of the votes.  Ties are impossible (a strict majority).

    >>> choose_majority([("福", "b"), ("福", "c"), ("幅", "d")])
    ('福', ['b', 'c'], 0.6666666666666666)
    >>> choose_majority([("福", "b"), ("幅", "c")]) is None
    True
    """
    if not votes:
        return None
    counts = Counter(r for r, _ in votes)
    reading, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if n < min_votes or n * 2 <= len(votes):
        return None
    return reading, sorted(v for r, v in votes if r == reading), n / len(votes)


def repair_spots(
    text: str, spots: Sequence[Spot], winners: Mapping[int, tuple[str, list[str], float]]
) -> tuple[str, list[dict[str, Any]]]:
    """Put the winning readings (by spot index) into ``text``; returns the new text and one edit dict per change
    (rule ``consensus.majority``, ``confidence`` = the winners' share, ``support`` = their ids), in the order
    applied, with spans in the coordinates of the text as it stood (so ``apply_edits`` replays them).

    >>> spots = [Spot(2, 3, "甲乙", "丁戊")]
    >>> repair_spots("甲乙?丁戊", spots, {0: ("丙", ["b", "c"], 1.0)})
    ('甲乙丙丁戊', [{'rule': 'consensus.majority', 'start': 2, 'end': 3, 'before': '?', 'after': '丙', 'support': ['b', 'c']}])
    """
    edits: list[dict[str, Any]] = []
    shift = 0
    for k, spot in sorted(enumerate(spots), key=lambda kv: kv[1].start):
        if k not in winners:
            continue
        reading, support, share = winners[k]
        start, end = spot.start + shift, spot.end + shift
        before = text[start:end]
        if reading == before:
            continue
        text = text[:start] + reading + text[end:]
        edit: dict[str, Any] = {"rule": RULE, "start": start, "end": end, "before": before, "after": reading}
        if share < 1.0:
            edit["confidence"] = round(share, 4)
        edit["support"] = support
        edits.append(edit)
        shift += len(reading) - (end - start)
    return text, edits
