"""Run configuration: frozen dataclasses, TOML loading with early validation, and the resolved-config dump.

Precedence: command-line flags → TOML file → the defaults below.  A config file looks like this::

    [[steps]]
    name = "restore"

    [[steps]]
    name = "min_length"
    min_chars = 30

    [io]
    text_field = "content"

    [engine]
    workers = 4

Every key is checked when the file is loaded: an unknown key or step name raises :class:`ConfigError` with a
"did you mean" suggestion, so a typo never silently falls back to a default.

Examples:
    >>> cfg = parse_config({"steps": ["restore", {"name": "min_length", "min_chars": 5}], "io": {"text_field": "t"}})
    >>> [s.name for s in cfg.steps], cfg.io.text_field
    (['restore', 'min_length'], 't')
    >>> parse_config({"engin": {}})
    Traceback (most recent call last):
    ...
    zhclean.errors.ConfigError: config: unknown section 'engin'; did you mean 'engine'? (known: steps, io, engine)
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from zhclean.errors import ConfigError
from zhclean.pipeline import Pipeline
from zhclean.steps.table import DEFAULT_STEPS, build_step, did_you_mean

FORMATS = ("jsonl", "parquet")
ENGINES = ("local", "ray")


@dataclass(frozen=True)
class StepSpec:
    """A step as a config names it: the table name and its parameters."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IOConfig:
    """Where the text is, how output is written and how input is cut into shards.

    Attributes:
        text_field: the field holding the document text.
        id_field: the field holding the record id; a record without one gets ``<file>:<line>``.
        format: output format of ``kept/`` and ``rejected/``: ``jsonl`` (zstd-compressed) or ``parquet``.
        records_per_shard: input records per shard (the unit of parallelism, output files and resume).
        max_record_bytes: a record (JSONL line, text file) larger than this is quarantined unread, so one
            pathological line cannot exhaust a worker's memory.
    """

    text_field: str = "text"
    id_field: str = "id"
    format: str = "jsonl"
    records_per_shard: int = 1000
    max_record_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class EngineConfig:
    """How the run is executed; changing these never changes the output.

    Attributes:
        name: ``local`` (a process pool) or ``ray``.
        workers: worker processes; 0 means one per CPU core.
        batch_size: records per batch handed to the steps.
        progress: show a progress bar on stderr when it is a terminal.
        ray_address: with ``name = "ray"``, the Ray cluster to connect to (``HOST:6379`` or ``ray://HOST:10001``);
            empty: ``RAY_ADDRESS`` if set, else a local Ray instance with ``workers`` CPUs.
    """

    name: str = "local"
    workers: int = 0
    batch_size: int = 1000
    progress: bool = True
    ray_address: str = ""

    def resolved_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs: the steps, I/O settings and engine settings."""

    steps: tuple[StepSpec, ...] = tuple(StepSpec(name) for name in DEFAULT_STEPS)
    io: IOConfig = field(default_factory=IOConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    def build_pipeline(self) -> Pipeline:
        """Construct the steps (validating their parameters) into a pipeline reading ``io.text_field``."""
        return Pipeline([build_step(s.name, s.params) for s in self.steps], text_field=self.io.text_field)

    def with_overrides(
        self, *, io: Mapping[str, Any] | None = None, engine: Mapping[str, Any] | None = None
    ) -> RunConfig:
        """A new config with some io/engine values replaced (``None`` values are ignored), validated."""
        io_values = {k: v for k, v in (io or {}).items() if v is not None}
        engine_values = {k: v for k, v in (engine or {}).items() if v is not None}
        new = RunConfig(
            self.steps,
            _section(IOConfig, {**dataclasses.asdict(self.io), **io_values}, "io", "options"),
            _section(EngineConfig, {**dataclasses.asdict(self.engine), **engine_values}, "engine", "options"),
        )
        return new

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as plain data (what ``config.toml`` in the run folder holds)."""
        pipeline = self.build_pipeline()
        return {
            "steps": [{"name": s.name, **s.params()} for s in pipeline.steps],
            "io": dataclasses.asdict(self.io),
            "engine": dataclasses.asdict(self.engine),
        }

    def to_toml(self) -> str:
        """The resolved config as TOML; ``load_config`` on it gives the same config back."""
        return dump_toml(self.to_dict())


