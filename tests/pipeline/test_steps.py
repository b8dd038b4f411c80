import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sample_steps import Bang, FirstCopyOnly, ShortFilter, Upper

from zhclean.errors import ConfigError, MissingExtraError
from zhclean.record import (
    DROP_REASON,
    EDITS,
    ERROR,
    ID,
    N_EDITS,
    append_edits,
    decode_edits,
    encode_edits,
    to_batch,
    to_records,
)
from zhclean.steps.base import FilterStep
from zhclean.steps.library import MinLength
from zhclean.steps.table import STEPS, build_step, describe_steps, step_names
from zhclean.text.edits import Edit, apply_edits


def test_a_record_that_raises_is_quarantined_and_the_batch_continues():
    batch = {"text": ["banana", "boom", "cab"], "meta": [1, 2, 3]}
    out = Upper().process_batch(batch)
    assert out["text"] == ["bAnAnA", "boom", "cAb"]
    assert out[ERROR] == [None, "upper:ValueError: boom in text", None]
    assert out["meta"] == [1, 2, 3]


def test_process_batch_does_not_modify_its_input_so_retries_are_harmless():
    batch = {"text": ["banana", "boom"], "meta": [{"k": 1}, None]}
    before = copy.deepcopy(batch)
    first = Upper().process_batch(batch)
    assert batch == before
    assert Upper().process_batch(batch) == first


def test_edits_of_two_steps_chain_and_replay_to_the_output():
    out = Bang().process_batch(Upper().process_batch({"text": ["ba", "xyz"]}))
    assert out["text"] == ["bA!", "xyz"]
    edits = [Edit.from_dict(d) for d in decode_edits(out[EDITS][0])]
    assert [e.rule for e in edits] == ["test.upper", "test.bang"]
    assert apply_edits("ba", edits) == "bA!"
    assert out[N_EDITS] == [2, None]
    assert out[EDITS][1] is None


_EDIT_DICTS = st.lists(
    st.builds(
        lambda rule, start, before, after, conf, alts: Edit(
            rule, start, start + len(before), before, after, conf, tuple(alts) if conf < 1 else ()
        ).to_dict(),
        st.sampled_from(["pinyin.strip", "script.t2s", "seo.tail", "x.y"]),
        st.integers(0, 10**6),
        st.text(max_size=8),
        st.text(max_size=8),
        st.sampled_from([1.0, 0.5, 0.123456]),
        st.lists(st.text(max_size=3), max_size=2),
    ),
    max_size=6,
)


@given(_EDIT_DICTS, _EDIT_DICTS)
def test_appending_edits_gives_the_string_that_decoding_and_re_encoding_gives(first, then):
    value = encode_edits(first)
    expected = (encode_edits(first + then), len(first) + len(then))
    assert append_edits(value, len(first) if value is not None else None, then) == expected
    assert append_edits(value, None, then) == expected  # no count: counted from the value
    assert append_edits(first, None, then) == expected  # a batch built in Python holds decoded lists
    if then:
        assert append_edits("[]", 0, then) == (encode_edits(then), len(then))


def test_appending_to_a_value_that_is_not_a_json_list_raises_so_the_record_is_quarantined():
    with pytest.raises(ValueError, match="zh__edits is not a JSON list"):
        append_edits('{"rule": "x.y"}', 1, [{"rule": "a.b"}])


def test_a_filter_only_sets_the_drop_reason_and_later_steps_skip_dropped_rows():
    out = ShortFilter().process_batch({"text": ["aa", "aaaa"]})
    assert out["text"] == ["aa", "aaaa"]
    assert out[DROP_REASON] == ["too_short", None]
    out2 = Upper().process_batch(out)
    assert out2["text"] == ["aa", "AAAA"]  # the dropped row was not processed


def test_text_that_is_not_a_string_is_quarantined_with_the_field_name():
    out = ShortFilter().process_batch({"text": ["abcd", 5]})
    assert out[ERROR] == [None, "short:TypeError: field 'text' is int, expected str"]


