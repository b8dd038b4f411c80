"""zhclean: restore and clean damaged Chinese web text.

The public API is imported lazily, so ``import zhclean`` is cheap and has no side effects:

* :func:`restore_text`, :func:`explain`: the convenience functions (a default lexicon is built on first use);
* :class:`RestoreConfig`: which repairs to run;
* :class:`Edit`, :class:`Explained`: what a repair changed, as replayable data;
* :class:`Pipeline`, :func:`run_pipeline`: the steps over a corpus (``run_pipeline(pipeline, inputs, out_dir)``).

Examples:
    >>> import zhclean
    >>> zhclean.restore_text("中國(guó)經(jīng)濟發(fā)展,兩岸關系")
    '中国经济发展，两岸关系'
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> module that defines it.  Add a line here to export a new name (it is imported on first access).
_LAZY: dict[str, str] = {
    "restore_text": "zhclean.api",
    "explain": "zhclean.api",
    "RestoreConfig": "zhclean.text.restore",
    "Edit": "zhclean.text.edits",
    "Explained": "zhclean.text.edits",
    "Pipeline": "zhclean.pipeline",
    "run_pipeline": "zhclean.engine.base",
}

__all__ = ["Edit", "Explained", "Pipeline", "RestoreConfig", "__version__", "explain", "restore_text", "run_pipeline"]

# The library logs through stdlib logging and configures nothing; only the CLI installs handlers.
logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from zhclean.api import explain, restore_text
    from zhclean.engine.base import run_pipeline
    from zhclean.pipeline import Pipeline
    from zhclean.text.edits import Edit, Explained
    from zhclean.text.restore import RestoreConfig


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'zhclean' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
