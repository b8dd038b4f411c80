"""Cross-copy repair: where the kept copy of an article lost bytes, read the same place in the other copies and take
the majority reading (forensics §4: copies are damaged at random per copy, so bytes lost in one are intact in
another).

A *spot* is a stretch of the kept copy's restored text that the restorer was not sure of: the output of an edit with
``confidence < 1`` (``mojibake.injector_lost_byte``) or lossy damage still in the text
(:func:`zhclean.text.damage.find_lossy_damage`: ``�``, ``锟斤拷``, private-use characters, ``?`` between Han
characters), or a *suspect* character that a partly undone burst typically leaves (:func:`find_suspects`).  A spot
travels to the other copies as a *window*: up to ``CONTEXT`` characters of the kept text on each side of it.
Another copy aligns the window against its own text in a character-level fold (t2s, NFKC, no punctuation or
spaces, so copies from different converters and with different punctuation width line up) and reads
what it has between the last context character that matched before the spot and the first that matched after it
(folded to Simplified when the kept copy is Simplified there, and trimmed to the smallest change).
Residual garbage next to a spot (a burst the restorer only partly undid) simply does not match, so the reading
replaces it too.  The region of the kept text a reading replaces is part of the vote: a copy's vote is
``(region, reading)``.

A copy abstains when fewer than ``MIN_ANCHOR`` context characters match on either side, or the region holds one of
its own uncertain spans.  A reading wins when at least ``MIN_VOTES`` copies give it and they are more than half of
the copies that voted (rule ``consensus.majority``, confidence = that share, the voters recorded).

Examples:
    >>> kept = "今天天气很好，我门去公园散步吧。然后一起吃饭"
    >>> spots = find_spots(kept, [(8, 9)])
    >>> spots[0].left, spots[0].right
    ('今天天气很好，我', '去公园散步吧。然后一起吃饭')
    >>> mates = ["今天天气很好,我们去公园散步吧.然后一起吃饭", "今天天氣很好，我們去公園散步吧。然後一起吃飯"]
    >>> [read_spot(spots[0], m, {"氣": "气", "們": "们", "園": "园", "後": "后", "飯": "饭"}) for m in mates]
    [(0, 0, '们'), (0, 0, '们')]
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zhclean.dedup.keys import fold_with_offsets
from zhclean.text.damage import find_lossy_damage

CONTEXT = 24
"""Raw characters of kept text on each side of a spot sent to the other copies.  Enough to step over the garbage of
a partly undone burst (up to ~15 characters on the mirror benchmark, 2026-11) and still anchor on clean text."""
MIN_ANCHOR = 4
"""Folded context characters that must match on each side of a spot before a copy reads it."""
MIN_VOTES = 1
"""Copies that must agree before a reading replaces the kept text.  One is enough because a copy only votes where it
is itself certain (it abstains inside its own uncertain spans), and copies of one mirror network often lost the same
bytes (the same false pinyin key fires in every copy whose table holds it), leaving a single intact copy; when
certain copies disagree, the strict majority still decides."""
MAX_SPOT_CHARS = 16
"""Longest spot repaired (raw characters); longer uncertain stretches are left alone."""
MAX_READING_EXTRA = 24
"""A reading may be this many characters longer or shorter than the kept region it replaces."""

SUSPECT_MAX_SHARE = 0.02
"""Suspect characters (see :func:`find_suspects`) count only while they are at most this share of a text's Han
characters; above it the text is most likely in another script (genuine Traditional), not damaged."""

RULE = "consensus.majority"


_HAN_RE = re.compile("[\u4e00-\u9fff]")
_HANLIKE = "\u3005\u3400-\u9fff\U00020000-\U0003134f"


@functools.cache
def _suspect_re() -> re.Pattern[str]:
    """Built once per process: Han characters outside GB2312 (what mainland news text rarely needs), the Japanese
    iteration mark, extension-block Han, Latin letters or ``|`` squeezed between Han characters, and ``(py)``."""
    rare = [chr(cp) for cp in range(0x4E00, 0xA000) if not _in_gb2312(chr(cp))]
    runs: list[str] = []
    for ch in rare:
        if runs and ord(runs[-1][-1]) + 1 == ord(ch):
            runs[-1] = runs[-1][0] + ch
        else:
            runs.append(ch)
    cls = "".join(r if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
    return re.compile(
        rf"[{cls}\u3005\u3400-\u4dbf\U00020000-\U0003134f]"
        rf"|(?<=[{_HANLIKE}])[A-Za-z|]{{1,3}}(?=[{_HANLIKE}])"
        r"|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]"
    )


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def find_suspects(text: str) -> list[tuple[int, int]]:
    """Spans that look like what a partly undone burst leaves behind: rare Han characters, ``々``, stray Latin
    letters or ``|`` between Han characters, leftover ``(py)``.  A false suspect costs nothing but a little work:
    the other copies read the same text there and nothing changes.  Empty when suspects exceed
    ``SUSPECT_MAX_SHARE`` of the Han characters.

    >>> find_suspects("不能少々u鄙𬘩|省台港" + "发布了消息。" * 40)
    [(3, 4), (4, 5), (6, 7), (7, 8)]
    >>> find_suspects("臺灣的發展與變遷" * 10)
    []
    """
    found = [m.span() for m in _suspect_re().finditer(text)]
    if not found:
        return []
    han = len(_HAN_RE.findall(text))
    return found if len(found) <= SUSPECT_MAX_SHARE * max(han, 1) else []


@dataclass(frozen=True)
class Spot:
    """An uncertain stretch ``text[start:end]`` of the kept copy, with the raw text around it."""

    start: int
    end: int
    left: str
    right: str
    text: str = ""


def uncertain_spans(text: str, edits: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """Spans of ``text`` (the output of ``edits``) that came from a low-confidence edit, plus lossy damage still in
    the text, merged and sorted.  Later edits shift or swallow earlier spans.

    >>> edits = [{"rule": "x", "start": 2, "end": 3, "before": "?", "after": "福", "confidence": 0.4},
    ...          {"rule": "y", "start": 0, "end": 2, "before": "幸幸", "after": "幸"}]
    >>> uncertain_spans("幸福与\ue014", edits)
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
    spans.extend((f.start, f.end) for f in find_lossy_damage(text) if f.rule != "lossy.debug_fill")
    spans.extend(find_suspects(text))
    merged: list[tuple[int, int]] = []
    for s0, t0 in sorted(spans):
        s, t = max(0, s0), min(len(text), t0)
        if t <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], t))
        else:
            merged.append((s, t))
    return merged


