"""Tests for zhclean.text.pinyin: which ``字(pīn)`` annotations are injected and which are glosses."""

from __future__ import annotations

import pytest

from zhclean.text import pinyin
from zhclean.text.edits import apply_edits
from zhclean.text.lexicon import Lexicon
from zhclean.text.pinyin import (
    detect_pinyin_injection,
    find_pinyin_annotations,
    strip_pinyin_annotations,
    strip_pinyin_annotations_explained,
)


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


# An injected Traditional page: every Traditional-only character of the page's table carries its primary reading.
INJECTED = "兩岸經(jīng)濟合作發(fā)展,推動(dòng)關(guān)系進(jìn)一步發(fā)展,會(huì)議認為"
INJECTED_CLEAN = "兩岸經濟合作發展,推動關系進一步發展,會議認為"


def test_strips_injected_annotations(lex):
    assert strip_pinyin_annotations(INJECTED, lexicon=lex) == INJECTED_CLEAN


def test_edits_replay_and_carry_the_rule(lex):
    e = strip_pinyin_annotations_explained(INJECTED, lexicon=lex)
    assert apply_edits(INJECTED, e.edits) == e.text
    assert {x.rule for x in e.edits} == {"pinyin.paren_annotation"}
    assert all(x.after == "" for x in e.edits)


@pytest.mark.parametrize(
    "text",
    [
        "银行(háng)业和行(xíng)为",  # teaching glosses on Simplified characters
        "铅(yán)山、蚌(bèng)埠、乐(lào)亭",  # place names read unusually
        "国内生产总值(GDP)",  # Latin abbreviation
        "中国(济南)",  # Chinese in parentheses
        "研究(n=50)显示",
        "长(zhǎng)大",  # one gloss on a Simplified character
        "說(yuè)",  # a Traditional-only character glossed with a non-primary reading, alone
        "國(guo3)",  # tone-number gloss with the wrong tone
        "中國(ABC)",
        "發(xyz)展",  # not a reading
    ],
)
def test_keeps_genuine_parentheses(lex, text):
    assert strip_pinyin_annotations(text, lexicon=lex) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發(fā)展", "發展"),  # one Traditional-only character with its primary reading
        ("發(fa1)展", "發展"),  # tone number
        ("會(huì )議", "會議"),  # the injector variant with a space inside
        ("中國(guó)的網(wǎng)發(fā))", "中國的網發)"),  # the real ')' after an annotation stays
    ],
)
def test_strips_variants(lex, text, expected):
    assert strip_pinyin_annotations(text, lexicon=lex) == expected


def test_toneless_repeating_injector_on_simplified_text(lex):
    text = "国(guo)(guo)务院(yuan)(yuan)召开会议(yi)(yi),国(guo)(guo)家发展(zhan)目标(biao)"
    v = detect_pinyin_injection(text, lexicon=lex)
    assert v.injected and v.n_repeated >= 2
    assert strip_pinyin_annotations(text, lexicon=lex) == "国务院召开会议,国家发展目标"


def test_symbol_between_character_and_annotation(lex):
    text = "国(guo)⛦(guo)务院(yuan)(yuan)就☂(jiu)是(shi)(shi)"
    assert strip_pinyin_annotations(text, lexicon=lex) == "国⛦务院就☂是"


def test_document_density_strips_non_exclusive_characters(lex):
    # 著 is written the same in both scripts; in an injected page its annotation goes too
    text = INJECTED + ",打著(zhù)旗號"
    assert strip_pinyin_annotations(text, lexicon=lex).endswith("打著旗號")
    assert strip_pinyin_annotations("打著(zhù)旗號", lexicon=lex) == "打著(zhù)旗號"


def test_glossing_page_is_not_injected(lex):
    text = "多音字:行(háng)、长(zhǎng)、乐(yuè)、重(chóng)、还(huán)、都(dū)、着(zhuó)、曾(zēng)"
    v = detect_pinyin_injection(text, lexicon=lex)
    assert not v.injected
    assert strip_pinyin_annotations(text, lexicon=lex) == text


def test_orphan_tail_and_truncated_annotation(lex):
    text = INJECTED + "各?lián)融合,認(r"
    out = strip_pinyin_annotations_explained(text, lexicon=lex)
    assert out.text == INJECTED_CLEAN + "各?融合,認"
    assert [e.rule for e in out.edits if e.rule != "pinyin.paren_annotation"] == ["pinyin.orphan_tail"] * 2
    # outside an injected page, a lone '?word)' is left alone
    assert strip_pinyin_annotations("what?lián)", lexicon=lex) == "what?lián)"


