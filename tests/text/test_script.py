"""Tests for zhclean.text.script: machine S→T verdicts and their undoing.

The sentences are our own.  Machine conversions are made the way the spam mirrors make them: a character-level table
that leaves the one-to-many characters (干 于 余 后 里 系 并 …) alone, here OpenCC's character map.
"""

from __future__ import annotations

import random

import pytest

from zhclean.text.edits import apply_edits
from zhclean.text.lexicon import Lexicon
from zhclean.text.script import (
    GENUINE_TERMS,
    LEFTOVER_EXCEPTIONS,
    MAINLAND_TERMS,
    _count_leftovers,
    _extend_script_runs,
    _find_terms,
    _label_line_counts,
    _label_simplified_line,
    _script_res,
    _split_segments,
    detect_machine_s2t,
    undo_machine_s2t,
    undo_machine_s2t_explained,
)


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


ONE_TO_MANY = set("干于余后里系并扎范征斗涂愿丑咸台")

MAINLAND = [
    "市委常委会议先后听取了关于两岸关系和平发展的汇报，并对今后的工作作出部署。",
    "这些干部在基层扎实工作，100余位代表出席了会议，大家对于未来充满信心。",
    "研究结果表明，治疗后患者的生活质量明显提高，并且复发率低于对照组。",
    "家里的老人说，村里的变化很大，以后的日子会越来越好。",
]


def machine_s2t(lex: Lexicon, s: str) -> str:
    """A 1:1 table converter: every character on its own, one-to-many characters left alone."""
    return "".join(c if c in ONE_TO_MANY else lex.s2t_chars.get(c, c) for c in s)


@pytest.mark.parametrize("simplified", MAINLAND)
def test_machine_conversion_is_detected_and_undone(lex, simplified):
    converted = machine_s2t(lex, simplified)
    assert converted != simplified
    v = detect_machine_s2t(converted, lexicon=lex)
    assert v.label == "machine_traditional", v.evidence
    assert v.score >= 0.5
    assert undo_machine_s2t(converted, lexicon=lex, verdict=v) == simplified


@pytest.mark.parametrize(
    "text",
    [
        "台灣的資訊軟體產業近年發展迅速，透過網路提供服務，民眾反應良好。",
        "行政院今天表示，捷運新路線將於明年完工，屆時通勤時間可望縮短。",
        "佢話今日唔得閒，我哋聽日先去搵佢傾下，好唔好？",
        "兩岸關係和平發展，並將於明年舉行會談，先後有百餘位代表出席。",  # phrase-aware official edition
        "臣松之案：此事見於舊史，其後遂還于舊都。",  # Classical Chinese
    ],
)
def test_genuine_traditional_is_left_alone(lex, text):
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "genuine_traditional", v.evidence
    assert v.score < 0.5
    assert undo_machine_s2t(text, lexicon=lex) == text


def test_pinyin_injection_settles_the_verdict(lex):
    text = "兩岸關係和平發展,並將於明年舉行會談"
    assert detect_machine_s2t(text, lexicon=lex).label == "genuine_traditional"
    assert detect_machine_s2t(text, lexicon=lex, pinyin_injected=True).label == "machine_traditional"


def test_simplified_and_none(lex):
    assert detect_machine_s2t("这是一段普通的简体中文新闻。", lexicon=lex).label == "simplified"
    assert detect_machine_s2t("plain ASCII text 123", lexicon=lex).label == "none"
    assert detect_machine_s2t("", lexicon=lex).label == "none"
    # Japanese: kana present, never converted
    ja = "この漢詩は唐代の詩人の作品で、今も學校の授業で読まれている。"
    assert detect_machine_s2t(ja, lexicon=lex).label == "none"
    assert undo_machine_s2t(ja, lexicon=lex, convert_all=True) == ja


def test_mixed_document_converts_only_the_machine_segment(lex):
    body = machine_s2t(lex, MAINLAND[0])
    tail = "滦南县| 临泉县| 凤台县| 岳池县| 富顺县| 宁远县| 兴国县| 蒙城县|"
    text = body + "\n\n" + tail
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "mixed"
    assert [s.label for s in v.segments] == ["machine_traditional", "simplified"]
    assert undo_machine_s2t(text, lexicon=lex) == MAINLAND[0] + "\n\n" + tail


def test_genuine_body_with_simplified_header(lex):
    text = "欢迎访问本站，最新资讯请关注\n台灣的資訊軟體產業近年發展迅速，透過網路提供服務。"
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "mixed"
    assert undo_machine_s2t(text, lexicon=lex) == text


def test_one_edit_per_changed_run(lex):
    converted = machine_s2t(lex, MAINLAND[1])
    e = undo_machine_s2t_explained(converted, lexicon=lex)
    assert apply_edits(converted, e.edits) == e.text == MAINLAND[1]
    assert 1 < len(e.edits) < len(converted)
    assert {x.rule for x in e.edits} == {"s2t.machine_conversion"}


def test_convert_all(lex):
    text = "台灣的資訊軟體產業，透過網路提供服務。"
    assert undo_machine_s2t(text, lexicon=lex) == text
    assert undo_machine_s2t(text, lexicon=lex, convert_all=True) == "台湾的资讯软体产业，透过网路提供服务。"