def test_min_length_counts_non_whitespace_characters():
    step = MinLength(min_chars=3)
    assert step.drop_reason("一 二") == "too_short"
    assert step.drop_reason("一二三") is None
    assert MinLength(min_chars=0).drop_reason("") is None
    with pytest.raises(ConfigError, match="min_chars"):
        MinLength(min_chars=-1)


def test_needs_are_checked_at_construction():
    from dataclasses import dataclass
    from typing import ClassVar

    @dataclass
    class NeedsMissing(FilterStep):
        name: ClassVar[str] = "needs_missing"
        needs: ClassVar[tuple[str, ...]] = ("zhclean_test_no_such_module",)

        def drop_reason(self, text):
            return None

    with pytest.raises(MissingExtraError, match=r"pip install 'zhclean\[zhclean_test_no_such_module\]'"):
        NeedsMissing()


def test_the_table_builds_steps_and_suggests_names_and_keys():
    assert set(STEPS) >= {"restore", "min_length"}
    assert build_step("min_length", {"min_chars": 7}) == MinLength(min_chars=7)
    with pytest.raises(ConfigError, match="did you mean 'min_length'"):
        build_step("min_lenght")
    with pytest.raises(ConfigError, match="did you mean 'min_chars'"):
        build_step("min_length", {"min_char": 3})
    lines = describe_steps()
    assert len(lines) == len(step_names()) >= len(STEPS)
    assert any(line.startswith("min_length") and "filter" in line for line in lines)


def test_steps_pickle_without_their_setup_state():
    import pickle

    step = MinLength(min_chars=4)
    step.ensure_setup()
    clone = pickle.loads(pickle.dumps(step))
    assert clone == step and clone._ready is False


def test_global_step_scan_combine_apply():
    step = FirstCopyOnly()
    batches = [to_batch([{"text": "x", ID: "1"}, {"text": "y", ID: "2"}]), to_batch([{"text": "x", ID: "3"}])]
    decision = step.combine([step.scan_batch(b) for b in batches])
    assert to_records(step.apply_batch(batches[1], decision)) == [{"text": "x", ID: "3", DROP_REASON: "duplicate"}]
    with pytest.raises(TypeError, match="runs through a plan"):
        step.process_batch(batches[0])


def test_restore_step_repairs_text_and_its_edits_replay():
    pytest.importorskip("zhclean.text.restore")
    step = build_step("restore")
    step.ensure_setup()
    damaged = "中國(guó)人民銀行(háng)今天宣布了新的政策。"
    out = step.process_batch({"text": [damaged, "今天天气很好。"]})
    assert out.get(ERROR) in (None, [None, None])
    assert out["text"][1] == "今天天气很好。"  # clean text is left alone
    assert out["text"][0] != damaged
    edits = [Edit.from_dict(d) for d in decode_edits(out[EDITS][0])]
    assert edits and edits[0].rule.startswith("pinyin.")
    assert apply_edits(damaged, edits) == out["text"][0]
    assert out[EDITS][1] is None


def test_restore_options_are_checked_against_restore_config():
    pytest.importorskip("zhclean.text.restore")
    with pytest.raises(ConfigError, match="has no option"):
        build_step("restore", {"no_such_option_xyz": True})


def test_a_step_behind_a_missing_extra_names_the_pip_command(monkeypatch):
    from types import MappingProxyType

    import zhclean.steps.table as table

    fake = {"fancy": ("zhclean_test_no_such_module", "Fancy", "dedup")}
    monkeypatch.setattr(table, "EXTRA_STEPS", MappingProxyType({**table.EXTRA_STEPS, **fake}))
    with pytest.raises(MissingExtraError, match=r"the step 'fancy' needs .* pip install 'zhclean\[dedup\]'"):
        build_step("fancy")
    lines = [line for line in describe_steps() if line.split()[0] == "fancy"]
    assert len(lines) == 1 and lines[0].endswith("not available: pip install 'zhclean[dedup]'")


def test_dedup_checks_its_extra_when_constructed(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "numpy", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'zhclean\[dedup\]'"):
        build_step("dedup")
