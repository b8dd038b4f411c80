"""Open plain, gzip and zstd files as one binary stream, and notice when a compressed file is truncated.

``zstandard``'s own stream reader returns a truncated frame's data without complaint, so :class:`ZstdReader`
decompresses frame by frame and raises :class:`EOFError` when the file ends inside a frame, like ``gzip`` does.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import BinaryIO

import zstandard

READ_SIZE = 1 << 20
# Compressed bytes handed to the zstd decoder at a time (bounds the decoded bytes held at once).
FEED_SIZE = 1 << 14


class ZstdReader(io.RawIOBase):
    """A raw binary reader over a (possibly multi-frame) zstd file that detects truncation.

    Compressed input is fed in small pieces because a decompression object returns everything it can decode from
    what it is given: one large read of a highly compressible file would otherwise expand to the whole file.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._dctx = zstandard.ZstdDecompressor()
        self._dobj = self._dctx.decompressobj()
        self._pending = b""
        self._pos = 0
        self._in_frame = False
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._pos >= len(self._pending) and not self._eof:
            self._pending, self._pos = self._decompress_some(), 0
        n = min(len(buffer), len(self._pending) - self._pos)
        buffer[:n] = memoryview(self._pending)[self._pos : self._pos + n]
        self._pos += n
        return n

    def _decompress_some(self) -> bytes:
        data = self._fh.read(FEED_SIZE)
        if not data:
            self._eof = True
            if self._in_frame:
                raise EOFError("zstd stream ended before the end of its frame (the file is truncated)")
            return b""
        out = []
        while data:
            self._in_frame = True
            out.append(self._dobj.decompress(data))
            if not self._dobj.eof:
                break
            # One frame done; a file may hold several frames back to back.
            data = self._dobj.unused_data
            self._dobj = self._dctx.decompressobj()
            self._in_frame = False
        return b"".join(out)

    def close(self) -> None:
        self._fh.close()
        super().close()


def compression_of(path: Path) -> str:
    """``"gz"``, ``"zst"`` or ``""`` from the file name."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return "gz"
    if name.endswith((".zst", ".zstd")):
        return "zst"
    return ""


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for buffered binary reading, decompressing by extension."""
    kind = compression_of(path)
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    if kind == "gz":
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    if kind == "zst":
        return io.BufferedReader(ZstdReader(fh), buffer_size=READ_SIZE)  # type: ignore[return-value]
    return fh
