"""The built-in steps.  Each wraps one function; the expensive part is built in ``setup()``."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from zhclean.errors import ConfigError
from zhclean.steps.base import FilterStep, Step, TransformStep, shared_lexicon


@dataclass
class Restore(TransformStep):
    """Undo mojibake, injected pinyin, machine S→T conversion and folded punctuation (``restore_text_explained``).

    Attributes:
        options: keyword arguments for :class:`zhclean.text.restore.RestoreConfig`; in a config file they are given
            as the step's own keys (``[[steps]] name = "restore"`` followed by ``some_option = ...``).
    """

    name: ClassVar[str] = "restore"
    summary: ClassVar[str] = "repair mojibake, injected pinyin, machine S→T conversion and folded punctuation"

    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def param_names(cls) -> tuple[str, ...]:
        config_cls = _restore_config_class()
        if config_cls is None or not dataclasses.is_dataclass(config_cls):
            return ()
        return tuple(f.name for f in dataclasses.fields(config_cls) if f.init)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Step:
        if _restore_config_class() is None:  # cannot check the keys yet; setup() will report the missing module
            return cls(options=dict(params))
        from zhclean.steps.table import did_you_mean

        allowed = cls.param_names()
        for key in params:
            if key not in allowed:
                raise ConfigError(
                    f"step 'restore' has no option {key!r}{did_you_mean(key, allowed)} "
                    f"(options: {', '.join(allowed) or 'none'})"
                )
        return cls(options=dict(params))

    def params(self) -> dict[str, Any]:
        return dict(self.options)

    def validate(self) -> None:
        config_cls = _restore_config_class()
        if config_cls is not None:
            try:
                config_cls(**self.options)
            except (TypeError, ValueError) as exc:
                raise ConfigError(f"step 'restore': bad options {dict(self.options)!r}: {exc}") from exc

    def setup(self) -> None:
        from zhclean.text.restore import RestoreConfig, restore_text_explained

        self._config = RestoreConfig(**self.options)
        self._lexicon = shared_lexicon()
        self._restore = restore_text_explained

    def transform(self, text: str) -> Any:
        return self._restore(text, config=self._config, lexicon=self._lexicon)


@dataclass
class MinLength(FilterStep):
    """Drop documents with fewer than ``min_chars`` non-whitespace characters (after the steps before it)."""

    name: ClassVar[str] = "min_length"
    summary: ClassVar[str] = "drop documents shorter than min_chars non-whitespace characters (reason too_short)"

    min_chars: int = 20

    def validate(self) -> None:
        if isinstance(self.min_chars, bool) or not isinstance(self.min_chars, int) or self.min_chars < 0:
            raise ConfigError(f"step 'min_length': min_chars must be a whole number >= 0, got {self.min_chars!r}")

    def drop_reason(self, text: str) -> str | None:
        # Counting stops at min_chars, so a very long document costs no more than a short one.
        count = 0
        for ch in text:
            if not ch.isspace():
                count += 1
                if count >= self.min_chars:
                    return None
        return None if count >= self.min_chars else "too_short"


def _restore_config_class() -> type | None:
    """RestoreConfig if :mod:`zhclean.text.restore` is importable, else None."""
    try:
        from zhclean.text.restore import RestoreConfig
    except ImportError:
        return None
    return RestoreConfig
