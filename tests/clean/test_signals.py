"""Quality signals, verdicts and the clean/score/quality_filter steps on invented pages."""

from __future__ import annotations

import pickle
import random

import pytest

from zhclean.errors import ConfigError
from zhclean.pipeline import Pipeline
from zhclean.score.signals import (
    QualityThresholds,
    Signals,
    compute_signals,
    judge_page,
    score_cjk_ratio,
    score_dup_line_frac,
    score_dup_ngram_frac,
    score_punct_ratio,
    score_top_ngram_frac,
)
from zhclean.steps.clean import Clean, QualityFilter, Score

ARTICLE = (
    "  本报讯 春季植树活动于本周末在城东湿地公园举行,近千名志愿者参加,共栽下各类树苗三千余株。\n"
    "  活动组织者介绍,今年选择的树种以本地乡土树种为主,成活率高,养护成本也比较低。\n"
    "  据了解,湿地公园将在秋季再组织一次补植活动,欢迎市民报名参加,具体时间另行通知。\n"
)


@pytest.mark.parametrize("text", ["", " ", ARTICLE, "abc", "\ufffd" * 3, "甲" * 500])
def test_signals_are_total_and_in_range(text: str) -> None:
    s = compute_signals(text)
    for name in ("cjk_ratio", "punct_ratio", "symbol_noise", "dup_line_frac", "top_2gram", "top_4gram", "dup_10gram"):
        assert 0.0 <= getattr(s, name) <= 1.0
    assert compute_signals(text) == s  # deterministic
    assert Signals.from_columns(s.to_columns()) is not None


def test_directions() -> None:
    assert score_cjk_ratio(ARTICLE) > score_cjk_ratio("Python 3.12 release notes 中文")
    assert score_punct_ratio(ARTICLE) > score_punct_ratio("关键词一\n关键词二\n关键词三")
    assert score_dup_line_frac(ARTICLE + ARTICLE) > score_dup_line_frac(ARTICLE)
    assert score_top_ngram_frac("恒大恒大恒大恒大恒大恒大", 2) > score_top_ngram_frac(ARTICLE, 2)
    assert score_dup_ngram_frac(ARTICLE * 2, 10) == 1.0


def test_clean_article_is_kept() -> None:
    assert judge_page(compute_signals(ARTICLE)) == ()


def test_reasons() -> None:
    assert judge_page(compute_signals("某某市各区县GDP排名")) == ("too_short",)
    keywords = "\n".join(f"python{w}" for w in ["下载", "安装", "教程", "入门", "版本", "兼容", "官网", "环境"])
    assert "spam:keyword_stuffing" in judge_page(compute_signals(keywords))
    phrase = "某大学某教授的前妻是谁和照片"
    stuffed = f"{phrase}\n{phrase}他今天出席了会议。\n{phrase}随后发表讲话。\n" + ARTICLE
    assert "spam:keyword_stuffing" in judge_page(compute_signals(stuffed))
    assert "spam:repetition" in judge_page(compute_signals(ARTICLE * 3))
    assert "junk:residual_damage" in judge_page(compute_signals(ARTICLE + "\ufffd" * 200))
    assert "spam:toponym_dominated" in judge_page(compute_signals(ARTICLE, toponym_chars=500, original_chars=600))
    noisy = "".join(ch + random.Random(1).choice("$#@&*") for ch in ARTICLE)
    assert "junk:gibberish" in judge_page(compute_signals(noisy))
    assert judge_page(compute_signals("某某市各区县GDP排名"), QualityThresholds(min_han_chars=5, min_chars=5)) == ()


@pytest.fixture(scope="module")
def steps() -> list:
    return [Clean(), Score(), QualityFilter()]


