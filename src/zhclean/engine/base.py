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


def check_text_fields(plan: Any, config: Any) -> None:
    """Every engine's first check: each step reads the text field the input is read with."""
    for step in plan.steps:
        if step.text_field != config.io.text_field:
            raise ConfigError(
                f"step {step.name!r} reads field {step.text_field!r} but the input's text field is "
                f"{config.io.text_field!r}; build the pipeline with text_field={config.io.text_field!r}"
            )


def get_engine(config: Any) -> Engine:
    """The engine named by ``config.engine.name`` (a :class:`zhclean.config.RunConfig`)."""
    name = config.engine.name
    if name == "local":
        from zhclean.engine.local import LocalEngine

        return LocalEngine(config.engine)
    if name == "ray":
        try:  # importing, not just finding: a broken or partial ray install must get the same answer
            importlib.import_module("ray")
        except ImportError as exc:
            raise MissingExtraError("ray", "ray", "The Ray engine") from exc
        try:
            module = importlib.import_module("zhclean.engine.ray")
        except ModuleNotFoundError as exc:
            if exc.name != "zhclean.engine.ray":
                raise
            raise ConfigError("the Ray engine is not part of this version of zhclean; use --engine local") from exc
        return module.RayEngine(config.engine)
    raise ConfigError(f"unknown engine {name!r}; use local or ray")


def run_pipeline(pipeline: Any, inputs: Sequence[str], out_dir: str | Path, config: Any = None) -> RunResult:
    """Run ``pipeline`` (a :class:`zhclean.pipeline.Pipeline`) over files and folders into ``out_dir``.

    ``config`` is a :class:`zhclean.config.RunConfig` for the I/O and engine settings (its steps are ignored); by
    default the local engine with the pipeline's text field.  Re-running the same call resumes.
    """
    from zhclean.config import RunConfig
    from zhclean.io.inputs import discover_inputs

    if config is None:
        config = RunConfig().with_overrides(io={"text_field": pipeline.text_field})
    if config.io.format == "parquet":
        from zhclean.io.parquet import import_pyarrow

        import_pyarrow("Parquet output")
    engine = get_engine(config)
    files = discover_inputs([str(p) for p in inputs])
    return engine.run(pipeline.with_text_field(config.io.text_field).plan(), files, Path(out_dir), config)
