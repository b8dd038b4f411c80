"""Without the html extra, HTML and WARC input fail early with the pip command (the imports are lazy)."""

from __future__ import annotations

import sys

import pytest

from zhclean.errors import MissingExtraError


def test_missing_resiliparse_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhclean.html.extract import extract_html

    for mod in ("resiliparse", "resiliparse.extract.html2text", "resiliparse.parse.html", "resiliparse.process_guard"):
        monkeypatch.setitem(sys.modules, mod, None)
    with pytest.raises(MissingExtraError, match=r"pip install 'zhclean\[html\]'"):
        extract_html(b"<p>\xe4\xb8\xad\xe6\x96\x87</p>")


def test_missing_fastwarc_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from zhclean.html.warc import read_warc

    monkeypatch.setitem(sys.modules, "fastwarc", None)
    monkeypatch.setitem(sys.modules, "fastwarc.warc", None)
    with pytest.raises(MissingExtraError, match="fastwarc"):
        list(read_warc(tmp_path / "x.warc.gz"))
