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
        """Chain: ``other`` must have been computed from ``self.text``.

        >>> a = Explained("ab", (Edit("x.y", 0, 1, "A", "a"),))
        >>> a.then(Explained("ab")) == a, a.then(Explained("aB", (Edit("x.z", 1, 2, "b", "B"),))).text
        (True, 'aB')
        """
        # a stage that changed nothing, or a chain that has nothing yet, is the other side as it is (both immutable):
        # the restore loop chains every stage of every pass, and most of them change nothing
        if not other.edits:
            return self if other.text is self.text else _make_explained(other.text, self.edits)
        if not self.edits:
            return other
        return _make_explained(other.text, self.edits + other.edits)


_new_object = object.__new__


class _EditBuilder:
    """An :class:`Edit` under construction: the same slots, without the frozen dataclass's ``__setattr__``.

    Building an edit is the explained path's main cost (a converted page has hundreds).  Every way to write a frozen
    instance's slots goes through a Python ``__setattr__`` or a slot wrapper that allocates an argument tuple per
    field; an instance of this class takes plain attribute stores (the interpreter's fast slot store), and then
    becomes an ``Edit`` by ``__class__`` assignment, which Python allows because the two layouts are the same.  The
    result is an ordinary ``Edit``: its type, fields, equality, hash and pickling are those of ``Edit(...)``.  The
    builders below set every field (a field added to ``Edit`` must be set there too; ``tests/text/test_edits.py``
    compares their edits with ``Edit(...)``).
    """

    __slots__ = Edit.__slots__
    rule: str
    start: int
    end: int
    before: str
    after: str
    confidence: float
    alternatives: tuple[str, ...]


def _make_edit(
    rule: str, start: int, end: int, before: str, after: str, confidence: float = 1.0, alternatives: tuple = ()
) -> Edit:
    """``Edit(rule, start, end, before, after, confidence, alternatives)``, built as an :class:`_EditBuilder`."""
    e = _EditBuilder()
    e.rule = rule
    e.start = start
    e.end = end
    e.before = before
    e.after = after
    e.confidence = confidence
    e.alternatives = alternatives
    e.__class__ = Edit  # type: ignore[assignment]
    return e  # type: ignore[return-value]


def _make_run_edits(rule: str, starts: Iterable[int], ends: Iterable[int], old: str, new: str) -> list[Edit]:
    """The edits replacing ``old[s:e]`` by ``new[s:e]`` for each run ``(s, e)`` (two texts aligned character for
    character, confidence 1.0), with the builder's stores inline: no call per edit (a converted page has hundreds)."""
    edits: list[Edit] = []
    append = edits.append
    for start, end in zip(starts, ends, strict=True):
        e = _EditBuilder()
        e.rule = rule
        e.start = start
        e.end = end
        e.before = old[start:end]
        e.after = new[start:end]
        e.confidence = 1.0
        e.alternatives = ()
        e.__class__ = Edit  # type: ignore[assignment]
        append(e)  # type: ignore[arg-type]
    return edits


_set_explained_text = Explained.text.__set__  # type: ignore[attr-defined]
_set_explained_edits = Explained.edits.__set__  # type: ignore[attr-defined]


def _make_explained(text: str, edits: tuple[Edit, ...]) -> Explained:
    """``Explained(text, edits)`` without the frozen dataclass's two ``object.__setattr__`` calls."""
    e = _new_object(Explained)
    _set_explained_text(e, text)
    _set_explained_edits(e, edits)
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
    return _make_explained(out, tuple(done)) if done else _make_explained(text, ())


def apply_spans(text: str, spans: Sequence[tuple[int, int, str, str, Any]]) -> str:
    """The text :func:`rewrite_spans` gives, without building the edits (the plain twins' way).

    >>> apply_spans("abc", [(2, 3, "c", "", "x.z"), (1, 2, "b", "BB", "x.y"), (1, 3, "bc", "", "x.w")])
    'aBB'
    """
    return _splice(text, spans, False)[0]


def _splice(text: str, spans: Sequence[tuple[int, int, str, str, Any]], make_edits: bool) -> tuple[str, list[Edit]]:
    """The one splicing loop of :func:`rewrite_spans` and :func:`apply_spans`: spans in order, an overlapping or
    mismatched span or a no-op skipped; the edits (sequential coordinates) only when ``make_edits``, built with the
    builder's stores inline (see :class:`_EditBuilder`; a page has hundreds)."""
    out: list[str] = []
    done: list[Edit] = []
    pos = 0
    delta = 0
    ordered = spans if _is_sorted(spans) else sorted(spans, key=_span_key)
    for start, end, before, after, how in ordered:
        if start < pos or before == after or text[start:end] != before:
            continue
        out.append(text[pos:start])
        out.append(after)
        if make_edits:
            s = start + delta
            e = _EditBuilder()
            e.start = s
            e.end = s + len(before)
            e.before = before
            e.after = after
            if type(how) is str:
                e.rule = how
                e.confidence = 1.0
                e.alternatives = ()
            else:
                e.rule = how.rule
                e.confidence = how.confidence
                e.alternatives = how.alternatives
            e.__class__ = Edit  # type: ignore[assignment]
            done.append(e)  # type: ignore[arg-type]
            delta += len(after) - len(before)
        pos = end
    if not out:
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
