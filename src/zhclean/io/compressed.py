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
# Compressed bytes handed to the zstd decoder at a time: start small, double while each call decodes less than
# DECODED_TARGET, shrink when it decodes more.  Text compresses 3-10x, so the feed soon reaches MAX_FEED; a file of
# one repeated line compresses 10,000x and more, and then the small feed keeps what is decoded at once bounded.
MIN_FEED = 128
MAX_FEED = 1 << 16
DECODED_TARGET = 1 << 20


class ZstdReader(io.RawIOBase):
    """A raw binary reader over a (possibly multi-frame) zstd file that detects truncation.

    Compressed input is fed in pieces of adaptive size because a decompression object returns everything it can
    decode from what it is given: one large read of a highly compressible file would otherwise expand to the whole
    file in memory.
    """

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._dctx = zstandard.ZstdDecompressor()
        self._dobj = self._dctx.decompressobj()
        self._pending = b""
        self._pos = 0
        self._in_frame = False
        self._eof = False
        self._feed = MIN_FEED

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
        data = self._fh.read(self._feed)
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
        decoded = b"".join(out)
        if len(decoded) < DECODED_TARGET:
            self._feed = min(MAX_FEED, self._feed * 2)
        else:
            self._feed = max(MIN_FEED, self._feed // 4)
        return decoded

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
