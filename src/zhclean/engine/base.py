"""The engine protocol, the run result and engine selection."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from zhclean.errors import ConfigError, MissingExtraError, ZhcleanError
from zhclean.io.inputs import InputFile
from zhclean.pipeline import Plan


class ShardFailedError(ZhcleanError):
    """A shard could not be processed as a whole (a bug, or a worker that died); re-running resumes."""


@dataclass(frozen=True)
class RunResult:
    """What a finished run produced."""

    out_dir: Path
    report: dict[str, Any]

    @property
    def report_path(self) -> Path:
        return self.out_dir / "report.json"


class Engine(Protocol):
    """Runs a plan over input files into an output folder; re-running the same run resumes it."""

    def run(self, plan: Plan, inputs: Sequence[InputFile], out_dir: Path, config: Any) -> RunResult:
        """``config`` is the :class:`zhclean.config.RunConfig` (written into the run folder)."""
        ...


def get_engine(config: Any) -> Engine:
    """The engine named by ``config.engine.name`` (a :class:`zhclean.config.RunConfig`)."""
    name = config.engine.name
    if name == "local":
        from zhclean.engine.local import LocalEngine

        return LocalEngine(config.engine)
    if name == "ray":
        if importlib.util.find_spec("ray") is None:
            raise MissingExtraError("ray", "ray", "The Ray engine")
        try:
            module = importlib.import_module("zhclean.engine.ray")
        except ModuleNotFoundError as exc:
            if exc.name != "zhclean.engine.ray":
                raise
            raise ConfigError("the Ray engine is not part of this version of zhclean; use --engine local") from exc
        return module.RayEngine(config.engine)
    raise ConfigError(f"unknown engine {name!r}; use local or ray")
