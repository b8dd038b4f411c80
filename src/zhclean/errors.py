"""The exception hierarchy: every error a user can meet says what to do about it."""

from __future__ import annotations


class ZhcleanError(Exception):
    """Base class of zhclean's own errors."""


class ConfigError(ZhcleanError, ValueError):
    """A configuration value or key is wrong; the message names it and suggests the fix."""


class InputError(ZhcleanError):
    """An input path or file cannot be used at all (a single bad record is quarantined instead)."""


class MissingExtraError(ZhcleanError, ImportError):
    """An optional dependency is missing; the message gives the exact pip command."""

    def __init__(self, extra: str, module: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the optional dependency '{module}': run  pip install 'zhclean[{extra}]'"
        )
        self.extra = extra
        self.module = module


BYTES_ERROR_TEXT = (
    "zhclean's text functions take str, not bytes. Decode the bytes first, for example with "
    "zhclean.text.encoding.decode_bytes(data), which tries UTF-8 and the Chinese encodings and records its choice."
)