def test_idempotent_and_total(lex):
    converted = machine_s2t(lex, MAINLAND[2])
    once = undo_machine_s2t(converted, lexicon=lex)
    assert undo_machine_s2t(once, lexicon=lex) == once
    for odd in ["", "\n\n", "國", "\ud800", "𠀀𠀁", "關系\r\n并且"]:
        undo_machine_s2t(odd, lexicon=lex)
    with pytest.raises(TypeError):
        detect_machine_s2t(b"x", lexicon=lex)  # type: ignore[arg-type]


# -- signals a 1:1 table leaves without one-to-many leftovers ----------------------------------------------------
def table_s2t(lex: Lexicon, s: str, keep: set[str] = ONE_TO_MANY) -> str:
    """``machine_s2t`` with another set of characters the table leaves alone."""
    return "".join(c if c in keep else lex.s2t_chars.get(c, c) for c in s)


def test_first_candidates_written_where_the_phrase_needs_another_are_caught(lex):
    simplified = "新厂区的设备制造能力明显增强，生产流程不再复杂，每条产线换型只需十分钟。"
    converted = machine_s2t(lex, simplified)  # 製造 复雜 分鐘 written 制造 復雜 分鍾, no 后 于 并 … at all
    v = detect_machine_s2t(converted, lexicon=lex)
    assert v.evidence["leftovers"] == 0
    assert v.evidence["table_errors"] == 3, v.evidence
    assert v.label == "machine_traditional"
    assert undo_machine_s2t(converted, lexicon=lex) == simplified


def test_the_same_words_written_right_are_genuine(lex):
    text = "新廠區的設備製造能力明顯增強，生產流程不再複雜，每條產線換型只需十分鐘。"
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.evidence["table_errors"] == 0
    assert v.label == "genuine_traditional"
    assert undo_machine_s2t(text, lexicon=lex) == text


def test_first_candidates_of_the_table_are_not_resolved_characters(lex):
    # a table that converts 范 征 冲 (to 範 徵 衝, OpenCC's first candidates) but leaves 并 alone
    simplified = "各地规范征收工作，防范冲突，并加强监督。"
    converted = table_s2t(lex, simplified, keep=ONE_TO_MANY - {"范", "征"})
    assert "範" in converted and "衝" in converted and "并" in converted
    v = detect_machine_s2t(converted, lexicon=lex)
    assert v.evidence["resolved"] == 0
    assert v.label == "machine_traditional", v.evidence
    genuine = lex.s2t(simplified)  # phrase-aware: 並
    assert detect_machine_s2t(genuine, lexicon=lex).label == "genuine_traditional"


def test_orthodox_variants_count_as_a_round_trip_only_beside_a_resolved_character(lex):
    simplified = "为保障群众安全，市场监管部门开展专项检查，并对问题商家进行处理。"
    # a 1:1 table on OpenCC's orthodox forms (爲 衆) that leaves 并 alone
    converted = table_s2t(lex, simplified, keep={"并"})
    assert "爲" in converted and "衆" in converted
    v = detect_machine_s2t(converted, lexicon=lex)
    assert v.label == "machine_traditional", v.evidence
    assert undo_machine_s2t(converted, lexicon=lex) == simplified
    # the same orthodox forms with 並 resolved: a phrase-aware conversion, as in a T→S→T round trip
    round_trip = lex.s2t(simplified)
    assert "並" in round_trip and "爲" in round_trip
    assert detect_machine_s2t(round_trip, lexicon=lex).label == "genuine_traditional"


def test_vocabulary_alone_does_not_decide_a_page_without_orthographic_evidence(lex):
    # a 1:1 conversion with no one-to-many character in it is letter for letter what a phrase-aware official edition
    # of the same mainland page would be: mainland words everywhere, nothing to resolve; it is left alone
    simplified = "记者从通信管理局获悉，全省互联网用户持续增长，网络视频服务的信息安全不断加强。"
    converted = machine_s2t(lex, simplified)
    assert converted == lex.s2t(simplified)
    v = detect_machine_s2t(converted, lexicon=lex)
    assert (v.evidence["leftovers"], v.evidence["table_errors"], v.evidence["resolved"]) == (0, 0, 0)
    assert len(v.evidence["mainland_terms"]) >= 3
    assert v.label == "genuine_traditional", v.evidence
    assert undo_machine_s2t(converted, lexicon=lex) == converted


@pytest.mark.parametrize(
    "text",
    [
        "兩岸學者今天座談，討論大陸互聯網產業的現況與挑戰。",  # one mainland word, quoted by a Taiwan writer
        "數碼港推出網絡安全支援項目，協助中小企保障數據，視頻教學亦同步上線。",  # Hong Kong shares these words
        "國務院新聞辦公室今天舉行新聞發布會，介紹經濟運行情況。",  # no mainland term: nothing decides
    ],
)
def test_vocabulary_alone_leaves_pages_alone(lex, text):
    v = detect_machine_s2t(text, lexicon=lex)
    assert v.label == "genuine_traditional", v.evidence
    assert undo_machine_s2t(text, lexicon=lex) == text


