"""Tests for zhclean.text.restore: the fixed-order composition, its configuration and its fast clean path."""

from __future__ import annotations

import pytest

from zhclean.text import mojibake
from zhclean.text.edits import apply_edits
from zhclean.text.lexicon import Lexicon
from zhclean.text.restore import RestoreConfig, has_damage_hint, restore_text, restore_text_explained


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


# Our own sentence, damaged the way the spam mirrors damage pages: 1:1 S→T, then pinyin on the table's characters.
DAMAGED = "市委常委會(huì)議先後聽取了關(guān)于兩岸關(guān)系和平發(fā)展的匯報(bào),并對今后的工作作出部署。"
RESTORED = "市委常委会议先后听取了关于两岸关系和平发展的汇报，并对今后的工作作出部署。"


def test_full_restore(lex):
    assert restore_text(DAMAGED, lexicon=lex) == RESTORED


def test_edits_replay_in_order(lex):
    e = restore_text_explained(DAMAGED, lexicon=lex)
    assert apply_edits(DAMAGED, e.edits) == e.text
    families = [x.rule.split(".")[0] for x in e.edits]
    # pinyin before script before punctuation
    assert families == sorted(families, key=["mojibake", "pinyin", "s2t", "punct"].index)


def test_burst_is_repaired_before_stripping(lex):
    text = "認(rèn)真?zhèn)鬟_(dá)會(huì)議精神"
    e = restore_text_explained(text, lexicon=lex)
    assert e.text == "认真传达会议精神"
    assert e.edits[0].rule == "mojibake.injector_burst"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (RestoreConfig(strip_pinyin=False, undo_machine_s2t=False), DAMAGED),
        (
            RestoreConfig(undo_machine_s2t=False),
            # still Traditional: not yet mainland text, so the width is not restored either
            "市委常委會議先後聽取了關于兩岸關系和平發展的匯報,并對今后的工作作出部署。",
        ),
        (
            RestoreConfig(restore_punct_width=False),
            "市委常委会议先后听取了关于两岸关系和平发展的汇报,并对今后的工作作出部署。",
        ),
    ],
)
def test_stages_can_be_switched_off(lex, config, expected):
    assert restore_text(DAMAGED, config, lexicon=lex) == expected


def test_genuine_traditional_untouched_unless_asked(lex):
    text = "台灣的資訊軟體產業,透過網路提供服務。"
    assert restore_text(text, lexicon=lex) is text
    assert (
        restore_text(text, RestoreConfig(convert_all_traditional=True), lexicon=lex)
        == "台湾的资讯软体产业,透过网路提供服务。"
    )


def test_config_is_validated():
    with pytest.raises(ValueError, match="max_passes"):
        RestoreConfig(max_passes=0)
    with pytest.raises(ValueError, match="punct_marks"):
        RestoreConfig(punct_marks="。")
    with pytest.raises(ValueError, match="max_segment_chars"):
        RestoreConfig(max_segment_chars=10)


def test_long_text_is_cut_into_pieces(lex):
    text = "\n".join([DAMAGED] * 40)
    cfg = RestoreConfig(max_segment_chars=1_000)
    e = restore_text_explained(text, cfg, lexicon=lex)
    assert e.text == "\n".join([RESTORED] * 40)
    assert apply_edits(text, e.edits) == e.text


def test_clean_text_returns_the_same_object(lex):
    for text in ["", "这是一段干净的简体中文新闻,国内生产总值(GDP)增长5%?", "Hello, world!"]:
        assert restore_text(text, lexicon=lex) is text
        assert restore_text_explained(text, lexicon=lex).edits == ()


def test_fast_path_hint_covers_the_mojibake_hints(lex):
    samples = ["浣犲ソ涓栫晫", "ÖÐ»ª", "ä¸­æ–‡", "各?lián)姑", "中文?abc)", "\ufffd", "\ue319", "發(fā)"]
    for s in samples:
        if mojibake.has_mojibake_hint(s) or "(" in s:
            assert has_damage_hint(s, lexicon=lex), s


def test_clean_text_takes_the_fast_path(lex):
    # Speed itself is measured by benchmarks/bench_restore.py, not by a timed test.  What a test can check is that
    # clean Simplified text never leaves the fast path: no evidence is found and the very same object comes back.
    text = "这是一段干净的简体中文新闻，记者从会议上获悉，今年经济增长稳定，就业形势总体良好。\n" * 2_000
    assert not has_damage_hint(text, lexicon=lex)
    assert restore_text(text, lexicon=lex) is text


def test_total_and_type_checked(lex):
    for odd in ["\ud800", "(" * 1000, "?" * 1000 + "a)", "國" * 3 + "(guó)" * 50, "\x00\n\r\t"]:
        restore_text(odd, lexicon=lex)
    with pytest.raises(TypeError, match="decode"):
        restore_text(b"abc", lexicon=lex)  # type: ignore[arg-type]


def test_no_fullwidth_restoration_in_genuine_traditional(lex):
    # one stripped annotation on a Traditional-only character does not make a Taiwan text mainland text
    assert restore_text("發(fā)展,台灣的資訊產業", lexicon=lex) == "發展,台灣的資訊產業"


def test_plain_restore_gives_the_explained_text_on_simulated_pages(lex):
    # restore_text runs the plain twins of the pinyin, conversion and punctuation stages (no edits built): the text
    # must be the explained pipeline's, on pages with every kind of damage the simulator makes
    from zhclean.simulate.corpus import synthetic_documents

    docs = list(synthetic_documents(40, seed=11, lexicon=lex))
    assert sum(1 for d in docs if d.false_matches) >= 10  # bursts among them, not only annotations
    for d in docs:
        for text in (d.damaged, d.expected, d.clean):
            assert restore_text(text, lexicon=lex) == restore_text_explained(text, lexicon=lex).text


def test_conversion_edits_are_the_changed_runs(lex):
    # the explained conversion finds the runs by array comparison on long segments and by a loop on short ones: both
    # must give one edit per maximal run of changed characters, at the run's own offsets
    from zhclean.text.edits import Edit
    from zhclean.text.script import undo_machine_s2t_explained

    for text in ["關系並不複雜,發展與會議。", "關系並不複雜,發展與會議。" * 30, "A關" + "國" * 200 + "b發展與"]:
        e = undo_machine_s2t_explained(text, lexicon=lex, convert_all=True)
        assert len(e.text) == len(text) and e.text == lex.t2s(text)
        changed = [i for i in range(len(text)) if text[i] != e.text[i]]
        runs: list[list[int]] = []
        for i in changed:
            if runs and runs[-1][1] == i:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
        rule = "s2t.machine_conversion"
        assert list(e.edits) == [Edit(rule, a, b, text[a:b], e.text[a:b]) for a, b in runs]
        assert all(type(x) is Edit for x in e.edits)
        assert apply_edits(text, e.edits) == e.text