def find_spots(text: str, spans: Sequence[tuple[int, int]]) -> list[Spot]:
    """The spots of ``text`` for ``spans`` (longer than ``MAX_SPOT_CHARS`` are skipped), with their windows.

    >>> find_spots("甲乙丙丁戊己", [(2, 3)])
    [Spot(start=2, end=3, left='甲乙', right='丁戊己', text='丙')]
    """
    return [
        Spot(s, t, text[max(0, s - CONTEXT) : s], text[t : t + CONTEXT], text[s:t])
        for s, t in spans
        if t - s <= MAX_SPOT_CHARS
    ]


def read_spot(
    spot: Spot,
    text: str,
    t2s_chars: Mapping[str, str],
    *,
    folded: tuple[str, list[int]] | None = None,
    unsure: Sequence[tuple[int, int]] = (),
) -> tuple[int, int, str] | None:
    """Another copy's vote for ``spot``: ``(cut_left, cut_right, reading)`` — the reading replaces the kept text
    from ``cut_left`` characters before the spot to ``cut_right`` after it (negative: inside the spot), trimmed to
    the smallest change — or None when the copy abstains.
    Pass ``folded`` (from :func:`fold_with_offsets`) when reading many spots of one copy.

    >>> spot = Spot(6, 8, "今天天气很好", "散步吧。然后", "乱码")
    >>> read_spot(spot, "今天天气很好，去散步吧。然后", {})
    (0, 0, '，去')
    """
    wl_fold, wl_off = fold_with_offsets(spot.left, t2s_chars)
    wr_fold, wr_off = fold_with_offsets(spot.right, t2s_chars)
    if len(wl_fold) < MIN_ANCHOR or len(wr_fold) < MIN_ANCHOR:
        return None
    fold, offsets = folded if folded is not None else fold_with_offsets(text, t2s_chars)
    # Anchors are matching blocks of at least MIN_ANCHOR characters: single characters of garbage (digits, common
    # Han) match somewhere by chance.  Left anchor: the last such block of the left window; right anchor: the first
    # such block of the right window, searched just after the left anchor.
    sm = difflib.SequenceMatcher(None, wl_fold, fold, autojunk=False)
    left_blocks = [b for b in sm.get_matching_blocks() if b.size >= MIN_ANCHOR]
    if not left_blocks:
        return None
    lb = left_blocks[-1]
    after = lb.b + lb.size
    tail = fold[after : after + len(wr_fold) + MAX_SPOT_CHARS + CONTEXT]
    sm2 = difflib.SequenceMatcher(None, wr_fold, tail, autojunk=False)
    right_blocks = [b for b in sm2.get_matching_blocks() if b.size >= MIN_ANCHOR]
    if not right_blocks:
        return None
    rb = right_blocks[0]
    # the copy's reading: between its last left-context char and its first right-context char
    start = offsets[lb.b + lb.size - 1] + 1
    end = offsets[after + rb.b]
    # the kept region it replaces: from after the last matched left char to before the first matched right char
    cut_left = len(spot.left) - (wl_off[lb.a + lb.size - 1] + 1)
    cut_right = wr_off[rb.a]
    if any(s < end and t > start for s, t in unsure):
        return None
    reading = text[start:end]
    region = (spot.left[len(spot.left) - cut_left :] if cut_left else "") + spot.text + spot.right[:cut_right]
    if abs(len(reading) - len(region)) > MAX_READING_EXTRA:
        return None
    if not any(ch in t2s_chars for ch in spot.left + spot.right):  # the kept copy is Simplified here
        reading = "".join(t2s_chars.get(ch, ch) for ch in reading)
    # The smallest change: drop what the reading and the kept region share at both ends (punctuation the anchors
    # stepped over, width differences), so that copies differing only there cast the same vote.
    p = 0
    while p < min(len(region), len(reading)) and _same(region[p], reading[p]):
        p += 1
    q = 0
    while q < min(len(region), len(reading)) - p and _same(region[-1 - q], reading[-1 - q]):
        q += 1
    return cut_left - p, cut_right - q, reading[p : len(reading) - q]


