"""Tests for zhclean.text.mojibake: injector bursts and classic mojibake.

The damaged inputs are made here from our own sentences by a small model of the injector (GBK encode, a byte-level
``strtr`` with a table, glibc-style GB18030 decoding), so the clean source of every case is known.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhclean.simulate.damage import decode_gb18030_glibc
from zhclean.text.edits import apply_edits
from zhclean.text.lexicon import Lexicon
from zhclean.text.mojibake import (
    has_burst_hint,
    has_classic_hint,
    has_mojibake_hint,
    repair_bursts,
    repair_bursts_explained,
    repair_mojibake,
    repair_mojibake_explained,
)

SENTENCES = [
    "我们应该认真学习这些历史经验并且积极推动改革开放",
    "这个城市的经济发展很快，交通也越来越方便",
    "政府决定加强环境保护工作，进一步提高人民生活水平",
    "为了实现这个目标，我们需要团结一致",
    "学校组织学生参观博物馆，了解传统文化",
    "医院的医生和护士们都非常辛苦",
    "记者在现场采访了当地居民",
    "国际社会对此表示严重关切",
    "网络安全问题越来越受到重视",
    "运动员们在比赛中表现出色赢得观众的掌声",
    "专家认为这项技术将会带来巨大的变化",
    "图书馆里有很多关于历史和地理的书籍",
    "农民们在田里忙着收割成熟的庄稼",
    "科学家们发现了一种新的治疗方法",
    "这家公司的产品质量一直受到顾客的好评",
    "我们要继续深化改革，扩大对外开放，推动经济高质量发展",
]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


# -- a small model of the damage ---------------------------------------------------------------------------------------


def strtr_bytes(data: bytes, table: dict[bytes, bytes]) -> bytes:
    """PHP strtr on bytes with 2-byte keys: on a miss copy one byte and move on (so keys match at odd offsets too)."""
    out = bytearray()
    i = 0
    while i < len(data):
        key = data[i : i + 2]
        if len(key) == 2 and key in table:
            out += table[key]
            i += 2
        else:
            out.append(data[i])
            i += 1
    return bytes(out)


def decode_glibc(data: bytes) -> str:
    """GB18030 decoding as glibc iconv does it, writing '?' for each invalid unit it skips: a lead byte with a byte that
    cannot be a trail is one unit of two bytes, 0x80 and 0xFF are units of one, a broken 4-byte form is one unit of
    the bytes checked."""
    out = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
        elif b in (0x80, 0xFF) or i + 1 >= n:
            out.append("?")
            i += 1
        elif 0x30 <= data[i + 1] <= 0x39:
            if i + 3 >= n:
                out.append("?")
                i = n
            elif not 0x81 <= data[i + 2] <= 0xFE:
                out.append("?")
                i += 3
            else:
                try:
                    out.append(data[i : i + 4].decode("gb18030"))
                except UnicodeDecodeError:
                    out.append("?")
                i += 4
        else:
            try:
                out.append(data[i : i + 2].decode("gb18030"))
            except UnicodeDecodeError:
                out.append("?")
            i += 2
    return "".join(out)


def inject(trad: str, chars: list[str], lex: Lexicon) -> str:
    table = {}
    for ch in chars:
        key = ch.encode("gbk")
        table[key] = key + f"({lex.primary_reading(ch)})".encode("gbk")
    return decode_glibc(strtr_bytes(trad.encode("gbk"), table))


def false_keys(trad: str, lex: Lexicon) -> list[str]:
    """Table characters that match across a character boundary of ``trad`` (pure double-byte text)."""
    data = trad.encode("gbk")
    out = []
    for i in range(1, len(data) - 1, 2):
        try:
            k = data[i : i + 2].decode("gbk")
        except UnicodeDecodeError:
            continue
        if lex.is_traditional_only(k) and lex.primary_reading(k):
            out.append(k)
    return out


_PY = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"


def strip_aligned(text: str, lex: Lexicon) -> str:
    return re.sub(rf"(.)\(([{_PY}]+)\)", lambda m: m[1] if lex.primary_reading(m[1]) == m[2] else m[0], text)


def damaged_cases(lex: Lexicon) -> list[tuple[str, str]]:
    """(clean Traditional, damaged) pairs: every false key of the sentence plus three aligned keys in the table."""
    out = []
    for s in SENTENCES:
        trad = lex.s2t(s)
        keys = false_keys(trad, lex)
        aligned = [c for c in trad if lex.is_traditional_only(c)][:3]
        out.append((trad, inject(trad, keys + aligned, lex)))
    return out


# -- injector bursts ---------------------------------------------------------------------------------------------------


def test_bursts_restore_own_sentences(lex: Lexicon) -> None:
    bursts = exact = lossy = 0
    for trad, damaged in damaged_cases(lex):
        ex = repair_bursts_explained(damaged, lexicon=lex)
        assert apply_edits(damaged, ex.edits) == ex.text
        out = strip_aligned(ex.text, lex)
        bursts += sum(1 for e in ex.edits if e.rule == "mojibake.injector_burst")
        lossy += sum(1 for e in ex.edits if e.rule == "mojibake.injector_lost_byte")
        assert "?" not in out, (damaged, out)
        if out == trad:
            exact += 1
            continue
        # the only permitted difference: a run that reached the end of the text lost its last character's trail
        # byte, and the word model chose another character
        lost = [e for e in ex.edits if e.rule == "mojibake.injector_lost_byte"]
        assert lost and len(out) == len(trad) and out[:-1] == trad[:-1], (damaged, out)
        assert all(e.confidence < 1 and e.alternatives for e in lost)
    assert bursts >= 10 and exact >= 8 and lossy >= 1


NFKC_SENTENCES = [
    "经过讨论，专家们认为这个方案可行。",
    "会议结束后，记者采访了几位代表。",
    "为了发展经济，当地政府采取了许多措施。",
    "在老师的帮助下，学生们进步很快。",
    "随着科技的发展，人们的生活越来越方便。",
    "通过这次活动，同学们增进了友谊。",
    "我们应该尊重历史，面向未来。",
    "据报道，这座桥梁将于明年建成。",
    "总的来说，这次访问取得了圆满成功。",
    "除了语文和数学，他还喜欢历史。",
    "虽然遇到了困难，但是他们没有放弃。",
    "每个人都应该遵守交通规则。",
    "这两个国家的关系越来越紧密。",
    "各级领导干部要带头学习，带头实践。",
]


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def test_bursts_after_nfkc(lex: Lexicon) -> None:
    """The crawl normalised the pages (NFKC) after the damage: a run's full-width characters survive only as their
    ASCII images (，→ ,  ㈧ → (八)), and the character before a burst may be one of them."""
    exact = 0
    for s in NFKC_SENTENCES:
        trad = lex.s2t(s)
        aligned = [c for c in trad if lex.is_traditional_only(c)][:4]
        damaged = nfkc(inject(trad, false_keys(trad, lex) + aligned, lex))
        ex = repair_bursts_explained(damaged, lexicon=lex)
        assert apply_edits(damaged, ex.edits) == ex.text
        out = strip_aligned(nfkc(ex.text), lex)
        assert len(out) == len(nfkc(trad))
        exact += out == nfkc(trad)
    assert exact >= len(NFKC_SENTENCES) - 2


def test_burst_after_folded_comma(lex: Lexicon) -> None:
    # the false key was [trail(，), lead(帶)]; NFKC turned ， into ,
    assert repair_bursts("要帶頭學習,?yáo)ь^實踐。", lexicon=lex) == "要帶頭學習,帶頭實踐。"


def test_burst_through_folded_run_characters(lex: Lexicon) -> None:
    # a mis-paired ㈧ (A2 E8) was folded to "(八)"
    assert repair_bursts("這座?è)驑艑(八)睹髂杲ǔ伞?", lexicon=lex) == "這座橋樑將於明年建成。"


def test_burst_through_trail_0x80(lex: Lexicon) -> None:
    # 個 is 82 80: glibc skips a lone 0x80 as one invalid byte, so the run ends on a bare '?' with nothing lost; the
    # other reading of that '?' (trail byte and an ASCII byte lost) loses on the words
    ex = repair_bursts_explained("每?zǒng)?人都應該", lexicon=lex)
    assert ex.text == "每個人都應該"
    (edit,) = ex.edits
    assert edit.rule == "mojibake.injector_burst" and edit.after == "個"


def test_burst_end_kinds(lex: Lexicon) -> None:
    # resynchronised on an ASCII-range trail byte
    assert repair_bursts("政府決定加?hòng)姯h(huán)境保護", lexicon=lex) == "政府決定加強環(huán)境保護"
    # run ends on a character that was itself annotated: "?py)"
    trad = lex.s2t("医院的医生和护士们都非常辛苦")
    damaged = inject(trad, [*false_keys(trad, lex), "們", "對"], lex)
    assert re.search(rf"\?[{_PY}]+\)", damaged)
    assert strip_aligned(repair_bursts(damaged, lexicon=lex), lex).startswith(trad[:-1])


def test_chained_insertion(lex: Lexicon) -> None:
    trad = lex.s2t("运动员们在比赛中表现出色赢得观众的掌声")
    damaged = inject(trad, false_keys(trad, lex), lex)
    out = repair_bursts(damaged, lexicon=lex)
    assert strip_aligned(out, lex) == trad


def test_burst_pinyin_is_consumed(lex: Lexicon) -> None:
    out = repair_bursts("國際社會對此表示?mín)乐仃P切", lexicon=lex)
    assert out == "國際社會對此表示嚴重關切" and "mín" not in out


@pytest.mark.parametrize(
    "text",
    [
        "what?abc) is not a burst",
        "中文?abc)不是",
        "见 https://example.com/a?id=3&x=(lián) 这里",
        "if (a?b:c) { f(x?y:z); }",
        "你好?lián)",  # pinyin, but no key [trail(好), x] reads lián
        "他说?ni) 是吗",
        "今天天气很好，我们去公园散步。",
        "繁體中文的測試句子，這裡沒有任何問題。",
        "日本語の文章です。東京へ行きます?",
        "",
        "?",
        "?lián)",
        "a?lián)b",
    ],
)
def test_bursts_leave_other_text_alone(text: str, lex: Lexicon) -> None:
    ex = repair_bursts_explained(text, lexicon=lex)
    assert ex.text == text and ex.edits == ()


def test_bursts_idempotent_and_total(lex: Lexicon) -> None:
    for _, damaged in damaged_cases(lex)[:6]:
        once = repair_bursts(damaged, lexicon=lex)
        assert repair_bursts(once, lexicon=lex) == once
    for weird in ["\ud800?lián)", "?lián)\ud800", "中?lián)\x00\x01", "勇?" * 50, "丁?zhāng)" + "\ue000" * 100]:
        repair_bursts(weird, lexicon=lex)
    with pytest.raises(TypeError):
        repair_bursts(b"abc", lexicon=lex)  # type: ignore[arg-type]


# -- classic mojibake --------------------------------------------------------------------------------------------------

CLASSIC_SOURCES = ["我们今天很好", "你好世界", "中华人民共和国成立了", "北京欢迎你们来参观"]


def as_gbk_reader(s: str) -> str:
    return s.encode("utf-8").decode("gb18030", "replace")


@pytest.mark.parametrize("source", ["我们今天很好", "你好世界"])
def test_utf8_read_as_gbk(source: str, lex: Lexicon) -> None:
    damaged = as_gbk_reader(source)
    ex = repair_mojibake_explained("前言: " + damaged + "\n", lexicon=lex)
    assert ex.text == "前言: " + source + "\n"
    assert [e.rule for e in ex.edits] == ["mojibake.utf8_as_gbk"]
    assert apply_edits("前言: " + damaged + "\n", ex.edits) == ex.text


def test_utf8_read_as_gbk_keeps_pua_bytes(lex: Lexicon) -> None:
    # 中华 read as GB18030 holds a user-defined-area character (PUA): it is part of the byte run
    damaged = "中华人民".encode().decode("gb18030")
    assert any("\ue000" <= c <= "\uf8ff" for c in damaged)
    assert repair_mojibake(damaged, lexicon=lex) == "中华人民"


@pytest.mark.parametrize("source", CLASSIC_SOURCES)
def test_single_byte_readers(source: str, lex: Lexicon) -> None:
    assert repair_mojibake(source.encode("gbk").decode("latin-1"), lexicon=lex) == source
    sloppy = source.encode("utf-8").decode("cp1252", "ignore")
    latin = source.encode("utf-8").decode("latin-1")
    assert repair_mojibake(latin, lexicon=lex) == source
    if sloppy.encode("cp1252", "ignore") == source.encode("utf-8"):
        assert repair_mojibake(sloppy, lexicon=lex) == source


@pytest.mark.parametrize(
    "source",
    [
        "会议定于2024年3月5日在北京召开，预计有300人出席。",  # one character between digits: 月, 日, 人
        "气温升至35度",  # 度 alone scores below the plausibility floor of GB/Big5 readings
        "记者柯岚冰报道",  # a rare name the word model does not know
        "【提示】本文由本站编辑整理",
    ],
)
def test_utf8_read_as_latin1_short_runs_and_rare_words(source: str, lex: Lexicon) -> None:
    # strict multi-byte UTF-8 is the evidence: the runs come back however short or rare their characters are
    assert repair_mojibake(source.encode().decode("latin-1"), lexicon=lex) == source


def test_latin1_text_that_is_not_utf8_is_left_alone(lex: Lexicon) -> None:
    for text in ("café résumé naïve", "Ångström über façade", "£5 ¥300 ±2 °C", "Größe: 5 µm"):
        assert repair_mojibake(text, lexicon=lex) == text


GLIBC_SOURCES = [
    "国务院总理在北京主持召开会议，研究部署下一阶段的经济工作。",
    "今年前三季度，全市规模以上工业增加值同比增长6.8%，总体平稳。",
    "我们要坚持稳中求进的工作总基调，推动高质量发展。",
    "这座城市的公共交通越来越方便，市民出行更加便利。",
]


@pytest.mark.parametrize("source", GLIBC_SOURCES)
def test_utf8_read_by_glibc_gb18030_comes_back_with_loss_marks(source: str, lex: Lexicon) -> None:
    # glibc writes one ? per unit it cannot decode and loses its bytes: what comes back is the source with a ? where
    # a character was cut, never a wrong character
    damaged = decode_gb18030_glibc(source.encode())
    assert "?" in damaged
    ex = repair_mojibake_explained(damaged, lexicon=lex)
    assert ex.edits and all(e.rule == "mojibake.utf8_as_gbk" and e.confidence < 1 for e in ex.edits)
    matcher = difflib.SequenceMatcher(None, ex.text, source, autojunk=False)
    assert matcher.ratio() > 0.9
    for tag, a, b, _, _ in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            assert set(ex.text[a:b]) <= {"?"}, ex.text[a:b]
    assert apply_edits(damaged, ex.edits) == ex.text
    assert repair_mojibake(ex.text, lexicon=lex) == ex.text


def test_glibc_lone_0x80_is_read_back_only_with_a_word(lex: Lexicon) -> None:
    # 总 is E6 80 BB: glibc skips the 0x80 alone and the ? stands for it; 总理 is a word, so the byte is read back
    fixed = repair_mojibake(decode_gb18030_glibc(GLIBC_SOURCES[0].encode()), lexicon=lex)
    assert fixed.startswith("国务院总理")
    # here the ? before 8 stands for the last byte of 长 and the digit 6: reading it as 0x80 would make 镀, no word
    fixed = repair_mojibake(decode_gb18030_glibc(GLIBC_SOURCES[1].encode()), lexicon=lex)
    assert "增?8%" in fixed and "镀" not in fixed


def test_short_gbk_run_needs_evidence_from_the_same_text(lex: Lexicon) -> None:
    # 日至 read as GB18030 is three characters with one hint character: alone it could be anything and stays; in a text
    # whose other runs were misread the same way it is repaired too
    short = "日至".encode().decode("gb18030")
    alone = f"时间：23{short}25日"
    assert repair_mojibake(alone, lexicon=lex) == alone
    misread = "会议在北京举行，各地代表出席".encode().decode("gb18030")
    fixed = repair_mojibake(f"{misread}\n时间：23{short}25日", lexicon=lex)
    assert fixed == "会议在北京举行，各地代表出席\n时间：23日至25日"


def test_question_marks_in_clean_text_stay(lex: Lexicon) -> None:
    for text in ("你好吗?我很好。", "为什么?因为下雨了", "真的嗎?是的", "價格是100元?不對", "什么??怎么会这样"):
        assert repair_mojibake(text, lexicon=lex) == text


def test_double_encoding(lex: Lexicon) -> None:
    twice = "你好世界".encode().decode("latin-1").encode().decode("latin-1")
    ex = repair_mojibake_explained(twice, lexicon=lex)
    assert ex.text == "你好世界" and len(ex.edits) == 2
    assert apply_edits(twice, ex.edits) == ex.text


def test_big5_reader(lex: Lexicon) -> None:
    src = "電腦"
    damaged = src.encode("utf-8").decode("cp950", "replace")
    out = repair_mojibake(damaged, lexicon=lex)
    assert out in (src, damaged)  # a strict Big5 round trip is rare; never worse than the input


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好，我们去公园散步。“你好”——他说……",
        "繁體中文與簡體中文都是中文。項目、好項目都要做好。",
        "涓、浏览器和愣住的妾",  # rare-looking but genuine characters
        "鏖战、鐾刀、鍪、鎏金、鏊子",
        "日本語の文章です。東京へ行きます。",
        "Café, naïve, Füße, São Paulo, Ärger, Œuvre — “quotes”",
        "济南·基隆 ×2 °C ±5",
        "ÀÁ",  # two Latin-1 letters that are not a Chinese word's bytes
        "",
    ],
)
def test_classic_leaves_genuine_text_alone(text: str, lex: Lexicon) -> None:
    ex = repair_mojibake_explained(text, lexicon=lex)
    assert ex.text == text and ex.edits == ()


def test_hints() -> None:
    assert not has_mojibake_hint("今天天气很好，我们去公园。" * 100)
    assert not has_classic_hint("繁體中文與簡體中文都是中文。項目、好項目都要做好。")
    assert has_classic_hint(as_gbk_reader("我们今天很好"))
    assert has_classic_hint("ä¸­æ–‡")
    assert has_burst_hint("越?juàn)碓椒") and not has_burst_hint("what? (a)")


# -- the seeds ---------------------------------------------------------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        ("000_10e1702b979fd916.txt", ["使命走在前", "在前 融合", "实打实服务"]),
        ("002_7fedaf274731c75a.txt", ["认真传达"]),
    ],
)
def test_seed_bursts(name: str, phrases: list[str], lex: Lexicon) -> None:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared seeds live beside the repository)")
    raw = path.read_text(encoding="utf-8")
    ex = repair_bursts_explained(raw, lexicon=lex)
    assert apply_edits(raw, ex.edits) == ex.text
    out = lex.t2s(strip_aligned(ex.text, lex))
    for phrase in phrases:
        assert phrase in out
    assert repair_mojibake_explained(raw, lexicon=lex).edits == ()


def test_utf8_read_as_gbk_with_lost_bytes(lex: Lexicon) -> None:
    # an odd byte count: the reader replaced the cut character's bytes by U+FFFD, which stays as the loss marker
    source = "我们的学校在北京"
    damaged = source.encode("utf-8").decode("gbk", "replace")
    assert "\ufffd" in damaged
    ex = repair_mojibake_explained(damaged, lexicon=lex)
    assert apply_edits(damaged, ex.edits) == ex.text
    kept = sum(1 for c in source if c in ex.text)
    assert kept >= len(source) - 3 and "\ufffd" in ex.text


def test_big5_read_as_latin1(lex: Lexicon) -> None:
    source = "以人才興產業"
    assert repair_mojibake(source.encode("big5").decode("latin-1"), lexicon=lex) == source


_ALPHABET = "?()lián zhèn勇姑咴谇擔使命實打服務嵎⻊_鬟ÖÐ»ª涓枃鐨勪ä¸­æ–‡，。、,.\ue319\ufffd\u3000 aZ0\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_total_and_replayable(lex: Lexicon, text: str) -> None:
    for fn in (repair_bursts_explained, repair_mojibake_explained):
        ex = fn(text, lexicon=lex)
        assert apply_edits(text, ex.edits) == ex.text
        assert all(0 < e.confidence <= 1 for e in ex.edits)


def test_false_key_ending_in_ascii(lex: Lexicon) -> None:
    # [trail(行), 'g'] spells a table key read shù: the annotation follows the letter, nothing is split
    ex = repair_bursts_explained("然后執行g(shù)it commit", lexicon=lex)
    assert ex.text == "然后執行git commit" and ex.edits[0].rule == "mojibake.injector_burst"
    # after an NFKC-folded comma too
    assert repair_bursts("適配中,F(xiàn)lex布局", lexicon=lex) == "適配中,Flex布局"
    # but an aligned annotation of a repaired burst's character stays, and ordinary glosses stay
    assert repair_bursts("加?hòng)姯h(huán)境", lexicon=lex) == "加強環(huán)境"
    assert repair_bursts("see word(shù) and 漢字X(hàn)y", lexicon=lex) == "see word(shù) and 漢字X(hàn)y"


def test_run_ending_on_a_genuine_gloss(lex: Lexicon) -> None:
    # the run ends on 行, which is no table character: its "(xíng)" is a genuine gloss whose '(' the run swallowed,
    # so the gloss is given back
    out = repair_bursts("在“行(xíng)走?zhé)薄安叫?xíng)”里", lexicon=lex)
    assert out == "在“行(xíng)走”“步行(xíng)”里"


def test_clean_text_finds_no_evidence(lex: Lexicon) -> None:
    # ~1.9 MB of clean text with parentheses, ASCII and question marks: the cheap hint finds no evidence, so no
    # per-character work runs (its speed is measured by benchmarks/bench_restore.py, not by a timed test)
    clean = "".join(f"{s}（第{i}段）(注:see a?b) " for i, s in enumerate(SENTENCES)) * 1500
    assert len(clean.encode()) > 1_500_000
    assert not has_mojibake_hint(clean)
    assert repair_bursts_explained(clean, lexicon=lex).edits == ()
    assert repair_mojibake_explained(clean, lexicon=lex).edits == ()


# -- the batched paths of the burst repair equal their one-by-one definitions -------------------------------------


def test_batched_decoding_equals_one_by_one() -> None:
    from zhclean.text import mojibake as mb

    good = [bytes([0xB9, 0xFA]), b"@A", bytes([0xA6, 0xD9]), bytes([0x81, 0x30, 0x81, 0x30]), b""]
    bad = [bytes([0xB9]), bytes([0x80]), bytes([0xAA, 0xA1]), bytes([0xB9, 0xFA, 0xFF]), bytes([0x81, 0x30])]
    for runs in (good, good * 3, good + bad, bad * 2, [good[0] + bad[2], good[1]] * 3):
        assert mb._decode_runs(runs) == [mb._decode_run(x) for x in runs]


def test_batched_t2s_equals_one_by_one(lex: Lexicon) -> None:
    from zhclean.text import mojibake as mb

    strings = ["乾淨的頭髮", "理髮店\n乾淨", "國際社會", "\n於是\n", "", "皇后\n\n頭髮"] * 3
    for k in range(len(strings) + 1):
        assert mb._t2s_all(strings[:k], lex) == [lex.t2s(x) for x in strings[:k]]


def test_one_position_scores_equal_the_lattice(lex: Lexicon) -> None:
    from zhclean.text import mojibake as mb

    text, h = "政府決定加強環境保護工作進一步提高", 5
    chars = [ch for _, ch in mb._gb_row(0xC7)] + ["強", "強", "强"]
    strings = [text[:h] + c + text[h + 1 :] for c in chars]
    batched = mb._one_position_logprobs(strings, h, lex, mb._TOKEN_COST)
    # the same strings two at a time take the one-by-one path: the same sums, so the same floats
    assert batched == [x for k in range(0, len(strings), 2) for x in
                       mb._one_position_logprobs(strings[k : k + 2], h, lex, mb._TOKEN_COST)]  # fmt: skip
    for x, got in zip(strings, batched, strict=True):
        assert got == pytest.approx(mb._segment_logprob(x, lex, mb._TOKEN_COST), abs=1e-9)


def test_annotated_chars_match_a_byte_scan(lex: Lexicon) -> None:
    from zhclean.text import mojibake as mb

    found = 0
    # 強 8F8A, 關 EA50, 環 AD68 (two of that row read huán, one with an ASCII-range trail byte), and a miss
    for lead, py in ((0x8F, "qiáng"), (0xEA, "guān"), (0xAD, "huán"), (0xAA, "a")):
        for trails in (range(0x81, 0xFF), range(0x40, 0xFF), range(0x40, 0x81)):
            scan = [
                t
                for t in trails
                if t != 0x7F
                and len(ch := mb._gb_char(lead, t)) == 1
                and lex.is_traditional_only(ch)
                and lex.primary_reading(ch) == py
            ]
            assert mb._annotated_chars_uncached(lead, py, lex, trails) == scan
            found += len(scan)
    assert found >= 5


def test_glossed_chars_match_a_byte_scan(lex: Lexicon) -> None:
    from zhclean.text import mojibake as mb

    # 行 D0D0 (xíng and háng), 強 8F8A (qiáng, qiǎng), and a syllable no character of the row has
    for lead, py in ((0xD0, "háng"), (0x8F, "qiǎng"), (0xD0, "xíng"), (0xAA, "a")):
        scan = [
            t for t in range(0x40, 0xFF) if t != 0x7F and len(y := mb._gb_char(lead, t)) == 1 and py in lex.readings(y)
        ]
        assert mb._glossed_chars(lead, py, lex) == tuple(scan)
        assert mb._glossed_chars(lead, py, lex) == tuple(scan)  # memoised
    assert mb._glossed_chars(0xD0, "háng", lex)


def test_last_byte_candidates_decode_as_the_whole_run(lex: Lexicon) -> None:
    """A burst whose run ends on a lost byte: the candidates of that byte are decoded as the prefix's text plus one
    character (:func:`_fill`), which must give the same repair as decoding every candidate run."""
    from zhclean.text import mojibake as mb

    text = "交通也越?juàn)碓椒奖?真好"
    m = next(mb._BURST_START_RE.finditer(text))
    readings = mb._read_burst(text, m, lex)
    lost = [r for r in readings if r.lost_end]
    assert lost
    for r in lost:
        choice = mb._fill(text, r, max(x.end for x in readings), lex, {})
        assert choice is not None
        data = list(r.data)
        data[0] = mb._hole_values(r, 0, data, lex)[0]
        lead = data[-2]
        for v in mb._hole_values(r, len(data) - 1, data, lex)[:20]:
            whole = mb._decode_run(bytes([*data[:-1], v]))
            assert whole == mb._decode_run(bytes(data[:-2])) + mb._gb_char(lead, v)
        assert choice.text[: -len(" ")] in {mb._decode_run(bytes([*data[:-1], v])) for v in range(0x80, 0xFF)}
