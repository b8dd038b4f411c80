"""Tests for zhclean.text.encoding.decode_bytes."""

from __future__ import annotations

import pytest

from zhclean.text.encoding import Decoded, decode_bytes

SIMPLIFIED = "今天天气很好，我们去公园散步。政府决定加强环境保护工作。"
TRADITIONAL = "今天天氣很好，我們去公園散步。政府決定加強環境保護工作。"


def test_utf8_first() -> None:
    d = decode_bytes(SIMPLIFIED.encode("utf-8"), hint="gbk")
    assert d == Decoded(SIMPLIFIED, "utf-8", 1.0, "valid UTF-8")


def test_bom_and_ascii() -> None:
    assert decode_bytes(b"\xef\xbb\xbf" + SIMPLIFIED.encode()).text == SIMPLIFIED
    assert decode_bytes(TRADITIONAL.encode("utf-16")).text == TRADITIONAL
    d = decode_bytes(b"hello")
    assert (d.text, d.encoding, d.confidence) == ("hello", "ascii", 1.0)
    assert decode_bytes(b"").text == ""


def test_cut_last_character_is_still_utf8() -> None:
    d = decode_bytes(SIMPLIFIED.encode()[:-1])
    assert d.encoding == "utf-8" and d.confidence < 1 and d.text.startswith(SIMPLIFIED[:-1])


@pytest.mark.parametrize(
    ("text", "codec", "want"),
    [
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "gbk", "gb18030"),
        ("我们", "gb2312", "gb18030"),
    ],
)
def test_chinese_candidates(text: str, codec: str, want: str) -> None:
    d = decode_bytes(text.encode(codec))
    assert d.text == text and d.encoding == want and d.confidence >= 0.5
    assert want in d.reason


def test_hint_is_not_the_truth() -> None:
    d = decode_bytes(SIMPLIFIED.encode("gbk"), hint="big5")
    assert d.encoding == "gb18030" and d.text == SIMPLIFIED and "hint big5" in d.reason
    d = decode_bytes(SIMPLIFIED.encode("gbk"), hint="utf-8")
    assert d.encoding == "gb18030" and "utf-8 contradicted" in d.reason
    # a near-tie goes to the hint
    assert decode_bytes(TRADITIONAL.encode("big5"), hint="big5-hkscs").encoding == "big5hkscs"


def test_non_chinese_fallbacks() -> None:
    d = decode_bytes("Café naïve".encode("cp1252"), hint="windows-1252")
    assert d.text == "Café naïve" and d.encoding == "cp1252" and "declared" in d.reason
    d = decode_bytes(b"abc\xff\xfe\xfd\x81")
    assert d.confidence <= 0.5 and d.reason


def test_total_and_typed() -> None:
    for junk in [bytes(range(256)), b"\x81" * 10, b"\xa1" * 1001, b"\x00\x00"]:
        d = decode_bytes(junk, hint="no-such-codec")
        assert isinstance(d.text, str) and 0 <= d.confidence <= 1 and d.reason
    with pytest.raises(TypeError):
        decode_bytes("text")  # type: ignore[arg-type]


def test_utf8_with_a_stray_byte() -> None:
    data = (SIMPLIFIED * 3).encode() + b"\xff" + SIMPLIFIED.encode()
    d = decode_bytes(data)
    assert d.encoding == "utf-8" and d.text.count("\ufffd") == 1 and 0.5 <= d.confidence < 1
    # a GBK document is not mistaken for UTF-8 with stray bytes
    assert decode_bytes((SIMPLIFIED * 4).encode("gbk")).encoding == "gb18030"
