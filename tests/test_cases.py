"""Golden cases as data (tests/cases/*.jsonl; schema: id, comment, input, expected; all sentences are our own).

* ``synthetic``: damage made by rule from clean sentences (1:1 S→T, injected pinyin, bursts, NFKC);
* ``wild``: the shapes of damage seen in crawled mirror pages (SEO tails, acronyms and numbers beside injected
  pinyin), rewritten in our own sentences;
* ``negative``: text that must come back unchanged (clean Simplified, genuine Taiwan/Hong Kong Traditional,
  legitimate pinyin glosses, real parentheses, Japanese, Classical Chinese, code, authors' own typos);
* ``known_failures``: what zhclean does not restore yet; strict xfail, so fixing one makes the suite say so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhclean.text.edits import apply_edits
from zhclean.text.lexicon import Lexicon
from zhclean.text.restore import restore_text, restore_text_explained

CASES = Path(__file__).parent / "cases"
FIELDS = {"id", "comment", "input", "expected"}


def load(name: str) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (CASES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        assert set(row) == FIELDS, f"{name}.jsonl {row.get('id')}: fields {sorted(row)}"
    return rows


def params(name: str) -> list:
    return [pytest.param(r, id=r["id"]) for r in load(name)]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


def test_ids_are_unique():
    ids = [r["id"] for name in ("synthetic", "wild", "negative", "known_failures") for r in load(name)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", params("synthetic") + params("wild"))
def test_restores(lex, case):
    e = restore_text_explained(case["input"], lexicon=lex)
    assert e.text == case["expected"], case["comment"]
    assert apply_edits(case["input"], e.edits) == e.text
    assert restore_text(e.text, lexicon=lex) == e.text  # idempotent


@pytest.mark.parametrize("case", params("negative"))
def test_leaves_unchanged(lex, case):
    assert case["input"] == case["expected"], "a negative case expects its own input"
    assert restore_text(case["input"], lexicon=lex) == case["input"], case["comment"]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(r, id=r["id"], marks=pytest.mark.xfail(strict=True, reason=r["comment"]))
        for r in load("known_failures")
    ],
)
def test_known_failures(lex, case):
    assert restore_text(case["input"], lexicon=lex) == case["expected"]