def dump_toml(data: Mapping[str, Any]) -> str:
    """Write a resolved config dict (``steps``, ``io``, ``engine``) as TOML."""
    lines = ["# zhclean resolved config: every value, defaults included", ""]
    for step in data["steps"]:
        lines.append("[[steps]]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in step.items())
        lines.append("")
    for section in ("io", "engine"):
        lines.append(f"[{section}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in data[section].items())
        lines.append("")
    return "\n".join(lines)


def load_config(path: str | os.PathLike[str]) -> RunConfig:
    """Read and validate a TOML config file."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError as exc:
            raise ConfigError("reading a TOML config needs Python 3.11+ or: pip install tomli") from exc
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {p}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {p}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from exc
    return parse_config(data, source=str(p))


def parse_config(data: Mapping[str, Any], source: str = "config") -> RunConfig:
    """Validate parsed TOML (or an equivalent dict) into a :class:`RunConfig`; builds the steps to check them."""
    sections = ("steps", "io", "engine")
    for key in data:
        if key not in sections:
            raise ConfigError(
                f"{source}: unknown section {key!r}{did_you_mean(key, sections)} (known: {', '.join(sections)})"
            )
    steps = tuple(_step_spec(item, source) for item in data.get("steps", DEFAULT_STEPS))
    cfg = RunConfig(
        steps,
        _section(IOConfig, data.get("io", {}), f"{source}: [io]", "key"),
        _section(EngineConfig, data.get("engine", {}), f"{source}: [engine]", "key"),
    )
    try:
        cfg.build_pipeline()
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from exc
    return cfg


def package_versions() -> dict[str, str]:
    """Python, platform, zhclean and its dependencies' versions (written into the run folder)."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for dist in ("zhclean", "opencc", "pypinyin", "jieba", "ftfy", "zstandard", "tqdm", "pyarrow"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def _step_spec(item: Any, source: str) -> StepSpec:
    if isinstance(item, str):
        return StepSpec(item)
    if isinstance(item, Mapping) and isinstance(item.get("name"), str):
        return StepSpec(item["name"], {k: v for k, v in item.items() if k != "name"})
    raise ConfigError(f'{source}: each step must be a name or a table with name = "..." (got {item!r})')


def _section(cls: type, values: Mapping[str, Any], where: str, noun: str) -> Any:
    if not isinstance(values, Mapping):
        raise ConfigError(f"{where} must be a table of settings, got {values!r}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    defaults = cls()
    for key, value in values.items():
        if key not in fields:
            hint = did_you_mean(key, fields)
            raise ConfigError(f"{where}: unknown {noun} {key!r}{hint} (known: {', '.join(fields)})")
        expected = type(getattr(defaults, key))
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: {key} must be {expected.__name__}, got {value!r}")
    obj = cls(**values)
    _check_values(obj, where)
    return obj


def _check_values(obj: Any, where: str) -> None:
    if isinstance(obj, IOConfig):
        if obj.format not in FORMATS:
            raise ConfigError(f"{where}: format must be one of {', '.join(FORMATS)}, got {obj.format!r}")
        if obj.records_per_shard < 1 or obj.max_record_bytes < 1:
            raise ConfigError(f"{where}: records_per_shard and max_record_bytes must be >= 1")
        if not obj.text_field or not obj.id_field:
            raise ConfigError(f"{where}: text_field and id_field must not be empty")
    if isinstance(obj, EngineConfig):
        if obj.name not in ENGINES:
            raise ConfigError(f"{where}: engine must be one of {', '.join(ENGINES)}{did_you_mean(obj.name, ENGINES)}")
        if obj.workers < 0 or obj.batch_size < 1:
            raise ConfigError(f"{where}: workers must be >= 0 (0 = all cores) and batch_size >= 1")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise ConfigError(f"cannot write {value!r} to TOML")
