"""Canonical keys fold script, leftover pinyin, punctuation, width and the SEO tail; restored copies match."""

import pytest

from zhclean.dedup.keys import canonical_key, fold_with_offsets
from zhclean.simulate import DamageConfig, DamageKit, damage_document, load_texts
from zhclean.text.restore import restore_text


@pytest.fixture(scope="module")
def kit(lexicon):
    return DamageKit(lexicon)


@pytest.fixture(scope="module")
def lexicon():
    from zhclean.text.lexicon import Lexicon

    return Lexicon.load()


def test_traditional_pinyin_width_and_tail_fold_to_the_simplified_key(lexicon):
    original = "临河县推进“一网通办”政务服务改革，群众办事更方便。"
    copy = "臨(lín)河縣推進\"一網(wǎng)通辦\"政務服務改革,  群眾辦事更方便.\n北京市| 天津市| 上海市| 重庆市| 河北省|"
    assert canonical_key(copy, lexicon=lexicon) == canonical_key(original, lexicon=lexicon)


def test_restored_burst_copy_and_its_original_share_the_key(lexicon, kit):
    src = load_texts("news")[0]
    cfg = DamageConfig(converter="sitelike", coverage=0.5, boilerplate=False, seo_tail_prob=1.0)
    found = 0
    for seed in range(40):
        d = damage_document(src.title, src.paragraphs, rng=seed, config=cfg, kit=kit)
        if not d.false_matches or d.lost_chars:  # a burst whose bytes all survive: restore can undo it exactly
            continue
        assert "(" in d.damaged and d.damaged != d.expected
        restored = restore_text(d.damaged, lexicon=lexicon)
        assert canonical_key(restored, lexicon=lexicon) == canonical_key(d.clean, lexicon=lexicon)
        found += 1
    assert found >= 1


def test_key_is_total_and_rejects_bytes(lexicon):
    assert canonical_key("", lexicon=lexicon) == ""
    assert canonical_key("?!。 \n", lexicon=lexicon) == ""
    with pytest.raises(TypeError):
        canonical_key(b"abc", lexicon=lexicon)  # type: ignore[arg-type]


def test_fold_offsets_point_at_the_kept_characters():
    text = "中國, 網 A1"
    folded, offsets = fold_with_offsets(text, {"國": "国", "網": "网"})
    assert folded == "中国网a1"
    assert [text[o] for o in offsets] == ["中", "國", "網", "A", "1"]


def test_distinct_articles_get_distinct_keys(lexicon):
    texts = load_texts("news")
    keys = {canonical_key("\n".join(t.paragraphs), lexicon=lexicon) for t in texts}
    assert len(keys) == len(texts)
