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
from dataclasses import dataclass, field
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


_new_object = object.__new__
_SET_EDIT_FIELDS = tuple(
    getattr(Edit, f).__set__ for f in ("rule", "start", "end", "before", "after", "confidence", "alternatives")
)


def _make_edit(
    rule: str, start: int, end: int, before: str, after: str, confidence: float = 1.0, alternatives: tuple = ()
) -> Edit:
    """``Edit(rule, start, end, before, after, confidence, alternatives)`` without the frozen dataclass's per-field
    ``object.__setattr__`` calls (the slots are written directly; the result compares and hashes the same)."""
    e = _new_object(Edit)
    s_rule, s_start, s_end, s_before, s_after, s_conf, s_alts = _SET_EDIT_FIELDS
    s_rule(e, rule)
    s_start(e, start)
    s_end(e, end)
    s_before(e, before)
    s_after(e, after)
    s_conf(e, confidence)
    s_alts(e, alternatives)
    return e


def rewrite(text: str, edits: Iterable[Edit]) -> Explained:
    """Apply edits whose spans are in the coordinates of ``text`` itself, all at once.

    This is how a single pass builds its output: it finds its edits on its input, and ``rewrite`` joins the pieces in
    one go and converts the spans to sequential coordinates.  An edit that overlaps an earlier one, or whose
    ``before`` does not match the text, is skipped: transforms are total and conservative, so a bad edit is dropped
    rather than allowed to damage the text.

    >>> rewrite("abc", [Edit("x.y", 1, 2, "b", "BB"), Edit("x.z", 2, 3, "c", "")]).text
    'aBB'
    """
    return rewrite_spans(text, [(e.start, e.end, e.before, e.after, e) for e in edits])


def rewrite_spans(text: str, spans: Sequence[tuple[int, int, str, str, Any]]) -> Explained:
    """:func:`rewrite` for edits given as plain tuples, the form a pass collects cheaply.

    Each item is ``(start, end, before, after, how)``, with ``how`` a rule id (an edit of confidence 1.0) or an
    :class:`Edit` whose rule, confidence and alternatives are kept.  Edits are built only for the spans applied.

    >>> rewrite_spans("abc", [(2, 3, "c", "", "x.z"), (1, 2, "b", "BB", "x.y")]).text
    'aBB'
    """
    out, done = _splice(text, spans, True)
    return Explained(out, tuple(done)) if done else Explained(text, ())


def apply_spans(text: str, spans: Sequence[tuple[int, int, str, str, Any]]) -> str:
    """The text :func:`rewrite_spans` gives, without building the edits (the plain twins' way).

    >>> apply_spans("abc", [(2, 3, "c", "", "x.z"), (1, 2, "b", "BB", "x.y"), (1, 3, "bc", "", "x.w")])
    'aBB'
    """
    return _splice(text, spans, False)[0]


def _splice(text: str, spans: Sequence[tuple[int, int, str, str, Any]], make_edits: bool) -> tuple[str, list[Edit]]:
    """The one splicing loop of :func:`rewrite_spans` and :func:`apply_spans`: spans in order, an overlapping or
    mismatched span or a no-op skipped; the edits (sequential coordinates) only when ``make_edits``."""
    out: list[str] = []
    done: list[Edit] = []
    pos = 0
    delta = 0
    applied = False
    ordered = spans if _is_sorted(spans) else sorted(spans, key=_span_key)
    for start, end, before, after, how in ordered:
        if start < pos or before == after or text[start:end] != before:
            continue
        out.append(text[pos:start])
        out.append(after)
        applied = True
        if make_edits:
            s = start + delta
            if type(how) is str:
                done.append(_make_edit(how, s, s + len(before), before, after))
            else:
                done.append(_make_edit(how.rule, s, s + len(before), before, after, how.confidence, how.alternatives))
            delta += len(after) - len(before)
        pos = end
    if not applied:
        return text, done
    out.append(text[pos:])
    return "".join(out), done


def _span_key(t: tuple[int, int, str, str, Any]) -> tuple[int, int]:
    return (t[0], t[1])


def _is_sorted(spans: Sequence[tuple[int, int, str, str, Any]]) -> bool:
    prev = (-1, -1)
    for t in spans:
        k = (t[0], t[1])
        if k < prev:
            return False
        prev = k
    return True


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Replay edits one after the other (each span relative to the text after the earlier ones).

    Raises:
        ValueError: an edit's ``before`` does not match the text at its span (the edits do not belong to ``text``).

    >>> apply_edits("ab", [Edit("x.y", 0, 1, "a", "A"), Edit("x.y", 1, 2, "b", "B")])
    'AB'
    """
    for e in edits:
        if text[e.start : e.end] != e.before:
            found = text[e.start : e.end]
            raise ValueError(f"edit {e.rule} at {e.start}:{e.end} expects {e.before!r}, text has {found!r}")
        text = text[: e.start] + e.after + text[e.end :]
    return text
