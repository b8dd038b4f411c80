"""Main text from HTML bytes: zhclean's own Chinese-aware decoding, then resiliparse (default) or trafilatura.

The declared charset (HTTP ``Content-Type`` or ``<meta charset>``) is only a hint to
:func:`zhclean.text.encoding.decode_bytes`: Chinese pages mislabel GBK as UTF-8 or ISO-8859-1 often, and the bytes win
over the label.  Extraction is bounded per document: pages over ``max_bytes`` are refused with a reason, and the
extractor runs under a time guard (``timeout`` seconds; resiliparse's process guard interrupts a runaway parse).

resiliparse and trafilatura are imported lazily; without them :class:`~zhclean.errors.MissingExtraError` names the
extra to install.

Example:
    >>> page = '<html><head><meta charset="gbk"><title>标题</title></head><body><p>今天天气很好，我们去公园散步。</p>'
    >>> ex = extract_html(page.encode("gbk") + b"</body></html>")  # doctest: +SKIP
    >>> ex.text, ex.encoding  # doctest: +SKIP
    ('今天天气很好，我们去公园散步。', 'gb18030')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhclean.errors import MissingExtraError
from zhclean.text.encoding import decode_bytes

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "EXTRACTORS", "Extracted", "extract_html", "sniff_charset"]

DEFAULT_MAX_BYTES = 5_000_000
"""Largest HTML document extracted (5 MB).  Common Crawl truncates payloads at 1 MiB; a news page is 50–300 KB."""

DEFAULT_TIMEOUT = 10.0
"""Seconds one extraction may take.  resiliparse extracts a 100 KB page in about 1 ms, trafilatura in about 10 ms;
a page that takes 10 s is pathological markup."""

EXTRACTORS = ("resiliparse", "trafilatura")

_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Extracted:
    """The main text of one HTML document, or why there is none.

    Attributes:
        text: the extracted text ('' when refused or empty).
        encoding: the encoding :func:`decode_bytes` chose.
        declared: the charset the page or the HTTP header declared (``None`` if neither did).
        title: the ``<title>`` (resiliparse only), ``None`` if absent.
        error: ``None``, or ``too_large``, ``timeout``, ``extract_failed: …``.
    """

    text: str
    encoding: str
    declared: str | None = None
    title: str | None = None
    error: str | None = None


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag in its first 4 KB, lower-cased, or ``None``.

    >>> sniff_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'), sniff_charset(b"<p>")
    ('gb2312', None)
    """
    m = _META_CHARSET_RE.search(data[:_SNIFF_BYTES])
    return m.group(1).decode("ascii").lower() if m else None


def extract_html(
    data: bytes,
    *,
    http_charset: str | None = None,
    extractor: str = "resiliparse",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Extracted:
    """Decode ``data`` with zhclean's decoder (the HTTP charset, else the meta charset, as a hint) and extract the
    main text with ``extractor``.

    Raises:
        TypeError: ``data`` is not bytes.
        ValueError: unknown ``extractor``.
        MissingExtraError: the extractor's package is not installed.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"extract_html expects bytes, got {type(data).__name__}")
    if extractor not in EXTRACTORS:
        raise ValueError(f"unknown extractor {extractor!r}; use one of {', '.join(EXTRACTORS)}")
    data = bytes(data)
    declared = (http_charset or "").lower() or sniff_charset(data)
    if len(data) > max_bytes:
        return Extracted("", "", declared, None, "too_large")
    decoded = decode_bytes(data, hint=declared)
    html = decoded.text
    try:
        if extractor == "resiliparse":
            text, title = _with_resiliparse(html, timeout)
        else:
            text, title = _with_trafilatura(html, timeout), None
    except MissingExtraError:
        raise
    except TimeoutError:
        return Extracted("", decoded.encoding, declared, None, "timeout")
    except Exception as exc:  # a broken page must not stop a shard; the caller records the reason
        return Extracted("", decoded.encoding, declared, None, f"extract_failed: {type(exc).__name__}")
    return Extracted(text, decoded.encoding, declared, title or None, None)


def _with_resiliparse(html: str, timeout: float) -> tuple[str, str]:
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree
        from resiliparse.process_guard import ExecutionTimeout, InterruptType, time_guard
    except ImportError as exc:
        raise MissingExtraError("html", "resiliparse", "HTML extraction") from exc
    try:
        with time_guard(timeout=max(1, round(timeout)), interrupt_type=InterruptType.exception, check_interval=50):
            tree = HTMLTree.parse(html)
            return extract_plain_text(tree, main_content=True), tree.title or ""
    except ExecutionTimeout as exc:
        raise TimeoutError from exc


def _with_trafilatura(html: str, timeout: float) -> str:
    try:
        import trafilatura
    except ImportError as exc:
        raise MissingExtraError("html", "trafilatura", "HTML extraction with trafilatura") from exc
    try:
        from resiliparse.process_guard import ExecutionTimeout, InterruptType, time_guard
    except ImportError:  # no guard available: trafilatura has its own internal limits
        return trafilatura.extract(html, include_comments=False) or ""
    try:
        with time_guard(timeout=max(1, round(timeout)), interrupt_type=InterruptType.exception, check_interval=50):
            return trafilatura.extract(html, include_comments=False) or ""
    except ExecutionTimeout as exc:
        raise TimeoutError from exc
