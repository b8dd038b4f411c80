"""Edits: what a transform changed, as replayable data.

Every change zhclean makes to a text is an :class:`Edit` with a stable rule id (``family.rule``, for example
``pinyin.paren_annotation``).  A transform's ``*_explained`` twin returns an :class:`Explained`: the output text and
the edits, in the order they were applied.  Each edit's span is given in the coordinates of the text *as it stood
when that edit was applied* (after all earlier edits), so :func:`apply_edits` can replay them one by one and must
reproduce the output exactly; the property tests check that for every transform.

Examples:
    >>> e = rewrite("中國(guó)人", [Edit("pinyin.paren_annotation", 2, 7, "(guó)", "")])
    >>> e.text
    '中國人'
    >>> apply_edits("中國(guó)人", e.edits) == e.text
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Edit:
    """One change: ``text[start:end] == before`` was replaced by ``after``.

    Attributes:
        rule: stable rule id ``family.rule``; a report key, never used to dispatch code.
        start: start of the replaced span (see the module docstring for the coordinate system).
        end: end of the replaced span (exclusive).
        before: the replaced text.
        after: the replacement.
        confidence: 1.0 when the repair is certain; lower when bytes were lost and a model chose ``after``.
        alternatives: the runner-up replacements, best first, when ``confidence < 1``.
    """

    rule: str
    start: int
    end: int
    before: str
    after: str
    confidence: float = 1.0
    alternatives: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the form written to ``zh__edits``)."""
        d: dict[str, Any] = {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
        }
        if self.confidence != 1.0:
            d["confidence"] = round(self.confidence, 4)
        if self.alternatives:
            d["alternatives"] = list(self.alternatives)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Edit:
        """Inverse of :meth:`to_dict`."""
        return cls(
            d["rule"],
            d["start"],
            d["end"],
            d["before"],
            d["after"],
            d.get("confidence", 1.0),
            tuple(d.get("alternatives", ())),
        )


@dataclass(frozen=True, slots=True)
class Explained:
    """A transform's output together with the edits that produced it from its input."""

    text: str
    edits: tuple[Edit, ...] = ()

    def then(self, other: Explained) -> Explained:
        """Chain: ``other`` must have been computed from ``self.text``."""
        return Explained(other.text, self.edits + other.edits)


def rewrite(text: str, edits: Iterable[Edit]) -> Explained:
    """Apply edits whose spans are in the coordinates of ``text`` itself, all at once.

    This is how a single pass builds its output: it finds its edits on its input, and ``rewrite`` joins the pieces in
    one go and converts the spans to sequential coordinates.  An edit that overlaps an earlier one, or whose
    ``before`` does not match the text, is skipped: transforms are total and conservative, so a bad edit is dropped
    rather than allowed to damage the text.

    >>> rewrite("abc", [Edit("x.y", 1, 2, "b", "BB"), Edit("x.z", 2, 3, "c", "")]).text
    'aBB'
    """
    out: list[str] = []
    done: list[Edit] = []
    pos = 0
    delta = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or text[e.start : e.end] != e.before or e.before == e.after:
            continue
        out.append(text[pos : e.start])
        out.append(e.after)
        start = e.start + delta
        done.append(replace(e, start=start, end=start + len(e.before)))
        delta += len(e.after) - len(e.before)
        pos = e.end
    if not done:
        return Explained(text, ())
    out.append(text[pos:])
    return Explained("".join(out), tuple(done))


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Replay edits one after the other (each span relative to the text after the earlier ones).

    Raises:
        ValueError: an edit's ``before`` does not match the text at its span (the edits do not belong to ``text``).

    >>> apply_edits("ab", [Edit("x.y", 0, 1, "a", "A"), Edit("x.y", 1, 2, "b", "B")])
    'AB'
    """
    for e in edits:
        if text[e.start : e.end] != e.before:
            raise ValueError(f"edit {e.rule} at {e.start}:{e.end} expects {e.before!r}, text has {text[e.start:e.end]!r}")
        text = text[: e.start] + e.after + text[e.end :]
    return text
