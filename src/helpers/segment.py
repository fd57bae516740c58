"""Split a normalised report into its mandated **parts** and, within parts, into **items**.

Parts (:data:`PARTS`) follow the 2019 督察工作规定's list of contents, plus the report's front matter and
sign-off. Real reports reorder, nest and rename them, so a part is recognised by what its heading *says*
(:data:`PART_PATTERNS`), never by where it stands and never by body text:

* headings are lines that open with a section marker — ``一、`` (rank 1), ``（一）`` (2), ``1.``/``1、`` (3),
  ``（1）`` (4) — or short unnumbered lines that name a part (``存在的问题和不足``);
* the top rank that names parts gives the report's part headings; a top-rank heading that names no part is a
  topical heading of the year's work (``measures``);
* one rank deeper, a heading that clearly names another part (``（二）党政主要负责人履行…第一责任人职责``) opens a
  nested part; other sub-headings stay in their part (``（二）不足产生的原因`` stays in ``shortcomings``);
* ``preamble`` is everything before the first part heading, ``signoff`` the trailing issuer/date lines.

Parts partition the text: every character belongs to exactly one part, and parts concatenate back to the
text. A report where no part heading is found becomes one ``other`` part, with a :class:`SegmentationWarning`
naming the file.

Items are the numbered or titled units inside a part: ``一、`` / ``（一）`` / ``1.`` / ``1、`` / ``（1）`` /
``一是…二是…`` (also several inline in one paragraph) and paragraphs that open with a short title sentence
(``深化思想引领，夯实理论根基。…``). Numbers in the body (``1、2号楼``, ``2024年``) are not items.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from helpers.errors import SegmentationWarning

#: Part labels, in the order the 2019 regulation lists the contents (plus front matter and sign-off).
PARTS = ("preamble", "measures", "shortcomings", "leadership", "plans", "other", "signoff")
#: The five mandated contents, in mandated order.
MANDATED_ORDER = ("measures", "shortcomings", "leadership", "plans", "other")
PART_LABELS_ZH = {
    "preamble": "前言",
    "measures": "举措和成效",
    "shortcomings": "不足和原因",
    "leadership": "第一责任人履职",
    "plans": "下一年度安排",
    "other": "其他",
    "signoff": "落款",
}

#: What a heading says when it names a part; tried in this order (the first match wins), because a
#: leadership heading ends in ``…有关情况`` and a shortcomings heading reads ``推进…存在的不足``.
PART_PATTERNS: dict[str, re.Pattern[str]] = {
    "leadership": re.compile(r"第一责任人|主要负责人(履行|履职)|党政主要负责(人|同志)"),
    "shortcomings": re.compile(
        r"^(存在的?|主要)?(不足|问题|短板|差距)|存在的?(主要)?(不足|问题|短板|差距|薄弱)"
        r"|不足(之处|和|与|及|产生|的原因)|问题(和|与|及)(不足|原因|短板)|短板(和|与|及)不足|原因分析|原因$"
    ),
    "plans": re.compile(r"下一(年度|年|步|阶段)|明年|来年|今后|安排|计划|打算|思路|展望|努力方向"),
    "other": re.compile(r"^其[他它]|其[他它]需要报告"),
    "measures": re.compile(
        r"举措|成效|做法|(开展|完成|推进|落实|工作|有关|建设)情况|主要工作|工作开展"
    ),
}
#: A nested heading switches part only on these unambiguous phrases (a ``（一）制定学法计划`` under
#: ``measures`` is a measure, not a plan).
NESTED_PATTERNS: dict[str, re.Pattern[str]] = {
    "leadership": PART_PATTERNS["leadership"],
    "shortcomings": PART_PATTERNS["shortcomings"],
    "plans": re.compile(r"下一(年度|年|步|阶段)|明年|来年|今后"),
    "other": PART_PATTERNS["other"],
}
#: An unnumbered line is a part heading only when it is short and says one of these.
UNNUMBERED_PATTERNS: dict[str, re.Pattern[str]] = {
    **NESTED_PATTERNS,
    "measures": re.compile(r"(主要)?举措(和|及|与)成效|主要(工作|做法|成效)|工作(开展|完成|推进)情况"),
}

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate(_CN, start=1)}
#: Section markers at the start of a line, by rank.
_MARKERS = (
    (1, re.compile(rf"[{_CN}]{{1,3}}、")),
    (2, re.compile(rf"（[{_CN}]{{1,3}}）")),
    (3, re.compile(r"\d{1,2}(?:、|\.(?!\d))(?!\d)")),
    (4, re.compile(r"（\d{1,2}）")),
    (5, re.compile(rf"[{_CN}]{{1,3}}是")),
)
_SHI_RANK = 5
_INLINE_SHI = re.compile(rf"(?<=[。；])([{_CN}]{{1,3}})是")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ISSUER_LINE = re.compile(r"(委员会|工委|党委|政府|办事处|街道|乡|镇|局|委|办|厅|院|所|中心|管委会)$")
_SENTENCE_END = re.compile(r"[。；！？：]")
_MAX_HEADING_LINE = 45
_MAX_TITLE_SENTENCE = 30


def chinese_number(numeral: str) -> int | None:
    """Value of a small numeral: ``一``→1, ``十二``→12, ``二十``→20, ``7``→7; ``None`` if it is not one."""
    if numeral.isdigit():
        return int(numeral)
    if not numeral or any(c not in _CN_VALUE for c in numeral):
        return None
    if "十" not in numeral:
        return _CN_VALUE[numeral] if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    value = (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[units] if units else 0)
    return value if len(tens) <= 1 and len(units) <= 1 else None


@dataclass(frozen=True)
class Part:
    """One contiguous part of a report (a label may occur in several parts, e.g. measures split in two)."""

    part: str
    seq: int
    heading: str
    heading_rank: int | None
    nested: bool
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    """A numbered or titled unit inside a part; ``kind`` is ``lead`` for unnumbered text before the first one."""

    part: str
    part_seq: int
    item_seq: int
    kind: str
    level: int
    parent_seq: int | None
    marker: str
    number: int | None
    heading: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Segmentation:
    """The parts and items of one report; spans are offsets into the normalised text."""

    text: str
    parts: tuple[Part, ...]
    items: tuple[Item, ...]


def _lines(text: str, start: int = 0, end: int | None = None) -> list[_Line]:
    end = len(text) if end is None else end
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        if stop > pos:
            out.append(_Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return out


def _marker(line: str) -> tuple[int, str, int | None] | None:
    """``(rank, marker, number)`` when the line opens with a section marker."""
    for rank, pattern in _MARKERS:
        m = pattern.match(line)
        if m:
            digits = re.sub(r"[（）、.是]", "", m.group())
            return rank, m.group(), chinese_number(digits)
    return None


def _title(body: str) -> str:
    """The title a unit opens with: the whole body when it is a short heading line, else a short first sentence."""
    body = body.strip()
    m = _SENTENCE_END.search(body)
    if m is None:
        return body if len(body) <= _MAX_HEADING_LINE else ""
    first = body[: m.start()]
    rest = body[m.end() :].strip()
    if not rest and len(first) <= _MAX_HEADING_LINE:
        return first
    return first if len(first) <= _MAX_TITLE_SENTENCE else ""


def _heading_text(line: str) -> str:
    """What a heading line says, without its marker: the part of it a classifier may read."""
    found = _marker(line)
    body = line[len(found[1]) :] if found else line
    m = _SENTENCE_END.search(body)
    return body[: m.start()] if m else body


def classify_heading(heading: str, patterns: dict[str, re.Pattern[str]] = PART_PATTERNS) -> str | None:
    """Name the part a heading announces, or ``None`` when it names none.

    Example:
        >>> classify_heading("三、存在不足和原因")
        'shortcomings'
        >>> classify_heading("二、党政主要负责人推进法治建设第一责任人职责")
        'leadership'
    """
    said = _heading_text(heading)
    for part, pattern in patterns.items():
        if pattern.search(said):
            return part
    return None


def _is_heading_line(line: str) -> bool:
    """A line that can be a section heading: short, or a marker plus a short title sentence."""
    return len(line) <= _MAX_HEADING_LINE or bool(_title(line))


def _signoff_start(lines: list[_Line]) -> int | None:
    """Start offset of the trailing issuer/date block, if the report ends with one."""
    block: list[_Line] = []
    for line in reversed(lines):
        t = line.text
        if len(t) > 40 or re.search(r"[。；！？，]", t) or _marker(t):
            break
        block.append(line)
    if not block:
        return None
    if any(_DATE_LINE.match(b.text) for b in block) or any(_ISSUER_LINE.search(b.text) for b in block):
        return block[-1].start
    return None


def _find_part_headings(lines: list[_Line], limit: int) -> list[tuple[_Line, str, int | None, bool]]:
    """``(line, part, rank, nested)`` for every line that opens a part, before offset ``limit``.

    Top-rank headings open parts (a topical one opens ``measures``). One rank deeper, a heading that names
    another part opens a nested part; the next sibling that names none returns to the enclosing part.
    """
    candidates = []
    for line in lines:
        if line.start >= limit:
            break
        found = _marker(line.text)
        rank = found[0] if found else None
        if rank is not None and rank >= _SHI_RANK:
            continue
        if rank is None:
            if len(line.text) <= 30 and not re.search(r"[。；，：！？]", line.text):
                part = classify_heading(line.text, UNNUMBERED_PATTERNS)
                if part:
                    candidates.append((line, part, None))
            continue
        if _is_heading_line(line.text):
            candidates.append((line, classify_heading(line.text), rank))
    named_ranks = [rank for _, part, rank in candidates if part and rank is not None]
    top = min(named_ranks) if named_ranks else (1 if any(r == 1 for _, _, r in candidates) else None)
    out: list[tuple[_Line, str, int | None, bool]] = []
    enclosing: str | None = None  # the part of the current top-rank section
    current: str | None = None  # the part text is in now
    for line, part, rank in candidates:
        if rank is None or rank == top:
            part = part or "measures"
            enclosing = current = part
            out.append((line, part, rank, False))
        elif top is not None and rank == top + 1 and enclosing is not None:
            nested = classify_heading(line.text, NESTED_PATTERNS)
            if nested and nested != enclosing and nested != current:
                current = nested
                out.append((line, nested, rank, True))
            elif not nested and current != enclosing:
                current = enclosing
                out.append((line, enclosing, rank, True))
    return out


def segment_parts(text: str, name: str = "<text>") -> tuple[Part, ...]:
    """Split a normalised text into contiguous parts that cover it exactly.

    Args:
        text: a normalised report (see :func:`helpers.normalise.normalise`).
        name: the report's file name, for the warning when no part heading is found.

    Returns:
        Parts in text order; ``parts[0].start == 0``, ``parts[-1].end == len(text)``, no gaps.
    """
    if not text:
        return ()
    lines = _lines(text)
    signoff = _signoff_start(lines)
    limit = signoff if signoff is not None else len(text)
    headings = _find_part_headings(lines, limit)
    if not headings:
        warnings.warn(
            f"{name}: no part heading found (looked for 举措/成效, 不足/问题, 第一责任人, 下一年度/安排, 其他); "
            "the whole report is kept as one 'other' part",
            SegmentationWarning,
            stacklevel=2,
        )
        return (Part("other", 0, "", None, False, 0, len(text)),)
    bounds: list[tuple[int, str, str, int | None, bool]] = []
    if headings[0][0].start > 0:
        bounds.append((0, "preamble", "", None, False))
    for line, part, rank, nested in headings:
        bounds.append((line.start, part, line.text, rank, nested))
    if signoff is not None and signoff > bounds[-1][0]:
        bounds.append((signoff, "signoff", "", None, False))
    parts = []
    for seq, (start, part, heading, rank, nested) in enumerate(bounds):
        end = bounds[seq + 1][0] if seq + 1 < len(bounds) else len(text)
        parts.append(Part(part, seq, heading, rank, nested, start, end))
    return tuple(parts)


def _units(text: str, part: Part) -> list[tuple[int, str, str, int | None, str]]:
    """Unit starts inside a part's body: ``(start, kind_of_marker, marker, number, title)``.

    ``kind_of_marker`` names the marker family (``rank1``…``rank5`` for 一、/（一）/1./（1）/一是, ``titled``
    for a paragraph opening with a short title sentence).
    """
    body_start = part.start + len(part.heading)
    units = []
    for line in _lines(text, body_start, part.end):
        found = _marker(line.text)
        shi_expected = 1
        if found:
            rank, marker, number = found
            units.append((line.start, f"rank{rank}", marker, number, _title(line.text[len(marker) :])))
            if rank == _SHI_RANK and number:
                shi_expected = number + 1
        else:
            title = _title(line.text)
            rest = line.text[len(title) + 1 :]
            if title and rest.strip() and len(title) <= _MAX_TITLE_SENTENCE and not re.search(r"\d", title):
                units.append((line.start, "titled", "", None, title))
        for m in _INLINE_SHI.finditer(line.text):
            number = chinese_number(m.group(1))
            if number != shi_expected:
                continue
            shi_expected += 1
            units.append((line.start + m.start(), f"rank{_SHI_RANK}", m.group(), number, _title(line.text[m.end() :])))
    return units


def _item(part: Part, seq: int, kind: str, level: int, parent: int | None, marker: str, number: int | None,
          title: str, text: str, start: int, stop: int) -> Item:
    span = text[start:stop].strip("\n")
    start += len(text[start:stop]) - len(text[start:stop].lstrip("\n"))
    return Item(part.part, part.seq, seq, kind, level, parent, marker, number, title, span, start, start + len(span))


def segment_items(text: str, part: Part) -> list[Item]:
    """The items of one part (see the module docstring).

    Nesting is read as an outline: a marker family not yet open nests under the unit before it, a family
    already open closes what was opened after it (in ``二是…`` followed by ``1. … 2. …`` the numbered points
    belong to 二是; the next ``（二）`` closes them all). Unnumbered text before the first unit is a ``lead``
    (an introduction, not an item); a part with no numbered or titled unit has one ``paragraph`` item per
    paragraph. Spans exclude the line breaks at their ends. Preamble and sign-off have no items, only a lead.
    """
    body_start = part.start + len(part.heading)
    if part.part in ("preamble", "signoff"):
        lead = _item(part, 0, "lead", 0, None, "", None, "", text, body_start, part.end)
        return [lead] if lead.text else []
    units = _units(text, part)
    if not units:
        return [
            _item(part, seq, "paragraph", 1, None, "", None, "", text, line.start, line.end)
            for seq, line in enumerate(_lines(text, body_start, part.end))
        ]
    items: list[Item] = []
    lead = _item(part, 0, "lead", 0, None, "", None, "", text, body_start, units[0][0])
    if lead.text:
        items.append(lead)
    stack: list[tuple[str, int, int]] = []  # open units: (family, item_seq, level)
    for k, (start, family, marker, number, title) in enumerate(units):
        stop = units[k + 1][0] if k + 1 < len(units) else part.end
        if any(f == family for f, _, _ in stack):
            while stack[-1][0] != family:
                stack.pop()
            stack.pop()  # a sibling closes its predecessor
        parent = stack[-1][1] if stack else None
        level = stack[-1][2] + 1 if stack else 1
        kind = "titled" if family == "titled" else "numbered"
        seq = len(items)
        items.append(_item(part, seq, kind, level, parent, marker, number, title, text, start, stop))
        stack.append((family, seq, level))
    return items


def segment(text: str, name: str = "<text>") -> Segmentation:
    """Parts and items of a normalised report.

    Args:
        text: the normalised text.
        name: the file name used in warnings.

    Returns:
        A :class:`Segmentation`.
    """
    parts = segment_parts(text, name)
    items: list[Item] = []
    for part in parts:
        items.extend(segment_items(text, part))
    return Segmentation(text, parts, tuple(items))
