"""WARC input: HTTP responses with an HTML body → records (``id``, ``url``, ``text``) for the pipeline.

fastwarc reads the archive (plain, gzip or lz4; detected from the bytes) and parses the HTTP headers; each HTML
response is decoded and extracted by :func:`zhclean.html.extract.extract_html`.  A response that cannot be extracted
becomes a record with ``zh__error = "extract:<reason>"`` (it is counted, never silently skipped).

Example (needs the ``html`` extra):
    >>> recs = list(read_warc("crawl.warc.gz"))  # doctest: +SKIP
    >>> sorted(recs[0])  # doctest: +SKIP
    ['id', 'text', 'url', 'zh__declared_charset', 'zh__encoding', 'zh__html_title', 'zh__id', 'zh__source']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhclean.errors import MissingExtraError
from zhclean.html.extract import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, extract_html
from zhclean.record import ERROR, ID, SOURCE

__all__ = ["WARC_SUFFIXES", "read_warc"]

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(
    path: str | Path,
    *,
    extractor: str = "resiliparse",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    text_field: str = "text",
) -> Iterator[dict[str, Any]]:
    """One record per HTML response in the WARC file at ``path``, in file order.

    ``id`` is the WARC-Record-ID, ``url`` the WARC-Target-URI; ``zh__encoding`` is the encoding zhclean chose and
    ``zh__declared_charset`` what the HTTP header or the page declared (they differ on mislabelled pages).
    """
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError as exc:
        raise MissingExtraError("html", "fastwarc", "reading WARC files") from exc
    name = str(path)
    with open(path, "rb") as f:
        for n, rec in enumerate(ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True)):
            ctype = (rec.http_content_type or "").lower()
            if rec.http_headers is None or not ctype.startswith(_HTML_TYPES):
                continue
            rid = rec.record_id or f"{name}:{n}"
            url = rec.headers.get("WARC-Target-URI")
            body = rec.reader.read(max_bytes + 1)
            ex = extract_html(
                body, http_charset=rec.http_charset, extractor=extractor, max_bytes=max_bytes, timeout=timeout
            )
            out: dict[str, Any] = {
                "id": rid,
                "url": url,
                text_field: ex.text,
                ID: rid,
                SOURCE: f"{name}:{n + 1}",
                "zh__encoding": ex.encoding or None,
                "zh__declared_charset": ex.declared,
                "zh__html_title": ex.title,
            }
            if ex.error:
                out[ERROR] = f"extract:{ex.error}"
            yield out
