"""STEPS: the one literal table from config names to step classes.

A config file names steps; this table is the only place a name becomes code.  Adding a step is one line here (and
the step class in :mod:`zhclean.steps.library`).  Unknown names fail with a "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from zhclean.errors import ConfigError
from zhclean.steps.base import Step
from zhclean.steps.library import MinLength, Restore

STEPS: Mapping[str, type[Step]] = MappingProxyType(
    {
        "restore": Restore,
        "min_length": MinLength,
    }
)

# The default pipeline: what `zhclean run` does without a config file.
DEFAULT_STEPS: tuple[str, ...] = ("restore", "min_length")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def build_step(name: str, params: Mapping[str, Any] | None = None) -> Step:
    """Construct the step called ``name`` with ``params``; unknown names and keys raise :class:`ConfigError`."""
    cls = STEPS.get(name)
    if cls is None:
        raise ConfigError(
            f"unknown step {name!r}{did_you_mean(name, STEPS)} (available: {', '.join(STEPS)}; see `zhclean steps`)"
        )
    return cls.from_params(dict(params or {}))


def describe_steps() -> list[str]:
    """One line per available step: name, kind, extras needed, summary."""
    width = max(len(n) for n in STEPS)
    lines = []
    for name, cls in STEPS.items():
        needs = f" [needs zhclean[{','.join(cls.needs)}]]" if cls.needs else ""
        lines.append(f"{name:<{width}}  {cls.kind:<9}  {cls.summary}{needs}")
    return lines