def _same(a: str, b: str) -> bool:
    return a == b or unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)


def choose_majority(
    votes: Sequence[tuple[Any, str]], min_votes: int = MIN_VOTES
) -> tuple[Any, list[str], float] | None:
    """From ``(reading, voter)`` pairs: the winning reading, its voters and their share, or None when no reading
    has ``min_votes`` voters and more than half of the votes.  Ties are impossible (a strict majority).

    >>> choose_majority([("福", "b"), ("福", "c"), ("幅", "d")], min_votes=2)
    ('福', ['b', 'c'], 0.6666666666666666)
    >>> choose_majority([("福", "b"), ("幅", "c")], min_votes=2) is None
    True
    >>> choose_majority([("福", "b")], min_votes=2) is None
    True
    """
    if not votes:
        return None
    counts = Counter(r for r, _ in votes)
    reading, n = max(counts.items(), key=lambda kv: (kv[1], repr(kv[0])))
    if n < min_votes or n * 2 <= len(votes):
        return None
    return reading, sorted(v for r, v in votes if r == reading), n / len(votes)


def repair_spots(
    text: str, spots: Sequence[Spot], winners: Mapping[int, tuple[tuple[int, int, str], list[str], float]]
) -> tuple[str, list[dict[str, Any]]]:
    """Put the winning votes (by spot index; a vote is ``(cut_left, cut_right, reading)``, see :func:`read_spot`)
    into ``text``; returns the new text and one edit dict per change (rule ``consensus.majority``, ``confidence`` =
    the winners' share when below 1, ``support`` = their ids), in the order applied, with spans in the coordinates
    of the text as it stood (so ``apply_edits`` replays them).  A region overlapping an earlier one is skipped.

    >>> spots = [Spot(2, 3, "甲乙", "丁戊", "?")]
    >>> text, edits = repair_spots("甲乙?丁戊", spots, {0: ((0, 0, "丙"), ["b", "c"], 1.0)})
    >>> text, edits[0]["before"], edits[0]["after"], edits[0]["support"]
    ('甲乙丙丁戊', '?', '丙', ['b', 'c'])
    """
    regions = []
    for k, (cut_left, cut_right, reading) in ((k, w[0]) for k, w in winners.items() if 0 <= k < len(spots)):
        spot = spots[k]
        regions.append((spot.start - cut_left, spot.end + cut_right, reading, k))
    edits: list[dict[str, Any]] = []
    shift = 0
    last_end = -1
    n0 = len(text)
    for start0, end0, reading, k in sorted(regions):
        if start0 < last_end or start0 < 0 or end0 > n0:
            continue
        last_end = end0
        start, end = start0 + shift, end0 + shift
        before = text[start:end]
        if reading == before:
            continue
        _, support, share = winners[k]
        text = text[:start] + reading + text[end:]
        edit: dict[str, Any] = {"rule": RULE, "start": start, "end": end, "before": before, "after": reading}
        if share < 1.0:
            edit["confidence"] = round(share, 4)
        edit["support"] = support
        edits.append(edit)
        shift += len(reading) - (end - start)
    return text, edits
