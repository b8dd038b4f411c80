import dataclasses

import pytest
from sample_steps import Bang, FirstCopyOnly, ShortFilter, Upper

from zhclean.config import IOConfig, RunConfig, load_config, parse_config
from zhclean.errors import ConfigError
from zhclean.pipeline import Pipeline, run_record_phase
from zhclean.record import DROP_REASON, ERROR, ID
from zhclean.steps.library import MinLength


def test_plan_fuses_record_steps_and_isolates_global_steps():
    p = Pipeline([Upper(), ShortFilter(), FirstCopyOnly(), Bang()])
    plan = p.plan()
    assert [(ph.kind, [s.name for s in ph.steps]) for ph in plan.phases] == [
        ("record", ["upper", "short"]),
        ("global", ["first_copy_only"]),
        ("record", ["bang"]),
    ]
    assert plan.describe().splitlines()[1] == "phase 2 (global): first_copy_only"


def test_plan_never_mutates_the_pipeline():
    steps = [Upper(), FirstCopyOnly()]
    p = Pipeline(steps)
    before = p.steps
    assert p.plan() == p.plan()
    assert p.steps is before
    assert p.with_text_field("content").steps[0].text_field == "content"
    assert p.steps[0].text_field == "text"


def test_run_local_applies_every_phase_and_keeps_dropped_rows():
    p = Pipeline([Upper(), ShortFilter(min_len=3), FirstCopyOnly(), Bang()])
    records = [
        {"text": "banana", ID: "1", "u": 1},
        {"text": "ab", ID: "2"},
        {"text": "banana", ID: "3"},
        {"text": "boom!", ID: "4"},
        {"text": "cola", ID: "5"},
    ]
    out = p.run_local(records, batch_size=2)
    assert [r["text"] for r in out] == ["bAnAnA!", "Ab", "bAnAnA", "boom!", "colA!"]
    assert [r.get(DROP_REASON) for r in out] == [None, "too_short", "duplicate", None, None]
    assert out[3][ERROR].startswith("upper:ValueError")
    assert out[0]["u"] == 1


def test_measures_count_what_each_step_did():
    p = Pipeline([Upper(), ShortFilter(min_len=4)])
    _, measures = run_record_phase(p.plan().phases[0], {"text": ["aaaa", "a", "boom"]})
    upper, short = measures
    assert (upper.records, upper.changed, upper.errors) == (3, 2, 1)
    assert (short.records, short.dropped) == (2, 1)


def test_a_pipeline_rejects_non_steps_and_duplicates():
    with pytest.raises(ConfigError, match="Step objects"):
        Pipeline(["restore"])  # type: ignore[list-item]
    with pytest.raises(ConfigError, match="twice"):
        Pipeline([Upper(), Upper()])


def test_toml_config_round_trips_through_the_resolved_dump(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        '[[steps]]\nname = "min_length"\nmin_chars = 9\n\n[io]\ntext_field = "内容"\nrecords_per_shard = 10\n'
        "[engine]\nworkers = 3\n",
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert cfg.io.text_field == "内容" and cfg.engine.workers == 3
    pipe = cfg.build_pipeline()
    assert pipe.steps == (MinLength(min_chars=9, text_field="内容"),)
    again = tmp_path / "again.toml"
    again.write_text(cfg.to_toml(), encoding="utf-8")
    assert load_config(again) == cfg


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": []}, "unknown section 'step'; did you mean 'steps'"),
        ({"io": {"txt_field": "x"}}, "did you mean 'text_field'"),
        ({"io": {"format": "csv"}}, "format must be one of jsonl, parquet"),
        ({"engine": {"workers": "4"}}, "workers must be int"),
        ({"engine": {"name": "rey"}}, "did you mean 'ray'"),
        ({"steps": [{"name": "restor"}]}, "did you mean 'restore'"),
        ({"steps": [{"min_chars": 3}]}, "each step must be a name"),
        ({"steps": [{"name": "min_length", "min_char": 3}]}, "did you mean 'min_chars'"),
    ],
)
def test_bad_config_fails_early_with_a_suggestion(data, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_config(data)


def test_bad_toml_and_missing_file_are_config_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[steps]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_overrides_take_precedence_and_none_means_unset():
    cfg = RunConfig(io=IOConfig(text_field="a")).with_overrides(io={"text_field": None, "id_field": "k"})
    assert (cfg.io.text_field, cfg.io.id_field) == ("a", "k")
    with pytest.raises(ConfigError):
        cfg.with_overrides(engine={"workers": -1})
    assert dataclasses.asdict(RunConfig().engine)["name"] == "local"
