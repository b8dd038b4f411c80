"""Original texts zhclean ships for the simulator, the demo corpus and tests (UTF-8 JSONL, one file per kind).

Kinds: ``news`` (mainland-style Simplified news), ``taiwan`` (genuine Taiwan-style Traditional text),
``pinyin_gloss`` (Simplified teaching texts with legitimate ``字(pīn)`` glosses), ``classical`` (classical Chinese in
Simplified script) and ``mixed_code`` (Chinese with English and code). All were written for zhclean.

Examples:
    >>> news = load_texts("news")
    >>> len(news) >= 40 and all(t.script == "simplified" for t in news)
    True
    >>> sorted(KINDS)
    ['classical', 'mixed_code', 'news', 'pinyin_gloss', 'taiwan']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

KINDS: tuple[str, ...] = ("news", "taiwan", "pinyin_gloss", "classical", "mixed_code")


@dataclass(frozen=True)
class SourceText:
    """One shipped text: an id unique across kinds, its kind and script, a title and its paragraphs."""

    id: str
    kind: str
    script: str
    """``simplified`` or ``traditional``."""
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """Title and paragraphs, one per line."""
        return "\n".join((self.title, *self.paragraphs))


def load_texts(kind: str | None = None) -> list[SourceText]:
    """The shipped texts of one kind (or of all kinds, in :data:`KINDS` order), in file order."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown text kind {kind!r}; choose one of {', '.join(KINDS)}")
    out = []
    root = resources.files(__name__)
    for k in KINDS if kind is None else (kind,):
        with root.joinpath(f"{k}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    out.append(SourceText(r["id"], r["kind"], r["script"], r["title"], tuple(r["paragraphs"])))
    return out
