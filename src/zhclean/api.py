"""The convenience functions behind ``zhclean.restore_text`` and ``zhclean.explain``.

They use one default :class:`~zhclean.text.lexicon.Lexicon`, built on first use (about 0.2 s, plus about 1 s for the
word frequencies when a burst has to be ranked) and kept for the life of the process.  That cache is the only state
outside ``zhclean.text``; code that processes a corpus should build its own lexicon once per worker and call
:func:`zhclean.text.restore.restore_text` directly.

Examples:
    >>> import zhclean
    >>> zhclean.restore_text("中國(guó)經(jīng)濟發(fā)展,兩岸關系")
    '中国经济发展，两岸关系'
    >>> [e["rule"] for e in zhclean.explain("發(fā)展")]
    ['pinyin.paren_annotation']
"""

from __future__ import annotations

import threading
from typing import Any

from zhclean.text.lexicon import Lexicon
from zhclean.text.restore import RestoreConfig, restore_text_explained

_LOCK = threading.Lock()
_DEFAULT_LEXICON: list[Lexicon] = []  # at most one element: the process-wide default lexicon


def default_lexicon() -> Lexicon:
    """The process-wide default lexicon, built on first use (thread-safe)."""
    if not _DEFAULT_LEXICON:
        with _LOCK:
            if not _DEFAULT_LEXICON:
                _DEFAULT_LEXICON.append(Lexicon.load())
    return _DEFAULT_LEXICON[0]


def restore_text(text: str, config: RestoreConfig | None = None) -> str:
    """Restore damaged Chinese web text (mojibake, injected pinyin, machine S→T); clean text comes back unchanged.

    Args:
        text: the text to restore.
        config: which repairs to run (default :class:`~zhclean.text.restore.RestoreConfig`).

    Raises:
        TypeError: ``text`` is bytes or another non-``str`` (decode it first).

    >>> restore_text("台灣的資訊產業")
    '台灣的資訊產業'
    """
    if not isinstance(text, str):
        raise TypeError(f"restore_text expects str, got {type(text).__name__}; decode bytes first")
    r = restore_text_explained(text, config, lexicon=default_lexicon())
    return text if not r.edits else r.text


def explain(text: str, config: RestoreConfig | None = None) -> list[dict[str, Any]]:
    """What :func:`restore_text` would change, as JSON-ready edits in the order they apply.

    Each dict has ``rule``, ``start``, ``end``, ``before``, ``after`` (and ``confidence``/``alternatives`` when a model
    chose the replacement); spans are in the coordinates of the text as it stood when that edit applied, so
    replaying them with :func:`zhclean.text.edits.apply_edits` reproduces the output.

    >>> explain("这是干净的简体中文。")
    []
    """
    if not isinstance(text, str):
        raise TypeError(f"explain expects str, got {type(text).__name__}; decode bytes first")
    return [e.to_dict() for e in restore_text_explained(text, config, lexicon=default_lexicon()).edits]
