#!/usr/bin/env python3
"""Restore quality and speed, zhclean side by side with the anchors, in one process run.

    python benchmarks/bench_restore.py [--rounds 5] [--scale 1.0]

Every tool runs on the same inputs in the same process, alternating round by round, so machine noise hits them
alike.  Quality is character accuracy against the known clean text of each damage kind (after NFKC on both sides;
for the do-no-harm kinds the expected output is the input).  Speed is MB/s of UTF-8 input on one core (this process),
median over the rounds.  Results go to ``benchmarks/results/<date>-<cores>core-restore.json``;
``python benchmarks/render.py`` turns the newest results into the README tables.

Anchors: ftfy.fix_text with its defaults and with CJK-safe settings, OpenCC t2s, and a regex pinyin strip + t2s
baseline.  Where they install (``pip install datatrove py-data-juicer``, or ``--group anchors``), the Chinese-relevant
steps of the two pipeline frameworks run too: datatrove's ``FTFYFormatter`` (its Unicode repair: ftfy with
width-preserving settings), Data-Juicer's ``fix_unicode_mapper`` (ftfy defaults, then NFC) and its
``chinese_convert_mapper`` in ``t2s`` mode.  A framework that does not import is reported as skipped, with the reason.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
import unicodedata
from collections.abc import Callable

from common import clean_real_pages, damaged_real_pages, package_versions, write_result
from metrics import char_accuracy

from zhclean.simulate.damage import DamageConfig, DamageKit, damage_document, decode_gb18030_glibc
from zhclean.simulate.texts import load_texts
from zhclean.text.lexicon import Lexicon
from zhclean.text.restore import restore_text

# Tools that run ftfy.fix_text on the whole text: minutes per round on the clean corpus, so timed once there.
FTFY_BASED = frozenset({"ftfy_default", "ftfy_cjk_safe", "datatrove_ftfy", "data_juicer_fix_unicode"})
PINYIN_PAREN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def build_kinds(lex: Lexicon, scale: float) -> dict[str, list[tuple[str, str]]]:
    """Damage kind → [(input, expected)], from zhclean's own texts (plus real clean pages when ../shared exists).

    Every source article gives one document of each damage kind:

    - ``clean_simplified`` and ``genuine_traditional``: the text itself (the right output is the input);
    - ``machine_s2t``: the page through the simulator's site-like S→T converter;
    - ``mirror_full``: the simulator's whole mirror damage (converter, injected pinyin, glibc decoding, NFKC);
    - ``utf8_as_gbk``: one paragraph's UTF-8 bytes read as GB18030 the way glibc's ``iconv`` reads them (the
      decoder that produced the real damaged pages): an invalid unit (a lead byte before a byte that cannot trail,
      the stray last byte) becomes one ``?`` and its bytes are lost, so the characters around it can only be
      guessed.  Python's strict decoder rejects almost every Chinese paragraph (its bytes rarely pair up whole),
      and ``errors='replace'`` writes U+FFFD, which real pages do not show;
    - ``utf8_as_latin1``: one paragraph's UTF-8 bytes read as Latin-1 (always decodable, nothing lost).
    """
    kit = DamageKit(lex)
    news = [s for s in load_texts("news")]
    sources = [(s.title, list(s.paragraphs)) for s in news]
    for page in clean_real_pages(("clean_simplified_news_gov",)):
        lines = [x.strip() for x in page.splitlines() if x.strip()]
        if len(lines) > 1:
            sources.append((lines[0], lines[1:]))
    rng = random.Random(7)
    reps = max(1, round(4 * scale))
    kinds: dict[str, list[tuple[str, str]]] = {k: [] for k in (
        "clean_simplified", "genuine_traditional", "machine_s2t", "mirror_full", "utf8_as_gbk", "utf8_as_latin1")}
    traditional = [s.text() if callable(getattr(s, "text", None)) else "\n".join([s.title, *s.paragraphs])
                   for s in load_texts("taiwan")]
    traditional += clean_real_pages(("genuine_traditional_taiwan", "genuine_traditional_hongkong_macau"))
    for _ in range(reps):
        for k, (title, paras) in enumerate(sources):
            clean = "\n".join([title, *paras])
            kinds["clean_simplified"].append((clean, clean))
            kinds["machine_s2t"].append((kit.convert(clean, "sitelike"), clean))
            cfg = DamageConfig(boilerplate=False, seo_tail_prob=0.0)
            d = damage_document(title, paras, rng=rng.randrange(1 << 30), config=cfg, kit=kit)
            kinds["mirror_full"].append((d.damaged, d.expected))
            # Classic mojibake on one paragraph (a span), the rest of the page intact.
            i = k % len(paras) if paras else 0
            if paras:
                raw = paras[i].encode("utf-8")
                for key, bad in (("utf8_as_gbk", decode_gb18030_glibc(raw)), ("utf8_as_latin1", raw.decode("latin-1"))):
                    page = "\n".join([title, *paras[:i], bad, *paras[i + 1:]])
                    kinds[key].append((page, clean))
        for t in traditional:
            kinds["genuine_traditional"].append((t, t))
    return kinds


def make_tools(lex: Lexicon) -> tuple[dict[str, Callable[[str], str]], dict[str, str]]:
    import ftfy
    import opencc

    t2s = opencc.OpenCC("t2s").convert
    cjk_safe = ftfy.TextFixerConfig(fix_character_width=False, uncurl_quotes=False, fix_latin_ligatures=False)
    tools: dict[str, Callable[[str], str]] = {
        "zhclean": ZhcleanTool(lex),
        "ftfy_default": ftfy.fix_text,
        "ftfy_cjk_safe": lambda s: ftfy.fix_text(s, config=cjk_safe),
        "opencc_t2s": t2s,
        "strip_pinyin+t2s": lambda s: t2s(PINYIN_PAREN.sub("", s)),
    }
    skipped: dict[str, str] = {}
    try:  # datatrove's Unicode repair step: ftfy with its own, width-preserving settings
        from datatrove.pipeline.formatters import FTFYFormatter  # type: ignore[import-not-found]

        tools["datatrove_ftfy"] = FTFYFormatter().format
    except Exception as exc:
        skipped["datatrove"] = f"did not import ({type(exc).__name__}: {exc}); pip install datatrove to include it"
    try:  # Data-Juicer's two Chinese-relevant mappers; both are batched ops (a dict of columns in and out)
        from data_juicer.ops.mapper import (  # type: ignore[import-not-found]
            ChineseConvertMapper,
            FixUnicodeMapper,
        )

        fix_unicode, t2s_op = FixUnicodeMapper(), ChineseConvertMapper(mode="t2s")
        tools["data_juicer_fix_unicode"] = lambda s: fix_unicode.process_batched({"text": [s]})["text"][0]
        tools["data_juicer_t2s"] = lambda s: t2s_op.process_batched({"text": [s]})["text"][0]
    except Exception as exc:
        skipped["data_juicer"] = (f"did not import ({type(exc).__name__}: {exc}); "
                                  "pip install py-data-juicer to include it")
    return tools, skipped


class ZhcleanTool:
    """``restore_text`` with a lexicon of its own that :meth:`reset` replaces by a fresh, warmed one before each timed
    round.

    The lexicon memoises per-worker facts (readings, lattice scores of burst contexts).  A round that reused the
    previous round's lexicon would measure a worker that has seen these very documents; a cold lexicon would charge a
    small corpus with a worker's one-off start-up (readings looked up for the first time).  So each round starts with
    a fresh lexicon warmed on other pages (simulated ones, another seed), as a worker in the middle of a long shard is.
    """

    def __init__(self, lex: Lexicon) -> None:
        from zhclean.simulate.corpus import synthetic_documents

        self.lex = lex
        self.warmup = [d.damaged for d in synthetic_documents(40, seed=4242, lexicon=lex)]

    def reset(self) -> None:
        self.lex = Lexicon.load()
        self.lex.word_freq  # noqa: B018
        for d in self.warmup:
            restore_text(d, lexicon=self.lex)

    def __call__(self, s: str) -> str:
        return restore_text(s, lexicon=self.lex)


def time_tool(fn: Callable[[str], str], docs: list[str]) -> float:
    reset = getattr(fn, "reset", None)
    if reset is not None:
        reset()
    t0 = time.perf_counter()
    for d in docs:
        fn(d)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds per tool (alternating), default 5")
    ap.add_argument("--scale", type=float, default=1.0, help="corpus size factor, default 1.0")
    ap.add_argument("--clean-mb", type=float, default=20.0, help="size of the clean speed corpus in MB, default 20")
    args = ap.parse_args(argv)

    lex = Lexicon.load()
    lex.word_freq  # noqa: B018 — load the frequency table before timing, as a worker's setup() would
    kinds = build_kinds(lex, args.scale)
    tools, skipped = make_tools(lex)

    quality: dict[str, dict[str, float]] = {}
    for kind, pairs in kinds.items():
        quality[kind] = {}
        for name, fn in tools.items():
            quality[kind][name] = round(char_accuracy((fn(i), e) for i, e in pairs), 6)

    # Speed: a clean corpus (the no-damage path), the simulator's full mirror damage, and the real damaged pages of
    # ../shared (the seeds and realdata/damaged.jsonl, each page once) when present.  The simulator makes 1-3.5 bursts
    # per KB at the real pages' annotation density, the real pages 0.2-0.4: "damaged" is the harsher of the two.
    clean_docs = [i for i, _ in kinds["clean_simplified"]]
    size = sum(len(d.encode()) for d in clean_docs)
    clean_docs = clean_docs * max(1, round(args.clean_mb * 1e6 / size))
    damaged_docs = [i for i, _ in kinds["mirror_full"]]
    corpora = {"clean": clean_docs, "damaged": damaged_docs}
    real = damaged_real_pages()
    if real:
        corpora["damaged_real"] = real
    mb = {k: sum(len(d.encode()) for d in v) / 1e6 for k, v in corpora.items()}
    times: dict[str, dict[str, list[float]]] = {c: {t: [] for t in tools} for c in corpora}
    for _ in range(args.rounds):
        for corpus, docs in corpora.items():
            for name, fn in tools.items():
                if corpus == "clean" and name in FTFY_BASED and len(times[corpus][name]) >= 1:
                    continue  # ftfy takes minutes on the clean corpus; one round is enough to place it
                times[corpus][name].append(time_tool(fn, docs))
    speed = {c: {t: round(mb[c] / statistics.median(v), 2) for t, v in tt.items() if v} for c, tt in times.items()}
    # this box's rounds vary (a shared VM): the slowest and fastest round of each tool, next to the median
    spread = {c: {t: [round(mb[c] / max(v), 2), round(mb[c] / min(v), 2)] for t, v in tt.items() if v}
              for c, tt in times.items()}
    docs_s = {c: {t: round(len(corpora[c]) / statistics.median(v), 1) for t, v in tt.items() if v}
              for c, tt in times.items()}

    result = {
        "corpus": {k: {"docs": len(v), "mb": round(sum(len(i.encode()) for i, _ in v) / 1e6, 3)}
                   for k, v in kinds.items()},
        "speed_corpus_mb": {k: round(v, 2) for k, v in mb.items()},
        "rounds": args.rounds,
        "quality_char_accuracy": quality,
        "speed_mb_s_per_core": speed,
        "speed_mb_s_per_core_range": spread,
        "docs_per_s": docs_s,
        "skipped": skipped,
        "versions": package_versions(("zhclean", "ftfy", "opencc", "datatrove", "py-data-juicer")),
        "nfkc_note": unicodedata.unidata_version,
    }
    path = write_result("restore", result)
    names = list(tools)
    print("quality (character accuracy vs the clean text, after NFKC)")
    print("| kind | " + " | ".join(names) + " |")
    for kind, row in quality.items():
        print(f"| {kind} | " + " | ".join(f"{row[n]:.4f}" for n in names) + " |")
    print("speed (MB/s per core, median)")
    for corpus, row in speed.items():
        print(f"  {corpus:8s} " + "  ".join(f"{n}={v}" for n, v in row.items()))
    for k, v in skipped.items():
        print(f"skipped {k}: {v}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
