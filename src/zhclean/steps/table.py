"""STEPS: the one literal table from config names to step classes.

A config file names steps; this table (with :data:`EXTRA_STEPS` for steps behind an optional extra) is the only
place a name becomes code.  Adding a step is one line here and the step class.  Unknown names fail with a
"did you mean" suggestion.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from zhclean.errors import ConfigError, MissingExtraError
from zhclean.steps.base import Step
from zhclean.steps.clean import Clean, QualityFilter, Score
from zhclean.steps.library import MinLength, Restore

STEPS: Mapping[str, type[Step]] = MappingProxyType(
    {
        "restore": Restore,
        "clean": Clean,
        "score": Score,
        "quality_filter": QualityFilter,
        "min_length": MinLength,
    }
)

# Steps whose module needs an optional extra: (module, class, extra).  They are imported when a config names them,
# so that zhclean itself works without the extra; a missing extra gives the pip command.
EXTRA_STEPS: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "dedup": ("zhclean.steps.dedup", "Dedup", "dedup"),
        "consensus": ("zhclean.steps.dedup", "Consensus", "dedup"),
    }
)

# The default pipeline: what `zhclean run` does without a config file.  quality_filter drops near-empty pages
# itself (`too_short`), so min_length is not part of it.
DEFAULT_STEPS: tuple[str, ...] = ("restore", "clean", "score", "quality_filter", "dedup", "consensus")
# The steps `--no-dedup` leaves out.
DEDUP_STEPS: tuple[str, ...] = ("dedup", "consensus")


def step_names() -> tuple[str, ...]:
    """Every name a config may use."""
    return (*STEPS, *EXTRA_STEPS)


def step_class(name: str) -> type[Step]:
    """The class behind a step name; unknown names raise :class:`ConfigError`, missing extras
    :class:`MissingExtraError`."""
    cls = STEPS.get(name)
    if cls is not None:
        return cls
    if name not in EXTRA_STEPS:
        raise ConfigError(
            f"unknown step {name!r}{did_you_mean(name, step_names())} "
            f"(available: {', '.join(step_names())}; see `zhclean steps`)"
        )
    module_name, class_name, extra = EXTRA_STEPS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise MissingExtraError(extra, exc.name or module_name, f"the step '{name}'") from exc
    return getattr(module, class_name)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""`` when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def build_step(name: str, params: Mapping[str, Any] | None = None) -> Step:
    """Construct the step called ``name`` with ``params``; unknown names and keys raise :class:`ConfigError`."""
    return step_class(name).from_params(dict(params or {}))


def describe_steps() -> list[str]:
    """One line per available step: name, kind, summary, and the extra it needs."""
    width = max(len(n) for n in step_names())
    lines = []
    for name in step_names():
        try:
            cls = step_class(name)
        except MissingExtraError as exc:
            lines.append(f"{name:<{width}}  {'?':<9}  not available: pip install 'zhclean[{exc.extra}]'")
            continue
        needs = f" [needs zhclean[{','.join(cls.needs)}]]" if cls.needs else ""
        lines.append(f"{name:<{width}}  {cls.kind:<9}  {cls.summary}{needs}")
    return lines
