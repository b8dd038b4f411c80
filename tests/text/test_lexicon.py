"""The lexicon's fast T→S converter must give exactly what OpenCC's own t2s gives."""

from __future__ import annotations

import pytest

from zhclean.text.lexicon import FastT2S, Lexicon


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


def test_phrase_sensitive_characters_follow_opencc(lex: Lexicon) -> None:
    # 乾 converts to 干 alone but stays in 乾隆; 於 stays in 於菟: the table alone would get these wrong
    for text in ("乾隆年間", "乾燥的天氣", "於菟", "於是他走了", "什麼", "計畫"):
        assert lex.t2s(text) == lex.t2s_phrase(text)
    assert lex.t2s("乾隆") == "乾隆" and lex.t2s("乾燥") == "干燥"


def test_long_text_with_and_without_sensitive_characters(lex: Lexicon) -> None:
    body = "兩岸關係和平發展，國際會議於明年舉行。網絡資訊產業發達。\n" * 80  # > 2,000 characters: numpy and pieces
    assert len(body) > 2_000
    assert lex.t2s(body) == lex.t2s_phrase(body)
    clean = body.replace("於", "在")
    assert lex.t2s(clean) == lex.t2s_phrase(clean)
    mixed = body + "乾隆皇帝" + body + "\U0002f800" + "𠀀"
    assert lex.t2s(mixed) == lex.t2s_phrase(mixed)


def test_without_opencc_dictionaries_there_is_no_fast_path(lex: Lexicon) -> None:
    # when the phrase entries cannot be read, nothing may be guessed: every string goes to OpenCC
    assert FastT2S.build(lex.t2s_phrase, None) is None


def test_lone_surrogates_behave_as_in_opencc(lex: Lexicon) -> None:
    for text in ("國\ud800國", "\udfff" * 300):
        with pytest.raises(UnicodeEncodeError):
            lex.t2s_phrase(text)
        with pytest.raises(UnicodeEncodeError):
            lex.t2s(text)


def test_readings_from_the_table_equal_pypinyin_calls() -> None:
    """The readings read from pypinyin's character table are what ``pinyin()`` gives, for every character of it."""
    from pypinyin import Style, pinyin
    from pypinyin.constants import PINYIN_DICT

    table_lex = Lexicon.load()
    assert table_lex._pinyin_table is not None
    call_lex = Lexicon.load()
    call_lex._pinyin_table = None  # the pypinyin-call path
    chars = [chr(k) for k in PINYIN_DICT] + ["a", "。", "", "國國", "\U0002a6a5", "\ud800"]
    differ = [c for c in chars if table_lex.readings(c) != call_lex.readings(c)]
    differ += [c for c in chars if table_lex.primary_reading(c) != call_lex.primary_reading(c)]
    assert differ == []
    # and the call path is pypinyin's own
    assert call_lex.readings("行") == frozenset(
        x for style in (Style.TONE, Style.NORMAL) for x in pinyin("行", heteronym=True, style=style)[0]
    )


def test_toneless_spelling_is_pypinyins() -> None:
    from pypinyin import Style
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.style import convert

    from zhclean.text.lexicon import strip_pinyin_tone

    readings = {r for v in PINYIN_DICT.values() for r in v.split(",") if r}
    assert [r for r in readings if strip_pinyin_tone(r) != convert(r, Style.NORMAL, strict=True)] == []


def test_restoring_does_not_import_the_pypinyin_package() -> None:
    """The readings come from pypinyin's data module alone: importing the package costs ~50 MB a worker."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from zhclean.text.lexicon import Lexicon\n"
        "from zhclean.text.restore import restore_text\n"
        "lex = Lexicon.load()\n"
        "assert restore_text('發(fā)展經(jīng)濟,關(guān)係,網(wǎng)絡', lexicon=lex) == '发展经济，关系，网络'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pypinyin'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
