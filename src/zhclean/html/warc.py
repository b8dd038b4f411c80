"""WARC input: HTTP responses with an HTML body → records (``id``, ``url``, ``text``) for the pipeline.

Two halves, so that the cheap part runs where files are read and the extraction runs in the workers:
:func:`iter_warc_payloads` walks the archive with fastwarc (plain, gzip or lz4, detected from the bytes) and yields
each HTML response's body with its id, URL and HTTP charset; :func:`record_from_payload` decodes and extracts one
body (:func:`zhclean.html.extract.extract_html`).  :func:`read_warc` chains them.  A response that cannot be extracted
becomes a record with ``zh__error = "extract:<reason>"``: counted, never silently skipped.

Example (needs the ``html`` extra):
    >>> recs = list(read_warc("crawl.warc.gz"))  # doctest: +SKIP
    >>> sorted(recs[0])  # doctest: +SKIP
    ['id', 'text', 'url', 'zh__declared_charset', 'zh__encoding', 'zh__html_title', 'zh__id', 'zh__origin']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from zhclean.errors import MissingExtraError
from zhclean.html.extract import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, extract_html
from zhclean.record import ERROR, ID, ORIGIN

__all__ = ["WARC_SUFFIXES", "iter_warc_payloads", "read_warc", "record_from_payload"]

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.lz4")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def iter_warc_payloads(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[dict[str, Any]]:
    """``{"id", "url", "body", "http_charset", "truncated"}`` for each HTML response, in file order.

    At most ``max_bytes + 1`` bytes of a body are kept (one more than the extraction limit, so that an oversized page
    is still recognised as such).
    """
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError as exc:
        raise MissingExtraError("html", "fastwarc", "reading WARC files") from exc
    with open(path, "rb") as f:
        for n, rec in enumerate(ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True)):
            ctype = (rec.http_content_type or "").lower()
            if rec.http_headers is None or not ctype.startswith(_HTML_TYPES):
                continue
            yield {
                "id": rec.record_id or f"{path}:{n}",
                "url": rec.headers.get("WARC-Target-URI"),
                "body": rec.reader.read(max_bytes + 1),
                "http_charset": rec.http_charset,
            }


def record_from_payload(
    payload: Mapping[str, Any],
    *,
    text_field: str = "text",
    extractor: str = "resiliparse",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Any]:
    """The record for one payload of :func:`iter_warc_payloads`: ``id``, ``url``, the text, and ``zh__encoding``
    (what zhclean chose), ``zh__declared_charset`` (what the header or page claimed), ``zh__html_title``."""
    ex = extract_html(
        payload["body"], http_charset=payload.get("http_charset"), extractor=extractor, max_bytes=max_bytes,
        timeout=timeout,
    )  # fmt: skip
    out: dict[str, Any] = {
        "id": payload["id"],
        "url": payload.get("url"),
        text_field: ex.text,
        "zh__encoding": ex.encoding or None,
        "zh__declared_charset": ex.declared,
        "zh__html_title": ex.title,
    }
    if ex.error:
        out[ERROR] = f"extract:{ex.error}"
    return out


def read_warc(
    path: str | Path,
    *,
    extractor: str = "resiliparse",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    text_field: str = "text",
) -> Iterator[dict[str, Any]]:
    """One record per HTML response in the WARC file at ``path`` (both halves in this process), with ``zh__id``
    and ``zh__origin`` (``<path>:<n>``, 1-based) set as the other readers set them."""
    for n, payload in enumerate(iter_warc_payloads(path, max_bytes=max_bytes), 1):
        rec = record_from_payload(
            payload, text_field=text_field, extractor=extractor, max_bytes=max_bytes, timeout=timeout
        )
        rec[ID] = rec["id"]
        rec[ORIGIN] = f"{path}:{n}"
        yield rec
