"""Steps of one worker process share one Lexicon: built once, not once per step."""

from __future__ import annotations

from zhclean.steps.base import per_process, shared_lexicon
from zhclean.steps.table import build_step


def test_restore_score_and_dedup_share_the_process_lexicon() -> None:
    restore, score, dedup = build_step("restore"), build_step("score"), build_step("dedup")
    for step in (restore, score, dedup):
        step.ensure_setup()
    lex = shared_lexicon()
    assert restore._lexicon is lex
    assert score._scorer._lexicon is lex
    assert dedup._lexicon is lex


def test_per_process_builds_once() -> None:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return object()

    first = per_process("test.builds_once", build)
    assert per_process("test.builds_once", build) is first
    assert calls == [1]