def test_the_new_signals_are_total(lex):
    for odd in ["復雜\ud800制造", "面\n\n只", "臺" * 50, "互聯網\ud800網絡視頻信息"]:
        v = detect_machine_s2t(odd, lexicon=lex)
        assert v.label in {"machine_traditional", "genuine_traditional", "none", "simplified", "mixed"}


def test_a_mainland_page_run_through_opencc_is_told_from_a_round_trip_by_its_vocabulary(lex):
    simplified = (
        "为方便群众就医，县医院开通远程视频会诊，患者的检查数据通过网络实时传到省城医院，专家随后给出诊疗意见。"
    )
    converted = lex.s2t(simplified)  # phrase-aware, OpenCC's own 爲 衆: no leftover, 後 resolved
    v = detect_machine_s2t(converted, lexicon=lex)
    assert v.evidence["opencc_only_variants"] >= 1 and v.evidence["resolved"] >= 1
    assert v.label == "machine_traditional", v.evidence
    assert undo_machine_s2t(converted, lexicon=lex) == simplified
    # a Taiwan original through the same T→S→T round trip keeps its Taiwan words
    taiwan = "為方便民眾就醫，縣立醫院開通遠距視訊會診，病患的檢查資料經由網路即時傳到省城醫院，專家隨後給出診療意見。"
    round_trip = lex.s2t(lex.t2s(taiwan))
    assert "爲" in round_trip
    assert detect_machine_s2t(round_trip, lexicon=lex).label == "genuine_traditional"
    assert undo_machine_s2t(round_trip, lexicon=lex) == round_trip


# -- the fast scans against the plain rules they stand for ----------------------------------------------------------


def _reference_leftovers(text: str) -> tuple[int, list[str]]:
    """A leftover character counts unless an occurrence of one of its exception words covers it."""
    n, examples = 0, []
    for i, ch in enumerate(text):
        if ch not in LEFTOVER_EXCEPTIONS:
            continue
        covered = any(
            text.startswith(w, k) for w in LEFTOVER_EXCEPTIONS[ch] for k in range(max(0, i - len(w) + 1), i + 1)
        )
        if not covered:
            n += 1
            if len(examples) < 8:
                examples.append(text[max(0, i - 1) : i + 2])
    return n, examples


def _random_texts(alphabet: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_leftovers_follow_the_covering_rule():
    words = [w for ws in LEFTOVER_EXCEPTIONS.values() for w in ws]
    alphabet = [*LEFTOVER_EXCEPTIONS, *words, *"皇王公里系統中文的後,\n"]
    texts = ["皇后后里", "后里后", "太陽系系統", "系系統", "鄰里里長", "后", "", "公里里", *words]
    for text in texts + _random_texts(alphabet, 2000, seed=11):
        assert _count_leftovers(text) == _reference_leftovers(text), text


def test_terms_are_found_wherever_they_occur_overlapping_or_not():
    terms = (*MAINLAND_TERMS, *GENUINE_TERMS)
    alphabet = [*terms, *"互聯網絡路信息資訊計算機程式的,\n"]
    for text in ["互聯網絡", "網路由", "計算機程式", "信息息", "", *terms, *_random_texts(alphabet, 2000, seed=12)]:
        assert _find_terms(text) == {w for w in terms if w in text}, text


def test_lines_are_classified_by_their_counts(lex):
    trad_re, simp_re = _script_res(lex)

    def reference(text: str) -> list[tuple[int, int, str]]:
        runs: list[list] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            # every match of each kind counted on every line (the fast path stops at the first few)
            script = _label_line_counts(len(trad_re.findall(line)), len(simp_re.findall(line)))
            _extend_script_runs(runs, pos, pos + len(line), script)
            pos += len(line)
        return [(a, b, c) for a, b, c in runs]

    breaks = ["\n", "\r\n", "\r", "\u2028", "\x1c", "\x85", "\x0b"]
    texts = ["", "\n", "國語\n这们\n的\n說們国", "國\n語", "國\r\n語", "國語", "的\n这们", "國的\u2029說"]
    for alphabet, seed in (
        ([*"國語說們这们说国的人 a", *breaks], 13),
        ([*"國語說們的人 a", *breaks], 14),
        ([*"这们说国的人 a", *breaks], 15),
    ):
        texts += _random_texts(alphabet, 2000, seed=seed)
    for text in texts:
        assert _split_segments(text, lex) == reference(text), text


def test_lines_with_simplified_characters_are_labelled_by_their_counts(lex):
    trad_re, simp_re = _script_res(lex)
    rng = random.Random(16)
    for trad in range(9):
        for simp in range(1, 6):
            chars = list("國" * trad + "这" * simp + "的" * rng.randint(0, 3))
            rng.shuffle(chars)
            text = "說\n" + "".join(chars) + "\n们"
            start, end = 2, 2 + len(chars)
            got = _label_simplified_line(trad_re.search, simp_re, text, start, end)
            assert got == _label_line_counts(trad, simp), (trad, simp)