def test_a_truncated_annotation_is_found_however_long_and_before_a_final_newline(lex):
    # the search for it looks at the last 8 characters only: "(" + 6 letters + "\n" is the longest that can match
    for part in ("zh", "zhuan", "zhuang"):
        for end in ("", "\n"):
            text = INJECTED + "狀" + "(" + part + end
            out = strip_pinyin_annotations(text, lexicon=lex)
            assert out == INJECTED_CLEAN + "狀" + end, (part, end)


def test_orphan_tails_can_be_kept(lex):
    text = INJECTED + "各?lián)融合"
    assert strip_pinyin_annotations(text, lexicon=lex, strip_orphan_tails=False).endswith("各?lián)融合")


def test_find_reports_reading_and_script(lex):
    (a,) = find_pinyin_annotations("發(fā)", lexicon=lex)
    assert (a.host, a.syllable, a.is_reading, a.is_primary, a.host_traditional_only) == ("發", "fā", True, True, True)


def test_idempotent_and_total(lex):
    once = strip_pinyin_annotations(INJECTED, lexicon=lex)
    assert strip_pinyin_annotations(once, lexicon=lex) == once
    for odd in ["", "(", ")", "((()))", "?)", "(a)", "中(", "\x00(\ud800)"]:
        strip_pinyin_annotations(odd, lexicon=lex)
    with pytest.raises(TypeError):
        strip_pinyin_annotations(b"abc", lexicon=lex)  # type: ignore[arg-type]


def test_a_gloss_annotates_once_the_injector_always(lex):
    # a dictionary line: the headword is glossed, its other occurrences are bare
    line = "長(cháng):長度、長短、長久"
    assert strip_pinyin_annotations(line, lexicon=lex) == line
    page = "發(fā)音:發(fā)言、發(fā)展、發(fā)現"
    assert strip_pinyin_annotations(page, lexicon=lex) == "發音:發言、發展、發現"


def test_glossing_page_with_many_traditional_glosses_is_not_injected(lex):
    text = "多音字:長(cháng)長短,長大;調(diào)查調(diào),調和;會(huì)計會,開會;發(fā)現發,發財;樂(lè)樂,音樂"
    v = detect_pinyin_injection(text, lexicon=lex)
    assert v.n_traditional >= 3 and v.consistency < 0.7
    assert not v.injected


@pytest.mark.parametrize(
    "text",
    [
        INJECTED,
        "(guó)國(guó)",  # an annotation at the very start has no host
        "國(guó)\n(guó)中(zhōng)",  # nor one after a line break
        "國(guó)(guó)中(zhōng)",  # a chain
        "国(guo)⛦(guo)务院(yuan)(yuan)就☂(jiu)是(shi)(shi)",  # symbols and chains
        "(GDP)(guo)國(ab)(guó)中(zhōng)",  # non-syllables before a chain candidate
        "說(shuō)😀(shuō)𠀀(a)國(guo3)(guo3)",
        "a(guo)b(guo)國(guó)",
    ],
)
def test_common_path_matches_the_general_scan(lex, text):
    # find_pinyin_annotations takes a C-level path when no annotation follows a symbol or another annotation; both
    # paths must give the same annotations
    memo: dict = {}
    assert find_pinyin_annotations(text, lexicon=lex) == pinyin._find_any(text, memo, lex)


def test_han_count_matches_the_han_pattern():
    every = "".join(map(chr, range(0x110000)))
    bmp = every[:0x10000]  # lone surrogates included
    for text in (every, bmp, bmp[0x3300:0x3500] + bmp[0x9F00:0xA100] + bmp[0xF800:0xFB00], "", "abc"):
        assert pinyin._count_han(text) == len(pinyin._HAN_RE.findall(text))


@pytest.mark.parametrize(
    "text",
    [
        INJECTED,
        INJECTED + "各?lián)融合,認(r",
        "打著(zhù)旗號",
        "長(cháng):長度",
        "發(fā)音:發言、發(fā)展",
        "",
        "(",
        "說(yuè)",
    ],
)
def test_plain_twin_gives_the_explained_text(lex, text):
    assert strip_pinyin_annotations(text, lexicon=lex) == strip_pinyin_annotations_explained(text, lexicon=lex).text
