"""HTML/WARC input: a WARC generated here with pages in UTF-8, GBK and Big5, with right, wrong and missing charsets."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path

import pytest

pytest.importorskip("resiliparse", reason="the html extra (resiliparse) is not installed")
pytest.importorskip("fastwarc", reason="the html extra (fastwarc) is not installed")

from zhclean.html.extract import extract_html, sniff_charset
from zhclean.html.warc import read_warc

SIMPLIFIED = "  城东湿地公园举行春季植树活动,近千名志愿者参加,共栽下各类树苗三千余株。"
TRADITIONAL = "  城東濕地公園舉行春季植樹活動,近千名志願者參加,共栽下各類樹苗三千餘株。"


def _page(title: str, body: str, meta: str | None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return (
        f"<html><head>{head}<title>{title}</title></head><body>"
        "<div class='nav'><a href='/'>首頁</a> | <a href='/news'>新聞</a></div>"
        f"<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>Copyright 晨風網 版權所有</footer></body></html>"
    )


# (title, body, encoding of the bytes, meta charset, HTTP charset)
CASES = [
    ("植树活动举行", SIMPLIFIED, "utf-8", "utf-8", "utf-8"),
    ("植树活动举行", SIMPLIFIED, "gbk", "gbk", None),
    ("植树活动举行", SIMPLIFIED, "gbk", None, "utf-8"),  # wrong HTTP header, no meta
    ("植树活动举行", SIMPLIFIED, "gbk", "iso-8859-1", None),  # wrong meta
    ("植樹活動舉行", TRADITIONAL, "big5", "big5", "big5"),
    ("植樹活動舉行", TRADITIONAL, "big5", None, None),  # no charset at all
    ("植樹活動舉行", TRADITIONAL, "big5", "gb2312", None),  # wrong meta
]


def _warc(path: Path) -> None:
    chunks = []
    for i, (title, body, enc, meta, http) in enumerate(CASES):
        payload = _page(title, body, meta).encode(enc)
        ctype = "text/html" + (f"; charset={http}" if http else "")
        http_block = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
        block = http_block + payload
        head = (
            "WARC/1.1\r\nWARC-Type: response\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=i + 1)}>\r\n"
            f"WARC-Target-URI: http://example.test/{i}.html\r\n"
            "WARC-Date: 2026-11-23T00:00:00Z\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n"
        ).encode()
        chunks.append(gzip.compress(head + block + b"\r\n\r\n"))
    path.write_bytes(b"".join(chunks))


def test_warc_pages_in_three_encodings(tmp_path: Path) -> None:
    warc = tmp_path / "sample.warc.gz"
    _warc(warc)
    recs = list(read_warc(warc))
    assert len(recs) == len(CASES)
    for rec, (title, body, enc, meta, _http) in zip(recs, CASES, strict=True):
        assert body.strip() in rec["text"], (enc, meta, rec["text"][:80])
        assert "版權所有" not in rec["text"] and "首頁" not in rec["text"]  # resiliparse dropped nav and footer
        assert rec["zh__encoding"] == ("utf-8" if enc == "utf-8" else "gb18030" if enc == "gbk" else "big5")
        assert rec["zh__html_title"] == title and rec.get("zh__error") is None


def test_warc_through_restore_and_clean(tmp_path: Path) -> None:
    from zhclean.pipeline import Pipeline
    from zhclean.steps.clean import Clean
    from zhclean.steps.library import Restore

    warc = tmp_path / "sample.warc.gz"
    _warc(warc)
    out = Pipeline([Restore(), Clean()]).run_local(list(read_warc(warc)))
    assert all(r.get("zh__error") is None for r in out)
    assert SIMPLIFIED.strip() in out[1]["text"] and TRADITIONAL.strip() in out[4]["text"]


def test_limits_and_errors() -> None:
    big = _page("标题", SIMPLIFIED, "utf-8").encode()
    assert extract_html(big, max_bytes=100).error == "too_large"
    assert extract_html(b"").text == ""
    with pytest.raises(TypeError):
        extract_html("<p>str</p>")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown extractor"):
        extract_html(big, extractor="nope")
    assert sniff_charset(b"<meta charset='Big5'>") == "big5"


def test_warc_through_zhclean_run(tmp_path: Path) -> None:
    """End to end: `zhclean run` reads the WARC, extracts and decodes in the workers, restores and cleans."""
    import json
    import subprocess
    import sys

    import zstandard

    warc = tmp_path / "sample.warc.gz"
    _warc(warc)
    config = tmp_path / "c.toml"
    config.write_text('[[steps]]\nname = "restore"\n\n[[steps]]\nname = "clean"\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "zhclean", "run", str(warc), "-o", str(out), "--config", str(config), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["records_in"] == len(CASES) == report["kept"]
    kept = []
    for part in sorted((out / "kept").glob("part-*.jsonl.zst")):
        data = zstandard.ZstdDecompressor().stream_reader(part.open("rb")).read().decode("utf-8")
        kept += [json.loads(line) for line in data.splitlines() if line]
    by_url = {r["url"]: r for r in kept}
    for i, (_title, body, enc, _meta, _http) in enumerate(CASES):
        rec = by_url[f"http://example.test/{i}.html"]
        assert body.strip() in rec["text"], (enc, rec["text"][:80])
        assert rec["zh__encoding"] == ("utf-8" if enc == "utf-8" else "gb18030" if enc == "gbk" else "big5")
