"""Injected pinyin annotations: find them, and strip the ones a spam injector put there.

Spam mirrors run a byte-level scanner over the page that writes ``(pīnyīn)`` straight after every character of a
per-page table (``中國(guó)``; see the forensics note on the taiwan.cn mirrors).  The same ``字(pīn)`` shape is
also a legitimate gloss (``行(háng)业``, a place-name page explaining ``铅(yán)山``), so an annotation is stripped
only when all of these hold:

* the character before ``(`` is Han, and the content is ONE pinyin syllable (tone marks, a tone number or toneless,
  one trailing space allowed: ``會(huì )``) that is a reading of that character;
* the pattern fits injection: the character is Traditional-only and annotated with its context-free primary reading
  (the injector always writes that one), or the *document* shows the injector's signature (see
  :func:`detect_pinyin_injection`), in which case every reading-matching annotation goes.

Glosses in Simplified teaching text, poems and dictionary lines are not touched: their characters are not
Traditional-only, and a page that glosses a handful of characters does not reach the document thresholds.

Examples:
    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> strip_pinyin_annotations("中國(guó)經(jīng)濟發(fā)展", lexicon=lex)
    '中國經濟發展'
    >>> strip_pinyin_annotations("银行(háng)业的行(xíng)为", lexicon=lex)
    '银行(háng)业的行(xíng)为'
    >>> strip_pinyin_annotations("國內生產總值(GDP)", lexicon=lex)
    '國內生產總值(GDP)'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, itemgetter
from typing import NamedTuple

from zhclean.text.edits import Explained, apply_spans, rewrite_spans
from zhclean.text.lexicon import Lexicon, strip_pinyin_tone

# One syllable: pinyin letters (tone-marked vowels, ü, v), at most 6 letters ("zhuang"), an optional tone number.
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYLLABLE = rf"[{_PINYIN_LETTERS}]{{1,6}}[0-5]?"
_ANNOTATION_RE = re.compile(rf"\(({_SYLLABLE})( ?)\)")
# A burst's leftover: '?' that ate [trail, '('] followed by the rest of the annotation, "?lián)".
_ORPHAN_TAIL_RE = re.compile(rf"\?({_SYLLABLE})\)")
# A document cut off inside an annotation: "認(r" at the very end.
_TRUNCATED_TAIL_RE = re.compile(rf"\(([{_PINYIN_LETTERS}]{{1,6}})$")
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Symbols (dingbats, emoji) an injector variant sprinkles between a character and its annotation: "就☂(jiu)".
_MAX_SYMBOLS_BETWEEN = 2

# Document thresholds for "the injector was here".  Calibrated on shared/realdata (2026-11): every pinyin-injected
# Traditional page in damaged.jsonl (47) has >= 6 reading-matching annotations on Traditional-only characters, and
# >= 97 % of its reading-matching annotations are on Traditional-only characters (the injector's table holds only
# T≠S characters; the exception is 著, written alike in both scripts); the legitimate-pinyin pages of clean.jsonl have
# none on a Traditional-only character (the 六安 place-name page glosses 7 Simplified characters).  2 and 60 % leave
# a margin on both sides; 2 rather than 3 because the simulator's low-coverage pages (tables of ~5 % of the ranking)
# carry only 2 annotations, and with 3 the gate judged 2 of 2,000 such machine conversions genuine.
DOC_MIN_TRADITIONAL_ANNOTATIONS = 2
DOC_MIN_TRADITIONAL_SHARE = 0.6
# The toneless variant on Simplified text (damaged rc-080) repeats an annotation once per later occurrence of the
# word, "国(guo)(guo)"; no gloss ever repeats itself.  Two such chains mark the document.
DOC_MIN_REPEATED_CHAINS = 2
# The same variant writes toneless syllables on many characters: >= 10 toneless non-neutral annotations covering
# >= 10 % of the Han characters (rc-080: 129 on 344).  Glossing pages write tone marks.
DOC_MIN_TONELESS_ANNOTATIONS = 10
DOC_MIN_TONELESS_DENSITY = 0.10
# The injector annotates a table character at every occurrence; a gloss (a dictionary line, a teaching page, a
# place-name explanation) annotates a character once and then writes it bare.  Consistency = annotated occurrences /
# all occurrences of the annotated characters: >= 0.83 on every injected page of realdata (burst-garbled occurrences
# and truncation account for the rest), 0.4 on the 六安 place-name page.
DOC_MIN_CONSISTENCY = 0.7


class PinyinAnnotation(NamedTuple):
    """One ``(syllable)`` after a Han character (a named tuple: a page makes hundreds, and a tuple is built ~4× faster
    than a frozen dataclass).

    Attributes:
        host: the annotated character.
        host_index: its position in the text.
        start: start of the ``(`` … ``)`` span (the part a strip removes).
        end: end of that span (exclusive).
        syllable: the syllable as written (trailing space removed).
        is_reading: the syllable is a reading of ``host`` (any heteronym; tone marks, number or toneless).
        is_primary: the syllable is ``host``'s context-free primary reading (tone-marked or with its tone number).
        host_traditional_only: ``host`` is a character only Traditional text uses.
        repeats: the annotation directly repeats the previous one on the same host, ``国(guo)(guo)``.
        toneless: the syllable carries no tone mark and no tone number.
    """

    host: str
    host_index: int
    start: int
    end: int
    syllable: str
    is_reading: bool
    is_primary: bool
    host_traditional_only: bool
    repeats: bool
    toneless: bool


@dataclass(frozen=True, slots=True)
class PinyinVerdict:
    """Whether a document carries injected pinyin.

    Attributes:
        injected: the document shows the injector's signature (the thresholds above).
        score: in [0, 1], higher = more injector-like (share of Han characters carrying a reading annotation on a
            Traditional-only character or in a repeated chain, scaled so that 5 % saturates).
        n_traditional: reading-matching annotations on Traditional-only characters.
        n_reading: all reading-matching annotations.
        n_repeated: repeated annotations (``国(guo)(guo)`` counts one).
        n_toneless: toneless reading-matching annotations on characters that have a toned reading.
        consistency: annotated occurrences / all occurrences of the characters that carry a reading annotation.
        annotations: every annotation found.
    """

    injected: bool
    score: float
    n_traditional: int
    n_reading: int
    n_repeated: int
    n_toneless: int
    consistency: float
    annotations: tuple[PinyinAnnotation, ...]


def _is_han(ch: str) -> bool:
    c = ord(ch)
    return 0x3400 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x3134F


def _is_symbol(ch: str) -> bool:
    c = ord(ch)
    return 0x2600 <= c <= 0x27BF or 0x2B00 <= c <= 0x2BFF or 0x1F300 <= c <= 0x1FAFF


def _numbered(reading: str) -> str:
    """``zhōng`` → ``zhong1``; a toneless reading gets 5 (neutral)."""
    plain = strip_pinyin_tone(reading)
    for ch in reading:
        for tone, group in enumerate(("āēīōūǖ", "áéíóúǘńḿ", "ǎěǐǒǔǚň", "àèìòùǜǹ"), start=1):
            if ch in group:
                return f"{plain}{tone}"
    return f"{plain}5"


def _match_reading(host: str, syllable: str, lexicon: Lexicon) -> tuple[bool, bool]:
    """(is a reading of host, is host's primary reading)."""
    primary = lexicon.primary_reading(host)
    # what the injectors write: the primary reading, toned or toneless.  It is one of the readings (the table's
    # first, with its toneless spelling), so the reading set, the costlier lookup on a character not met before (a
    # fresh lexicon meets a hundred on the real pages), is not needed
    if syllable == primary:
        return True, True
    if syllable == strip_pinyin_tone(primary):
        return True, False
    readings = lexicon.readings(host)
    if not readings:
        return False, False
    if syllable[-1].isdigit():
        numbered = {_numbered(r) for r in readings if r != strip_pinyin_tone(r)}
        numbered |= {f"{r}5" for r in readings if r == strip_pinyin_tone(r)}
        # a neutral tone is also written with 0, and a toneless reading may be written "men5"
        key = syllable[:-1] + ("5" if syllable[-1] == "0" else syllable[-1])
        return key in numbered, bool(primary) and key == _numbered(primary)
    if syllable in readings:
        return True, syllable == primary
    plain = strip_pinyin_tone(syllable)
    if plain == syllable and plain in {strip_pinyin_tone(r) for r in readings}:
        return True, False
    return False, False


_MEMO_MAX = 100_000


def _new_memo(_: Lexicon) -> dict:
    """A per-lexicon memo (host, syllable) → annotation tail; it only ever gains entries that :func:`_tail` gives."""
    return {}


def _tail(host: str, syllable: str, lexicon: Lexicon) -> tuple[bool, bool, bool, bool, bool] | bool:
    """The last five fields of an annotation of ``host`` with ``syllable`` as a non-repeating one (is_reading,
    is_primary, host_traditional_only, repeats=False, toneless), or False when the content is not a pinyin syllable.

    Kept in the order of :class:`PinyinAnnotation`: :func:`_find_hosted` zips the tails' columns after the host,
    position and syllable columns."""
    if not lexicon.is_pinyin_syllable(syllable.rstrip("012345")):
        return False
    is_reading, is_primary = _match_reading(host, syllable, lexicon)
    toneless = syllable == strip_pinyin_tone(syllable) and not syllable[-1].isdigit()
    return is_reading, is_primary, lexicon.is_traditional_only(host), False, toneless


def _memo_tail(memo: dict, host: str, syllable: str, lexicon: Lexicon) -> tuple[bool, bool, bool, bool, bool] | bool:
    key = (host, syllable)
    got = memo.get(key)
    if got is None:
        if len(memo) >= _MEMO_MAX:
            memo.clear()  # bounded: arbitrary text can make arbitrary (host, letters) pairs
        got = memo[key] = _tail(host, syllable, lexicon)
    return got


_new_annotation = PinyinAnnotation._make
# tuple.__new__ is what PinyinAnnotation._make calls; mapped directly, the common path builds annotations without a
# Python frame per annotation.
_tuple_new = tuple.__new__


def find_pinyin_annotations(text: str, *, lexicon: Lexicon) -> tuple[PinyinAnnotation, ...]:
    """Every ``(syllable)`` written after a Han character (possibly after up to two symbols or a previous annotation).

    Nothing is judged here beyond the reading check; :func:`detect_pinyin_injection` and the strippers decide.

    >>> from zhclean.text.lexicon import Lexicon
    >>> found = find_pinyin_annotations("國(guó)的(GDP)行(háng)", lexicon=Lexicon.load())
    >>> [(a.host, a.syllable, a.is_reading) for a in found]
    [('國', 'guó', True), ('行', 'háng', True)]
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first")
    if "(" not in text:
        return ()
    memo: dict[tuple[str, str], tuple[bool, bool, bool, bool, bool] | bool] = lexicon.derived("pinyin.tails", _new_memo)
    found = _find_hosted(text, memo, lexicon)
    return found if found is not None else _find_any(text, memo, lexicon)


# _ANNOTATION_RE with the character before "(" as group 1, so that a match's groups are the memo key (host,
# syllable).  It still starts with a literal "(", which the regex engine jumps to; it misses only an annotation at the
# very start, which has no host.
_HOSTED_ANNOTATION_RE = re.compile(rf"\((?<=(.)\()({_SYLLABLE}) ?\)", re.DOTALL)
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def _find_hosted(text: str, memo: dict, lexicon: Lexicon) -> tuple[PinyinAnnotation, ...] | None:
    """The annotations when none follows a symbol or directly another annotation (real pages: 2,765 of 2,807 follow
    their Han host), built by C-level maps over the matches; None otherwise (a chain ``国(guo)(guo)``, a ``就☂(jiu)``),
    for :func:`_find_any` to resolve.

    In :func:`_find_any` an annotation right after a Han character always takes it as host, whatever came before,
    and one after any other character (or at the start) is rejected; rejecting it only matters to an annotation
    chained right after it, which sends the text to :func:`_find_any` anyway.  So here those are simply dropped."""
    matches = list(_HOSTED_ANNOTATION_RE.finditer(text))
    if not matches:
        return ()
    pairs = list(map(re.Match.groups, matches))
    starts = list(map(re.Match.start, matches))
    ends = list(map(re.Match.end, matches))
    hosts = list(map(_FIRST, pairs))
    distinct = set(hosts)
    hans = set()
    for host in distinct:  # a page has few distinct hosts
        if "\u3400" <= host <= "\u9fff" or _is_han(host):
            hans.add(host)
        elif _is_symbol(host) or (host == ")" and True in map(eq, starts[1:], ends)):  # a chain: no gap to the last
            return None
    if len(hans) < len(distinct):
        keep = list(map(hans.__contains__, hosts))
        pairs, starts, ends, hosts = (list(compress(column, keep)) for column in (pairs, starts, ends, hosts))
    tails = list(map(memo.get, pairs))
    if None in tails:
        tails = [
            t if t is not None else _memo_tail(memo, h, s, lexicon) for t, (h, s) in zip(tails, pairs, strict=True)
        ]
    if False in tails:  # content that is not a pinyin syllable, "的(ab)"
        keep = list(map(bool, tails))
        pairs, starts, ends, hosts, tails = (
            list(compress(column, keep)) for column in (pairs, starts, ends, hosts, tails)
        )
    if not tails:
        return ()
    # one zip over all ten columns: each row tuple is copied into its annotation and reused by zip, so an annotation
    # costs one allocation
    host_indexes = map((-1).__add__, starts)
    rows = zip(hosts, host_indexes, starts, ends, map(_SECOND, pairs), *zip(*tails, strict=True), strict=True)
    return tuple(map(_tuple_new, repeat(PinyinAnnotation), rows))


def _find_any(text: str, memo: dict, lexicon: Lexicon) -> tuple[PinyinAnnotation, ...]:
    """The general scan: symbols between host and annotation, chains (:func:`find_pinyin_annotations`)."""
    out: list[PinyinAnnotation] = []
    prev: PinyinAnnotation | None = None
    for m in _ANNOTATION_RE.finditer(text):
        start, end = m.span()
        syllable = m.group(1)
        j = k = start - 1
        # symbols sit in U+2600–U+2BFF and from U+1F300: Han characters and letters fail the range test, no call made
        while (
            k >= 0
            and j - k < _MAX_SYMBOLS_BETWEEN
            and ("\u2600" <= text[k] <= "\u2bff" or text[k] >= "\U0001f300")
            and _is_symbol(text[k])
        ):
            k -= 1
        if prev is not None and k == prev.end - 1:
            host_index, repeats = prev.host_index, syllable == prev.syllable
        elif k < 0 or not ("\u3400" <= text[k] <= "\u9fff" or _is_han(text[k])):  # the common case without a call
            prev = None
            continue
        else:
            host_index, repeats = k, False
        host = text[host_index]
        tail = _memo_tail(memo, host, syllable, lexicon)
        if not tail:
            prev = None
            continue
        is_reading, is_primary, trad_only, _, toneless = tail
        prev = _new_annotation(
            (host, host_index, start, end, syllable, is_reading, is_primary, trad_only, repeats, toneless)
        )
        out.append(prev)
    return tuple(out)


def detect_pinyin_injection(text: str, *, lexicon: Lexicon) -> PinyinVerdict:
    """Judge the whole document: was a pinyin injector run over it?

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> detect_pinyin_injection("發(fā)展經(jīng)濟,關(guān)係,網(wǎng)絡", lexicon=lex).injected
    True
    >>> detect_pinyin_injection("铅(yán)山、蚌(bèng)埠、乐(lào)亭", lexicon=lex).injected
    False
    """
    anns = find_pinyin_annotations(text, lexicon=lexicon)
    if not anns:
        return PinyinVerdict(False, 0.0, 0, 0, 0, 0, 0.0, ())
    # one pass (measured faster on real pages than Counter over key tuples or one C-level map per count); the
    # toneless check looks at the lexicon once per distinct (host, syllable)
    n_reading = n_trad = n_rep = 0
    annotated: dict[str, int] = {}  # host → non-repeated reading annotations, for the consistency
    toneless: dict[tuple[str, str], int] = {}
    for a in anns:
        if not a.is_reading:
            continue
        n_reading += 1
        if a.host_traditional_only:
            n_trad += 1
        if a.repeats:
            n_rep += 1
        else:
            annotated[a.host] = annotated.get(a.host, 0) + 1
        if a.toneless:
            key = (a.host, a.syllable)
            toneless[key] = toneless.get(key, 0) + 1
    n_toneless = 0
    for (host, syllable), n in toneless.items():
        primary = lexicon.primary_reading(host)
        # a toned primary reading is a toned reading: the reading set is looked up only when it is not
        if primary != syllable and (
            primary != strip_pinyin_tone(primary) or any(r != strip_pinyin_tone(r) for r in lexicon.readings(host))
        ):
            n_toneless += n
    # consistency: annotated occurrences / all occurrences of the characters that carry a non-repeated reading
    occurrences = sum(map(text.count, annotated))
    consistency = sum(annotated.values()) / occurrences if occurrences else 0.0
    n_han = 0  # Han characters, counted only when a figure depends on them (a pass over the text)
    dense_toneless = False
    if n_toneless >= DOC_MIN_TONELESS_ANNOTATIONS:
        n_han = _count_han(text) or 1
        dense_toneless = n_toneless / n_han >= DOC_MIN_TONELESS_DENSITY
    injected = consistency >= DOC_MIN_CONSISTENCY and (
        (n_trad >= DOC_MIN_TRADITIONAL_ANNOTATIONS and n_trad >= DOC_MIN_TRADITIONAL_SHARE * n_reading)
        or n_rep >= DOC_MIN_REPEATED_CHAINS
        or dense_toneless
    )
    evidence = n_trad + n_rep + (n_toneless if injected else 0)
    score = 0.0  # what evidence / (0.05 * n_han) gives for no evidence
    if evidence:
        score = min(1.0, evidence / (0.05 * (n_han or _count_han(text) or 1)))
    return PinyinVerdict(injected, round(score, 4), n_trad, n_reading, n_rep, n_toneless, round(consistency, 4), anns)


# _HAN_RE counted in C on the UTF-16 encoding: a text of BMP characters (and lone surrogates, passed through) is two
# bytes per character, the first byte the high half of the code point, and U+3400–U+9FFF, U+F900–U+FAFF are exactly
# the high bytes 34–9F, F9–FA.  A text with supplementary characters (emoji, Extension B) takes the regex.
_HAN_HIGH_BYTES = bytes(range(0x34, 0xA0)) + b"\xf9\xfa"


def _count_han(text: str) -> int:
    """``len(_HAN_RE.findall(text))``, about 6× faster on Chinese pages."""
    data = text.encode("utf-16-be", "surrogatepass")
    if len(data) != 2 * len(text):
        return sum(map(len, _HAN_RUN_RE.findall(text)))
    high = data[0::2]
    return len(high) - len(high.translate(None, _HAN_HIGH_BYTES))


def strip_pinyin_annotations_explained(
    text: str,
    *,
    lexicon: Lexicon,
    strip_orphan_tails: bool = True,
    verdict: PinyinVerdict | None = None,
) -> Explained:
    """Remove injected ``(pīnyīn)`` annotations (rule ``pinyin.paren_annotation``) and burst leftovers.

    Args:
        text: any string.
        lexicon: the readings and script tables.
        strip_orphan_tails: also remove the ``lián)`` of a ``?lián)`` that a mojibake burst left behind (rule
            ``pinyin.orphan_tail``; the ``?`` stays, it marks the lost bytes) and an annotation cut off by the end of
            the text (``認(r``).  Only in documents judged injected.
        verdict: a precomputed :func:`detect_pinyin_injection` verdict for ``text``.

    Returns:
        The text without the injected annotations, and one edit per removed annotation.

    >>> from zhclean.text.lexicon import Lexicon
    >>> lex = Lexicon.load()
    >>> e = strip_pinyin_annotations_explained("發(fā)展", lexicon=lex)
    >>> e.text, e.edits[0].rule, e.edits[0].before
    ('發展', 'pinyin.paren_annotation', '(fā)')
    >>> strip_pinyin_annotations("發(fā)展,報(bào)道,會(huì )議,各?lián)", lexicon=lex)
    '發展,報道,會議,各?'
    """
    removed, tails = _strip_plan(text, lexicon, strip_orphan_tails, verdict)
    return rewrite_spans(text, _annotation_spans(text, removed) + tails)


def _annotation_spans(text: str, removed: Iterable[PinyinAnnotation]) -> list[tuple[int, int, str, str, str]]:
    return [(a.start, a.end, text[a.start : a.end], "", "pinyin.paren_annotation") for a in removed]


_IS_READING = itemgetter(5)


def _strip_plan(
    text: str, lexicon: Lexicon, strip_orphan_tails: bool, verdict: PinyinVerdict | None
) -> tuple[Iterable[PinyinAnnotation], list[tuple[int, int, str, str, str]]]:
    """What :func:`strip_pinyin_annotations_explained` removes: the annotations (in text order, never overlapping;
    an iterator when that saves a pass) and the burst leftovers as ``rewrite_spans`` tuples."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}; decode bytes first")
    if "(" not in text and ")" not in text:
        return (), []
    v = verdict if verdict is not None else detect_pinyin_injection(text, lexicon=lexicon)
    removed: Iterable[PinyinAnnotation]
    if v.injected:
        removed = filter(_IS_READING, v.annotations)
    else:
        chosen: list[PinyinAnnotation] = []
        per_host: Counter[str] | None = None
        for a in v.annotations:
            if a.is_reading and a.host_traditional_only and a.is_primary and not a.toneless:
                if per_host is None:
                    per_host = Counter(a.host for a in v.annotations if not a.repeats)
                # every occurrence annotated: the injector's way; a gloss annotates a character once
                if per_host[a.host] >= text.count(a.host):
                    chosen.append(a)
        removed = chosen
    tails: list[tuple[int, int, str, str, str]] = []
    if v.injected and strip_orphan_tails:
        for m in _ORPHAN_TAIL_RE.finditer(text):
            if m.start() > 0 and text[m.start() - 1] == "(":
                continue
            syllable = m.group(1)
            if lexicon.is_pinyin_syllable(syllable.rstrip("012345")):
                tails.append((m.start() + 1, m.end(), text[m.start() + 1 : m.end()], "", "pinyin.orphan_tail"))
        # the match ends the text (or precedes a final newline): "(" and at most 6 letters sit in the last 8
        # characters, so the search starts there instead of trying every "(" of the page
        t = _TRUNCATED_TAIL_RE.search(text, max(0, len(text) - 8))
        if t is not None and t.start() > 0:
            host = text[t.start() - 1]
            part = t.group(1)
            if lexicon.is_traditional_only(host) and any(r.startswith(part) for r in lexicon.readings(host)):
                tails.append((t.start(), t.end(), t.group(0), "", "pinyin.orphan_tail"))
    return removed, tails


def strip_pinyin_annotations(
    text: str, *, lexicon: Lexicon, strip_orphan_tails: bool = True, verdict: PinyinVerdict | None = None
) -> str:
    """Plain twin of :func:`strip_pinyin_annotations_explained` (the same text, no edits built)."""
    removed, tails = _strip_plan(text, lexicon, strip_orphan_tails, verdict)
    if tails:
        return apply_spans(text, _annotation_spans(text, removed) + tails)
    # in order and disjoint, so apply_spans would splice every one: keep the text between them (a plain loop measured
    # faster than slicing through map(slice, ...) on real pages)
    out: list[str] = []
    pos = 0
    for a in removed:
        out.append(text[pos : a.start])
        pos = a.end
    if not pos:
        return text
    out.append(text[pos:])
    return "".join(out)