def test_steps_write_columns_and_reasons(steps: list) -> None:
    rng = random.Random(7)
    random_han = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(400))
    doorway = "\n".join("| ".join(f"{a}{b}县" for b in "东西南北中") + "|" for a in "甲乙丙丁戊己庚辛壬癸")
    page = "城东湿地公园春季植树活动举行\n2025-03-16 08:05  来源:晨风日报\n" + ARTICLE + "[责任编辑:周文]"
    records = [{"id": i, "text": t} for i, t in enumerate([page, random_han, doorway, "太短"])]
    out = Pipeline(steps).run_local(records)
    assert out[0]["zh__title"] == "城东湿地公园春季植树活动举行" and out[0]["zh__editor"] == "周文"
    assert out[0]["zh__source"] == "晨风日报" and out[0]["zh__published"] == "2025-03-16T08:05:00"
    assert out[0]["text"] == ARTICLE and out[0].get("zh__drop_reason") is None
    assert 0.9 < out[0]["zh__score_cjk_ratio"] <= 1.0 and out[0]["zh__score_script"] == "simplified"
    assert out[1]["zh__drop_reason"] == "junk:gibberish"
    assert out[2]["zh__drop_reason"] == "spam:toponym_dominated"
    assert out[3]["zh__drop_reason"] == "too_short"


def test_filter_without_score_step_computes_signals() -> None:
    out = Pipeline([QualityFilter()]).run_local([{"text": ARTICLE}, {"text": "太短"}])
    assert [r.get("zh__drop_reason") for r in out] == [None, "too_short"]


def test_filter_config() -> None:
    assert QualityFilter.from_params({"min_han_chars": 10}).params() == {"min_han_chars": 10}
    with pytest.raises(ConfigError, match="did you mean 'min_han_chars'"):
        QualityFilter.from_params({"min_han_char": 10})
    with pytest.raises(ConfigError, match=">= 0"):
        QualityFilter.from_params({"max_dup_line_frac": -1})


def test_steps_travel_as_parameters(steps: list) -> None:
    Pipeline(steps).run_local([{"text": ARTICLE}])  # set up
    for step in steps:
        clone = pickle.loads(pickle.dumps(step))
        assert clone.params() == step.params() and not clone._ready


def test_ngram_stats_equal_the_python_definitions() -> None:
    """The numpy n-gram figures of compute_signals are exactly the string-counting ones, on texts with repeats of every
    length, few and many distinct characters, supplementary-plane characters and the shortest lengths."""
    import random

    from zhclean.score.signals import _dup_ngram, _ngram_stats, _top_ngram

    rnd = random.Random(7)
    texts = ["", "甲", "甲乙", "甲甲", "甲乙甲", "徐显明徐显明徐显明是谁", "甲乙丙丁戊甲乙丙丁戊", "𠀀𠀁𠀀𠀁𠀀"]
    alphabet = "甲乙丙丁戊己庚辛壬癸𠀀"
    for _ in range(2_000):
        k = rnd.randint(0, 60)
        pool = alphabet[: rnd.randint(1, len(alphabet))]
        texts.append("".join(rnd.choice(pool) for _ in range(k)))
    phrase = "经济社会发展稳中有进"
    texts.append(phrase * 30 + "".join(rnd.choice(alphabet) for _ in range(500)) + phrase * 3)
    for han in texts:
        want = (
            _top_ngram(han, 2),
            _top_ngram(han, 3),
            _top_ngram(han, 4),
            _dup_ngram(han, 5),
            _dup_ngram(han, 10),
        )
        assert _ngram_stats(han) == want, han


def test_punct_and_noise_shares_equal_their_definitions() -> None:
    """The shares counted by deletion (str.translate) are the per-character counts of the docstrings."""
    from zhclean.score.signals import _NOISE, _PUNCT, score_symbol_noise

    rnd = random.Random(11)
    alphabet = "中文，。!?$#@ \n\tab（）《》—…·\"'[]-{}|\u3000"
    texts = ["", " ", "你好,世界。", "正文e$ m; K正文"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(3_000)]
    for text in texts:
        chars = "".join(text.split())
        punct = sum(1 for c in chars if c in _PUNCT) / len(chars) if chars else 0.0
        noise = sum(1 for c in chars if c in _NOISE) / len(chars) if chars else 0.0
        assert (score_punct_ratio(text), score_symbol_noise(text)) == (punct, noise), text
        signals = compute_signals(text)
        assert (signals.punct_ratio, signals.symbol_noise) == (punct, noise), text
