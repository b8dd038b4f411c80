"""Synthetic damaged documents and the demo corpus, built from the texts zhclean ships.

:func:`synthetic_documents` yields :class:`~zhclean.simulate.damage.SimulatedDoc` with exact ground truth (for tests,
evaluation and benchmarks); :func:`build_demo_corpus` writes a realistic messy JSONL input for ``zhclean demo``.

Examples:
    >>> from zhclean.text.lexicon import Lexicon
    >>> docs = list(synthetic_documents(3, seed=7, lexicon=Lexicon.load()))
    >>> len(docs), all(d.damaged != d.expected for d in docs)
    (3, True)
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zhclean.simulate.damage import DamageConfig, DamageKit, SimulatedDoc, damage_document, layout_page, nfkc
from zhclean.simulate.texts import SourceText, load_texts

if TYPE_CHECKING:
    from zhclean.text.lexicon import Lexicon

# Invented mirror and portal domains (example.* is reserved for documentation and never resolves to a real site).
_MIRRORS = tuple(
    f"{name}.example.{tld}"
    for name, tld in zip(
        ("blue-lotus", "kaixin88", "fastnews-hub", "m.daydream", "old-harbor", "sunrise-info", "yunfeng", "greatwall7"),
        ("com", "net", "org", "com", "net", "org", "com", "net"),
        strict=True,
    )
)
_PORTAL = "news.example.org"
# Keyword-salad spam: search bait strung together without sentences.
_SALAD = (
    "免费下载",
    "高清视频",
    "在线观看",
    "最新版",
    "官方网站",
    "手机版",
    "破解版",
    "排行榜",
    "价格表",
    "图片大全",
    "怎么样",
    "多少钱",
    "哪家好",
    "正品",
    "批发",
    "招商加盟",
    "代理",
    "优惠券",
    "包邮",
    "秒杀",
)


def _as_source(item: SourceText | tuple[str, Sequence[str]], k: int) -> SourceText:
    if isinstance(item, SourceText):
        return item
    title, paragraphs = item
    return SourceText(f"extra-{k:04d}", "news", "simplified", title, tuple(paragraphs))


def synthetic_documents(
    n: int,
    *,
    seed: int,
    lexicon: Lexicon | None = None,
    config: DamageConfig | None = None,
    extra: Iterable[SourceText | tuple[str, Sequence[str]]] = (),
    kit: DamageKit | None = None,
) -> Iterator[SimulatedDoc]:
    """``n`` damaged pages over the shipped Simplified news texts (and ``extra`` clean texts: ``SourceText`` or
    ``(title, paragraphs)``), cycling through the sources; each page draws its own converter, coverage, template and
    tail from ``config`` (default :class:`DamageConfig`). Document ``i`` depends only on ``(seed, i)``.

    ``meta`` holds ``source_id`` and ``index``.
    """
    if kit is None:
        if lexicon is None:
            raise TypeError("synthetic_documents needs lexicon= or kit=")
        kit = DamageKit(lexicon)
    sources = [*load_texts("news"), *(_as_source(x, k) for k, x in enumerate(extra))]
    order = list(range(len(sources)))
    random.Random(f"order:{seed}").shuffle(order)
    for i in range(n):
        src = sources[order[i % len(order)]]
        d = damage_document(src.title, src.paragraphs, rng=random.Random(f"doc:{seed}:{i}"), config=config, kit=kit)
        yield dataclasses.replace(d, meta={"source_id": src.id, "index": str(i)})


def _clean_page(src: SourceText, rng: random.Random) -> str:
    page, _ = layout_page(src.title, src.paragraphs, rng, boilerplate=rng.random() < 0.7)
    return nfkc(page)  # the crawl folds width on every page, clean or not


def _url(rng: random.Random, host: str) -> str:
    return (
        f"https://{host}/local/{rng.randint(2015, 2024)}{rng.randint(1, 12):02d}/t{rng.randint(10**7, 10**8 - 1)}.html"
    )


def build_demo_corpus(
    out_path: Path,
    *,
    n_docs: int = 300,
    seed: int = 0,
    lexicon: Lexicon | None = None,
    truth_path: Path | None = None,
) -> dict[str, int]:
    """Write a messy demo JSONL (fields ``id``, ``text``, ``source_url``) and return the number of lines by kind.

    About half the records are damaged mirror copies (1 to 4 differently damaged copies of an article: near
    duplicates), the rest exact duplicates, clean Simplified pages, genuine Taiwan Traditional pages, pages with
    legitimate pinyin glosses, classical and mixed code texts and a few spam pages (county names only, keyword
    salad); three bad lines (not JSON, no ``text``, ``text`` not a string) are added on top of ``n_docs``.

    With ``truth_path``, a sidecar JSONL gets one line per good record: ``id``, ``kind``, ``source_id`` and
    ``expected`` (what a perfect text restorer returns; for undamaged kinds, the text itself).

    >>> import tempfile
    >>> from zhclean.text.lexicon import Lexicon
    >>> with tempfile.TemporaryDirectory() as d:
    ...     counts = build_demo_corpus(Path(d) / "demo.jsonl", n_docs=40, lexicon=Lexicon.load())
    >>> counts["records"], counts["bad_record"]
    (40, 3)
    """
    if lexicon is None:
        from zhclean.text.lexicon import Lexicon

        lexicon = Lexicon.load()
    kit = DamageKit(lexicon)
    rng = random.Random(f"demo:{seed}")
    news = load_texts("news")
    others = {k: load_texts(k) for k in ("taiwan", "pinyin_gloss", "classical", "mixed_code")}
    share = {
        "clean_simplified": 0.18,
        "taiwan": 0.08,
        "pinyin_gloss": 0.05,
        "classical": 0.03,
        "mixed_code": 0.03,
        "spam": 0.02,
        "exact_duplicate": 0.08,
    }
    want = {k: max(1, round(v * n_docs)) for k, v in share.items()}
    want["damaged_mirror"] = max(0, n_docs - sum(want.values()))

    records: list[tuple[str, str, str, str, str]] = []  # (kind, text, url, expected, source id)
    made = 0
    while made < want["damaged_mirror"]:
        src = rng.choice(news)
        for _ in range(min(rng.choice((1, 1, 2, 3, 4)), want["damaged_mirror"] - made)):
            d = damage_document(src.title, src.paragraphs, rng=rng, kit=kit)
            records.append(("damaged_mirror", d.damaged, _url(rng, rng.choice(_MIRRORS)), d.expected, src.id))
            made += 1
    for _ in range(want["clean_simplified"]):
        src = rng.choice(news)
        page = _clean_page(src, rng)
        records.append(("clean_simplified", page, _url(rng, _PORTAL), page, src.id))
    for kind in ("taiwan", "pinyin_gloss", "classical", "mixed_code"):
        for _ in range(want[kind]):
            src = rng.choice(others[kind])
            text = nfkc(src.text)
            records.append((kind, text, _url(rng, _PORTAL), text, src.id))
    for k in range(want["spam"]):
        if k % 2 == 0:
            text = "| ".join(rng.choice(kit.counties) for _ in range(rng.randint(40, 80))) + "|"
        else:
            text = " ".join(rng.choice(_SALAD) + rng.choice(_SALAD) for _ in range(rng.randint(30, 60)))
        records.append(("spam", text, _url(rng, rng.choice(_MIRRORS)), text, ""))
    base = list(records)
    for _ in range(want["exact_duplicate"]):
        _, text, _, expected, src_id = rng.choice(base)
        records.append(("exact_duplicate", text, _url(rng, rng.choice(_MIRRORS)), expected, src_id))
    rng.shuffle(records)

    lines = [
        json.dumps({"id": f"doc-{i:05d}", "text": text, "source_url": url}, ensure_ascii=False)
        for i, (_, text, url, _, _) in enumerate(records)
    ]
    bad = [
        '{"id": "bad-00000", "text": "这一行被截断了',
        json.dumps({"id": "bad-00001", "source_url": _url(rng, _PORTAL)}),
        json.dumps({"id": "bad-00002", "text": 20240101, "source_url": _url(rng, _PORTAL)}),
    ]
    for b in bad:
        lines.insert(rng.randint(0, len(lines)), b)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if truth_path is not None:
        truth = [
            json.dumps({"id": f"doc-{i:05d}", "kind": kind, "source_id": sid, "expected": exp}, ensure_ascii=False)
            for i, (kind, _, _, exp, sid) in enumerate(records)
        ]
        Path(truth_path).write_text("\n".join(truth) + "\n", encoding="utf-8")
    counts = Counter(r[0] for r in records)
    return {**dict(sorted(counts.items())), "bad_record": len(bad), "records": len(records), "lines": len(lines)}
