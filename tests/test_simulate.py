"""The damage simulator: byte mechanics, ground truth, determinism, shipped texts and the demo corpus."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhclean.simulate.corpus import build_demo_corpus, synthetic_documents
from zhclean.simulate.damage import (
    CONVERTERS,
    DamageConfig,
    DamageKit,
    build_sitelike_table,
    convert_s2t,
    damage_document,
    damage_text_only,
    decode_gb18030_glibc,
    inject_pinyin_detailed,
    make_table,
    nfkc,
    observed_table,
    strtr_bytes,
)
from zhclean.simulate.texts import KINDS, load_texts
from zhclean.text.lexicon import Lexicon

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PY = "a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜêḿńňǹ"
INJECTED = re.compile(rf"[(?]([{PY}]+)\)")


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="module")
def kit(lex: Lexicon) -> DamageKit:
    return DamageKit(lex)


# -- decoder and scanner ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"A\x93(B", "A?B"),  # lead + '(' : one '?' for both bytes
        (b"A\xb0 B", "A?B"),  # lead + space
        (b"A\xb0\x32\x30\x32\x33B", "A?23B"),  # lead + digit + non-lead: glibc skips 3 bytes
        (b"A\xb0\x32\xb0\x41B", "A?B"),  # broken 4-byte form: 4 bytes
        (b"A\x80B\xff", "A?B?"),
        (b"\xfe\x84\xfa\xca\xfc\xd7", "⻊\ue319\ue3e2"),  # GB18030 radical and user-defined area
        (b"\xa6\xd9\xa8\xbc", "︐ḿ"),  # glibc follows GB18030-2005 where Python's codec gives PUA
        (b"\x81\x30\x81\x30", "\x80"),
        (b"\xb0", "?"),
    ],
)
def test_glibc_decoder(raw: bytes, text: str) -> None:
    assert decode_gb18030_glibc(raw) == text


def test_strtr_matches_at_odd_offsets() -> None:
    table = {b"\xc2\x93": b"\xc2\x93(x)"}
    # The key straddles the boundary of two 2-byte characters; a miss advances one byte, so it is found.
    assert strtr_bytes(b"\xd3\xc2\x93\xfa", table) == b"\xd3\xc2\x93(x)\xfa"
    assert strtr_bytes(b"\xc2\x93\xc2", table) == b"\xc2\x93(x)\xc2"


def test_false_match_splits_a_character_into_a_burst(lex: Lexicon) -> None:
    # [trail of 計 | lead of 建] spells 嫿: the annotation lands inside 建; the run ends on [trail of 成, '5', 'G'].
    text = "全省累計建成5G基站"
    inj = inject_pinyin_detailed(text, make_table("嫿", lex))
    assert inj.text.startswith("全省累計?huà)")
    assert [f.key for f in inj.false_matches] == ["嫿"]
    assert inj.false_matches[0].position == text.index("建")
    assert [text[i] for i in inj.lost] == ["成", "5", "G"]
    assert [text[i] for i in inj.burst] == ["建", "成", "5", "G"]
    assert inj.text.endswith("基站")


def test_run_ending_on_an_annotation_loses_nothing(lex: Lexicon) -> None:
    # The '?' eating [last key byte, '('] is recoverable from the pinyin after it; nothing is lost here.
    text = "市統計局有關負責人"
    inj = inject_pinyin_detailed(text, make_table("嬀關", lex))
    assert "?guī)" in inj.text and inj.lost == ()
    assert [text[i] for i in inj.annotated] == ["關"]


def test_aligned_annotations_and_passthrough(lex: Lexicon) -> None:
    inj = inject_pinyin_detailed("•網絡發展€", make_table("網發", lex))
    assert inj.text == "•網(wǎng)絡發(fā)展€"  # • and € are not GBK: passed through
    assert inj.annotated == (1, 3) and inj.false_matches == () and inj.lost == ()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("網發業國臺的是在了有人中大为 ,。，(a1€•"), max_size=40))
def test_injection_is_total_and_exact(text: str) -> None:
    table = {"網": "wǎng", "發": "fā", "國": "guó"}
    inj = inject_pinyin_detailed(text, table, nfkc=True)
    assert all(0 <= i < len(text) for i in (*inj.lost, *inj.annotated))
    assert inject_pinyin_detailed(text, {}).text == text  # no table: GBK round trip is exact
    if not inj.false_matches:
        assert not inj.lost and len(inj.annotated) == sum(text.count(c) for c in table)


# -- converters ---------------------------------------------------------------------------------------------------
def test_converters(lex: Lexicon, kit: DamageKit) -> None:
    s = "为众签鉴干部先后关系云占产"
    got = {c: kit.convert(s, c) for c in CONVERTERS}
    assert got["sitelike"] == "為眾簽鑒干部先后關系雲佔產"
    assert got["sitelike_keep"] == "為眾簽鑒干部先后關系云占產"
    assert got["sitelike_alt"] == "爲衆簽鑒干部先后關系雲佔産"
    assert got["opencc_s2t"].startswith("爲衆")
    assert all(len(v) == len(s) for v in got.values())
    table = build_sitelike_table(lex)
    assert all(len(k) == 1 and len(v) == 1 for k, v in table.items())
    with pytest.raises(ValueError, match="unknown converter"):
        convert_s2t(s, "nope", lex)


def test_damage_text_only(lex: Lexicon) -> None:
    assert damage_text_only("网络，发展", lexicon=lex, do_nfkc=True) == "網絡,發展"
    assert damage_text_only("網絡", lexicon=lex, converter=None, table=make_table("絡", lex)) == "網絡(luò)"


# -- tables -------------------------------------------------------------------------------------------------------
def test_tables_are_nested(kit: DamageKit) -> None:
    small, mid, big = kit.table(0.05), kit.table(0.3), kit.table(0.8)
    assert set(small) < set(mid) < set(big)
    assert set(kit.table(0.3, salt="other")) != set(mid)


def test_observed_table_reads_back_the_table(kit: DamageKit, lex: Lexicon) -> None:
    src = load_texts("news")[3]
    cfg = DamageConfig(converter="sitelike", coverage=0.3, boilerplate=False, seo_tail_prob=0)
    d = damage_document(src.title, src.paragraphs, rng=5, config=cfg, kit=kit)
    seen = set(observed_table(d.damaged, lex))
    used = {d.expected[i] for i in d.annotations}
    used_t = {kit.convert(c, "sitelike") for c in used}
    # An annotation whose '(' a burst ate shows as `?py)` and is read back only when it keys a false match.
    assert seen <= set(d.table) and len(used_t & seen) >= 0.9 * len(used_t)


# -- whole documents ----------------------------------------------------------------------------------------------
def test_determinism(kit: DamageKit, lex: Lexicon) -> None:
    src = load_texts("news")[0]
    a = damage_document(src.title, src.paragraphs, rng=42, kit=kit)
    b = damage_document(src.title, "\n".join(src.paragraphs), rng=random.Random(42), lexicon=lex)
    assert a == b
    assert json.loads(json.dumps(a.to_dict()))["expected"] == a.expected
    one = [d.damaged for d in synthetic_documents(5, seed=3, kit=kit)]
    two = [d.damaged for d in synthetic_documents(5, seed=3, kit=kit)]
    assert one == two
    assert one != [d.damaged for d in synthetic_documents(5, seed=4, kit=kit)]


def test_ground_truth_is_consistent(kit: DamageKit, lex: Lexicon) -> None:
    n_false = 0
    for d in synthetic_documents(60, seed=11, kit=kit):
        body = d.expected.removesuffix(d.seo_tail)
        damaged = d.damaged.removesuffix(d.seo_tail)
        assert d.damaged.endswith(d.seo_tail) and d.expected.endswith(d.seo_tail)
        assert not any(lex.is_traditional_only(c) for c in body)
        # Every injection (aligned or false) leaves `(py)` or, with its '(' eaten, `?py)`.
        assert len(INJECTED.findall(damaged)) == d.n_annotations + len(d.false_matches)
        if d.converter != "opencc_s2t":  # phrase-aware conversion may pick another form in context
            assert all(kit.convert(d.expected[i], d.converter) in d.table for i in d.annotations)
        assert all(0 <= i < len(body) for i in d.lost_chars)
        assert set(d.lost_chars) <= set(d.burst_chars)
        assert {f.position for f in d.false_matches if ord(body[f.position]) > 0x7F} <= set(d.burst_chars)
        assert set(d.table) >= {f.key for f in d.false_matches}
        n_false += len(d.false_matches)
        if not d.false_matches:
            assert not d.lost_chars
    assert n_false > 0


def test_without_damage_the_page_comes_back(kit: DamageKit, lex: Lexicon) -> None:
    src = load_texts("news")[5]
    cfg = DamageConfig(converter="sitelike", coverage=0.4, seo_tail_prob=0)
    d = damage_document(src.title, src.paragraphs, rng=1, config=cfg, kit=kit)
    if not d.false_matches:
        stripped = re.sub(rf"\(([{PY}]+)\)", "", d.damaged)
        assert lex.t2s(stripped) == d.expected
    assert d.article in d.expected and nfkc(src.paragraphs[0]) in d.article


# -- shipped texts ------------------------------------------------------------------------------------------------
def test_shipped_texts(lex: Lexicon) -> None:
    texts = load_texts()
    assert {t.kind for t in texts} == set(KINDS)
    assert len({t.id for t in texts}) == len(texts)
    assert len(load_texts("news")) >= 40 and len(load_texts("taiwan")) >= 8
    for t in texts:
        assert 3 <= len(t.paragraphs) <= 6 or t.kind != "news"
        if t.script == "simplified":
            assert not any(lex.is_traditional_only(c) for c in t.text), t.id
        else:
            assert lex.t2s(t.text) != t.text, t.id
    root = Path(__file__).resolve().parents[1] / "src" / "zhclean" / "simulate" / "texts"
    assert sum(p.stat().st_size for p in root.glob("*.jsonl")) < 400_000


# -- demo corpus --------------------------------------------------------------------------------------------------
def test_demo_corpus(tmp_path: Path, lex: Lexicon) -> None:
    out = tmp_path / "demo.jsonl"
    counts = build_demo_corpus(out, n_docs=80, seed=2, lexicon=lex)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == counts["lines"] == 83 and counts["records"] == 80 and counts["bad_record"] == 3
    kinds = {k: v for k, v in counts.items() if k not in ("records", "lines", "bad_record")}
    assert sum(kinds.values()) == 80
    assert {"damaged_mirror", "exact_duplicate", "clean_simplified", "taiwan", "pinyin_gloss", "spam"} <= set(kinds)
    good, bad = [], 0
    for line in lines:
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            continue
        if isinstance(r.get("text"), str):
            good.append(r)
        else:
            bad += 1
    assert bad == 3 and len(good) == 80
    assert all(set(r) == {"id", "text", "source_url"} for r in good)
    texts = [r["text"] for r in good]
    assert len(set(texts)) < len(texts)  # exact duplicates
    again = build_demo_corpus(tmp_path / "again.jsonl", n_docs=80, seed=2, lexicon=lex, truth_path=tmp_path / "t.jsonl")
    assert again == counts and (tmp_path / "again.jsonl").read_bytes() == out.read_bytes()
    truth = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["id"] for t in truth] == [r["id"] for r in good]
    undamaged = ("taiwan", "clean_simplified")
    assert all(t["expected"] == r["text"] for t, r in zip(truth, good, strict=True) if t["kind"] in undamaged)


# -- real seeds ---------------------------------------------------------------------------------------------------
_TAIL = re.compile(r"\n(?:[\u4e00-\u9fff]{2,8}\| ){5,}[\u4e00-\u9fff]{2,8}\|\s*$")


@pytest.mark.realdata
@pytest.mark.skipif(not (SHARED / "seeds" / "expected").is_dir(), reason="../shared/seeds (real seed pages) is absent")
@pytest.mark.parametrize(("seed", "n_unexplained"), [("000", 1), ("002", 0)])
def test_simulator_reproduces_the_real_seeds(seed: str, n_unexplained: int, kit: DamageKit) -> None:
    """Re-damage each seed's restored text with the table read off the seed: byte for byte, except the one event
    the notes leave unexplained in seed 000 (the 4 bytes of two characters arriving as one '!')."""
    import difflib

    damaged_path = next((SHARED / "seeds").glob(f"{seed}_*.txt"))
    damaged = damaged_path.read_text(encoding="utf-8")
    restored = (SHARED / "seeds" / "expected" / f"{seed}.restored.txt").read_text(encoding="utf-8")
    restored = re.sub(r"\[\?(.)\]", r"\1", restored)
    m = _TAIL.search(restored)
    tail = restored[m.start() :] if m else ""
    page = restored[: m.start()] if m else restored
    table = make_table(observed_table(damaged, kit.lexicon), kit.lexicon)
    out = inject_pinyin_detailed(kit.convert(page, "sitelike"), table, nfkc=True).text + tail
    sm = difflib.SequenceMatcher(None, out, damaged, autojunk=False)
    diffs = [(out[a:b], damaged[c:d]) for op, a, b, c, d in sm.get_opcodes() if op != "equal"]
    assert len(diffs) == n_unexplained
    assert all(len(ours) == 2 and theirs == "!" for ours, theirs in diffs)
