"""The dedup and consensus steps through zhclean.pipeline on a small mixed corpus."""

import random

import pytest

from zhclean.errors import ConfigError
from zhclean.pipeline import Pipeline
from zhclean.simulate import DamageKit, damage_document, load_texts
from zhclean.simulate.damage import layout_page
from zhclean.steps.dedup import Consensus, Dedup
from zhclean.steps.library import MinLength, Restore
from zhclean.text.lexicon import Lexicon


@pytest.fixture(scope="module")
def corpus():
    """Four articles with 1-4 damaged copies each (two with the clean original), two distinct articles, one short."""
    kit = DamageKit(Lexicon.load())
    texts = load_texts("news")
    records, truth = [], {}
    for a, n_copies in enumerate((4, 3, 2, 1)):
        src = texts[a]
        for c in range(n_copies):
            d = damage_document(src.title, src.paragraphs, rng=random.Random(f"t:{a}:{c}"), kit=kit)
            records.append({"id": f"a{a}-c{c}", "text": d.damaged})
            truth[f"a{a}-c{c}"] = a
        if a < 2:
            page, _ = layout_page(src.title, src.paragraphs, random.Random(f"o:{a}"))
            records.append({"id": f"a{a}-orig", "text": page})
            truth[f"a{a}-orig"] = a
    for k in (10, 11):
        records.append({"id": f"distinct{k}", "text": "\n".join([texts[k].title, *texts[k].paragraphs])})
        truth[f"distinct{k}"] = k
    records.append({"id": "short", "text": "短"})
    return records, truth


@pytest.fixture(scope="module")
def output(corpus):
    records, _ = corpus
    pipeline = Pipeline([Restore(), MinLength(min_chars=5), Dedup(), Consensus()])
    return {r["zh__id"]: r for r in pipeline.run_local(records, batch_size=4)}


def test_clusters_follow_the_articles(corpus, output):
    _, truth = corpus
    by_cluster = {}
    for rid, article in truth.items():
        by_cluster.setdefault(output[rid]["zh__cluster"], set()).add(article)
    assert all(len(articles) == 1 for articles in by_cluster.values())  # nothing merged
    assert len(by_cluster) == len(set(truth.values()))  # nothing split


def test_every_record_that_went_through_dedup_carries_its_cluster(corpus, output):
    _, truth = corpus
    for rid in truth:
        rec = output[rid]
        members = sorted(r for r in truth if truth[r] == truth[rid])
        assert rec["zh__cluster"] == members[0]  # the smallest member id, its own id when unique
    assert "zh__cluster" not in output["short"]  # dropped before dedup: never clustered


def test_one_copy_kept_per_cluster_and_the_original_first(corpus, output):
    _, truth = corpus
    for article in set(truth.values()):
        members = [output[r] for r in truth if truth[r] == article]
        kept = [m for m in members if m.get("zh__drop_reason") is None]
        assert len(kept) == 1
        for m in members:
            if m is not kept[0]:
                assert m["zh__drop_reason"] == "duplicate"
                assert m["zh__dup_of"] == kept[0]["zh__id"]
        if any(m["zh__id"].endswith("-orig") for m in members):
            assert kept[0]["zh__id"].endswith("-orig")


def test_plan_gives_each_global_step_its_phase():
    plan = Pipeline([Restore(), Dedup(), Consensus()]).plan()
    assert [p.kind for p in plan.phases] == ["record", "global", "global"]


def test_bad_parameters_fail_early():
    with pytest.raises(ConfigError, match="threshold"):
        Dedup(threshold=1.5)
    with pytest.raises(ConfigError, match="power of two"):
        Dedup(num_perm=100)
    with pytest.raises(ConfigError, match="engine"):
        Dedup(engine="spark")


def test_summary_lists_cluster_sizes(corpus):
    records, _ = corpus
    step = Dedup()
    batch = {"text": [r["text"] for r in records], "zh__id": [r["id"] for r in records]}
    decision = step.combine([step.scan_batch(batch)])
    assert decision.summary["documents"] == len(records)
    assert decision.summary["biggest_clusters"][0]["size"] >= 4
    assert sum(decision.summary["cluster_sizes"].values()) == decision.summary["clusters"]


def test_texts_without_content_are_not_duplicates_of_each_other():
    texts = ["？！", "……", "中文内容一样", "中文内容一样。"]
    out = Pipeline([Dedup()]).run_local([{"text": t} for t in texts])
    assert [r["zh__cluster"] for r in out] == ["record:1", "record:2", "record:3", "record:3"]


def test_the_rensa_engine_gives_the_same_clusters(corpus):
    pytest.importorskip("rensa")
    records, _ = corpus
    numpy_out = Pipeline([Dedup()]).run_local(records)
    rensa_out = Pipeline([Dedup(engine="rensa")]).run_local(records)
    assert [r["zh__cluster"] for r in rensa_out] == [r["zh__cluster"] for r in numpy_out]
