"""Split a normalised report into its mandated **parts** and, within parts, into **items**.

Parts (:data:`PARTS`) follow the 2019 督察工作规定's list of contents, plus the report's front matter and
sign-off. Real reports reorder, nest and rename them, so a part is recognised by what its heading *says*
(:data:`PART_PATTERNS`), never by where it stands and never by body text. What headings say is the genre's
business: the patterns come from a genre profile (:mod:`helpers.profiles`, ``data/profiles/*.yaml``; the 法治
report's by default), which may also let a part begin without a heading, at a cue sentence (a 政府工作报告's
admission of problems). For the 法治 report:

* headings are lines that open with a section marker — ``一、`` (rank 1), ``（一）`` (2), ``1.``/``1、`` (3),
  ``（1）`` (4) — or short unnumbered lines that name a part (``存在的问题和不足``);
* the top rank that names parts gives the report's part headings (if none does, the shallowest of ranks
  1–2: a body that starts at ``（一）强化组织领导``); a top-rank heading that names no part is a topical heading
  of the year's work (``measures``);
* one rank deeper, a heading that clearly names another part (``（二）党政主要负责人履行…第一责任人职责``) opens a
  nested part; other sub-headings stay in their part (``（二）不足产生的原因`` stays in ``shortcomings``);
* ``preamble`` is everything before the first part heading, ``signoff`` the trailing issuer/date lines.

Scraped text may have lost its line breaks (one line, or a few very long ones, with the headings inside).
A line too long to be one paragraph is read as virtual lines cut where a section marker follows a sentence
end and continues the outline's numbering, or where a heading's first point follows its title directly
(see :func:`_reading_lines`); such a heading ends at its first sentence end or space, else after a bounded
length, and ``Part.heading`` holds exactly its characters.

Parts partition the text: every character belongs to exactly one part, and parts concatenate back to the
text. A report where no part heading is found becomes one ``other`` part, with a :class:`SegmentationWarning`
naming the file.

Items are the numbered or titled units inside a part: ``一、`` / ``（一）`` / ``1.`` / ``1、`` / ``（1）`` /
``一是…二是…`` (also several inline in one paragraph) and paragraphs that open with a short title sentence
(``深化思想引领，夯实理论根基。…``). Numbers in the body (``1、2号楼``, ``2024年``) are not items.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from helpers.errors import SegmentationWarning
from helpers.numerals import MARKER_CHARS, MARKERS, chinese_number
from helpers.profiles import DEFAULT_GENRE, PARTS, Profile, profile_for  # noqa: F401  # PARTS: re-exported

#: The 法治政府建设 report's profile (``data/profiles/fazhi_report.yaml``): what a report is segmented by when
#: no other genre is given or detected.
DEFAULT_PROFILE = profile_for(DEFAULT_GENRE)
#: The five mandated contents, in mandated order.
MANDATED_ORDER = ("measures", "shortcomings", "leadership", "plans", "other")
#: What identifies an item in every table that has one row per item.
ITEM_KEYS = ("report_id", "part_seq", "item_seq")
PART_LABELS_ZH = {
    "preamble": "前言",
    "measures": "举措和成效",
    "shortcomings": "不足和原因",
    "leadership": "第一责任人履职",
    "plans": "下一年度安排",
    "other": "其他",
    "signoff": "落款",
}

#: What a top-rank heading says when it names a part, in the 法治 profile (tried in order, the first match
#: wins, because a leadership heading ends in ``…有关情况`` and a shortcomings heading reads ``推进…存在的不足``).
PART_PATTERNS: dict[str, re.Pattern[str]] = DEFAULT_PROFILE.parts
#: A nested heading switches part only on these unambiguous phrases (a ``（一）制定学法计划`` under
#: ``measures`` is a measure, not a plan).
NESTED_PATTERNS: dict[str, re.Pattern[str]] = DEFAULT_PROFILE.nested
#: An unnumbered line is a part heading only when it is short and says one of these.
UNNUMBERED_PATTERNS: dict[str, re.Pattern[str]] = DEFAULT_PROFILE.unnumbered

_CN = MARKER_CHARS
_SHI_RANK = 5
#: Every marker in one pattern, tried in rank order (a line opens with the first family that matches).
_ANY_MARKER = re.compile("|".join(f"(?P<r{rank}>{pattern.pattern})" for rank, pattern in MARKERS))
_MARKER_PUNCTUATION = str.maketrans("", "", "（）、.是")
_INLINE_SHI = re.compile(rf"(?<=[。；])([{_CN}]{{1,3}})是")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ISSUER_LINE = re.compile(r"(委员会|工委|党委|政府|办事处|街道|乡|镇|局|委|办|厅|院|所|中心|管委会)$")
_SENTENCE_END = re.compile(r"[。；！？：]")
_DIGIT = re.compile(r"\d")
_MAX_HEADING_LINE = 45
_MAX_TITLE_SENTENCE = 30
#: An unnumbered line is read as a part heading only when no longer than a title sentence (and unpunctuated).
_MAX_UNNUMBERED_HEADING = _MAX_TITLE_SENTENCE
#: A physical line longer than this (or than a third of a short report) is read as run-on text: a scraped
#: page whose line breaks were lost. No paragraph of the bundled reports comes near it (the longest is 447).
_RUN_ON_LINE = 500
#: What may stand before a section marker that opens a virtual line inside run-on text: a sentence end, a
#: closing quote or bracket, or a space (where a scraper turned a line break into one).
_BEFORE_INLINE_MARKER = re.compile(r"[。；！？：”’」』）》】 ]")
#: After these a bracketed numeral is a reference (``第三条（一）项``), not a heading.
_REFERENCE_AFTER = set("项款条")
#: ``一是`` after these is a word (``统一是``, ``第一是``), not the first point of a heading's body.
_NOT_BEFORE_SHI = set(_CN) | set("统唯第之同")
_INLINE_SIGNOFF_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
#: A sign-off line (issuer, date, furniture after them), or a sign-off run on at a body line's end, is no longer.
_MAX_SIGNOFF_LINE = 40


# Part, Item and _Line are made by the hundred thousand: plain slotted dataclasses, built 8× faster than frozen
# ones (whose __init__ goes through object.__setattr__ field by field). Nothing changes them once made.
@dataclass(slots=True)
class Part:
    """One contiguous part of a report (a label may occur in several parts, e.g. measures split in two)."""

    label: str  # measures, shortcomings, … (the ``part`` column of the tables)
    seq: int
    heading: str
    heading_rank: int | None
    nested: bool
    start: int
    end: int


@dataclass(slots=True)
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
    title: str  # without its marker (a part's heading is its whole line)
    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Line:
    """A line as the segmenter reads it: a physical line, or a stretch of a run-on line (``run_on``)."""

    start: int
    end: int
    text: str
    run_on: bool = False


@dataclass(frozen=True)
class Segmentation:
    """The parts and items of one report; spans are offsets into the normalised text."""

    text: str
    parts: tuple[Part, ...]
    items: tuple[Item, ...]

    def locate(self, offsets: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which part and which item hold each offset: the one place the study answers this.

        Parts tile the text and items never overlap (each ends where the next unit starts), so the part is the
        last one starting at or before the offset, and the item the last one starting at or before it if the
        offset lies inside it.

        Returns:
            ``(parts, items)``: for each offset the index into :attr:`parts`, and into :attr:`items` (``-1``: in
            no item — a heading, a line break).
        """
        at = np.asarray(offsets, dtype=np.int64)
        part_starts = np.fromiter((p.start for p in self.parts), dtype=np.int64, count=len(self.parts))
        parts = np.searchsorted(part_starts, at, side="right") - 1
        item_starts = np.fromiter((i.start for i in self.items), dtype=np.int64, count=len(self.items))
        item_ends = np.fromiter((i.end for i in self.items), dtype=np.int64, count=len(self.items))
        items = np.searchsorted(item_starts, at, side="right") - 1
        inside = (items >= 0) & (at < item_ends[np.maximum(items, 0)]) if len(self.items) else np.zeros(len(at), bool)
        return parts, np.where(inside, items, -1)


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
    m = _ANY_MARKER.match(line)
    if m is None:
        return None
    return _marker_value(m.lastgroup, m.group())


@functools.lru_cache(maxsize=4096)
def _marker_value(group: str, marker: str) -> tuple[int, str, int | None]:
    """A marker's rank (from its pattern group's name), text and number: one of a few hundred markers, cached."""
    return int(group[1:]), marker, chinese_number(marker.translate(_MARKER_PUNCTUATION))


def _section_marker_at(text: str, pos: int) -> tuple[int, str, int | None] | None:
    """``(rank, marker, number)`` of a rank 1–4 section marker (not ``一是``) starting at ``pos``."""
    for rank, pattern in MARKERS[: _SHI_RANK - 1]:
        m = pattern.match(text, pos)
        if m:
            return rank, m.group(), chinese_number(re.sub(r"[（）、.]", "", m.group()))
    return None


def _count(last: list[int], rank: int, number: int) -> None:
    """Record ``number`` as the latest marker of ``rank``; the numbering of deeper ranks starts again."""
    last[rank] = number
    for deeper in range(rank + 1, len(last)):
        last[deeper] = 0


def _is_run_on(line: _Line, text_chars: int) -> bool:
    """Too long to be one paragraph.

    Over :data:`_RUN_ON_LINE`, or (a short report scraped into one or two lines) longer than a heading and than a
    third of the report.
    """
    n = len(line.text)
    return n > _RUN_ON_LINE or (n > _MAX_HEADING_LINE and 3 * n > text_chars)


def _opens_inline(text: str, pos: int, found: tuple[int, str, int | None], last: list[int]) -> bool:
    """Whether a marker inside run-on text (already known to follow a sentence end) opens a section.

    Body text writes numerals after full stops too: ``一、二级``, ``一、二、三产业`` (the next numeral follows
    the marker: an enumeration, unlike the heading ``一、一年接着一年干``), ``（一）项`` (a reference). A
    section marker also continues the outline read so far: the next number of its rank (or the one after,
    so that one heading missed — glued to a paragraph that lacks its full stop — does not lose all that
    follow), or ``1`` at ranks 2–4, whose numbering starts again under each parent.
    """
    rank, marker, number = found
    after = pos + len(marker)
    if number is None or after >= len(text) or text[after] in "、 ":
        return False
    if text[after] in _CN and chinese_number(text[after]) == number + 1:
        return False
    if marker.startswith("（") and text[after] in _REFERENCE_AFTER:
        return False
    return last[rank] < number <= last[rank] + 2 or (rank > 1 and number == 1)


def _first_child(text: str, pos: int, rank: int) -> tuple[int, tuple[int, str, int | None] | None] | None:
    """Where the body of a heading at ``pos`` starts when its first point follows the title directly.

    Run-on text has no line end after a heading: ``一、主要措施和成效（一）加强组织领导。`` or
    ``三、存在不足和原因一是…``. Within a heading's length, before any sentence end, the first marker of a
    deeper rank numbered 1 (``（一）``, ``1.``, ``（1）``, ``一是``) starts its body. Returns the offset and
    the marker (``None`` for ``一是``).
    """
    found = _section_marker_at(text, pos)
    start = pos + (len(found[1]) if found else 0)
    for q in range(start, min(len(text), pos + _MAX_HEADING_LINE)):
        c = text[q]
        if _SENTENCE_END.match(c):
            return None
        if text.startswith("一是", q) and text[q - 1] not in _NOT_BEFORE_SHI:
            return q, None
        if c in "（1" and not text[q - 1].isdigit():
            child = _section_marker_at(text, q)
            if child and child[0] > rank and child[2] == 1:
                return q, child
    return None


def _split_run_on(line: _Line, last: list[int]) -> list[_Line]:
    """A run-on line cut into virtual lines, each opening with a section marker (but the first).

    A virtual line starts where a rank 1–4 marker follows a sentence end, a closing quote or bracket or a
    space and passes :func:`_opens_inline`, and where a heading's first point follows its title directly
    (:func:`_first_child`). ``last`` carries the outline numbering read so far and is updated.
    """
    text = line.text
    starts = [0]

    def opened(pos: int, found: tuple[int, str, int | None]) -> None:
        if pos > starts[-1]:
            starts.append(pos)
        if found[2]:
            _count(last, found[0], found[2])
        child = _first_child(text, pos, found[0])
        if child is not None:
            if child[1] is None:  # 一是: the body's first point
                starts.append(child[0])
            else:  # a sub-heading, whose own title may run into its first point
                opened(child[0], child[1])

    first = _section_marker_at(text, 0)
    if first:
        opened(0, first)
    for m in _BEFORE_INLINE_MARKER.finditer(text):
        pos = m.end()
        if pos <= starts[-1] or pos >= len(text):
            continue
        found = _section_marker_at(text, pos)
        if found and _opens_inline(text, pos, found, last):
            opened(pos, found)
    bounds = [*starts, len(text)]
    return [
        _Line(line.start + a, line.start + b, text[a:b], run_on=True)
        for a, b in zip(bounds, bounds[1:])
        if b > a
    ]


@functools.lru_cache(maxsize=16)
def _reading_lines(text: str) -> tuple[_Line, ...]:
    """The lines of a text as the segmenter reads them: physical lines, with run-on lines cut at headings.

    A scraped report may come as one line, or a few very long ones, with its headings inside
    (``…如下：一、主要措施和成效（一）加强组织领导。……二、存在的问题和不足……``). Only lines too long to be one
    paragraph (:func:`_is_run_on`) are cut, so that an ordinary paragraph that enumerates ``：一、…；二、…``
    stays one paragraph; inside them a marker opens a virtual line only after a sentence end and in the
    outline's numbering (:func:`_split_run_on`). Every virtual line is a span of the text, so parts and items
    still partition it.
    """
    last = [0] * _SHI_RANK  # the latest number read at ranks 1-4 (index 0 unused)
    out: list[_Line] = []
    for line in _lines(text):
        if _is_run_on(line, len(text)):
            out.extend(_split_run_on(line, last))
            continue
        found = _marker(line.text)
        if found and found[0] < _SHI_RANK and found[2]:
            _count(last, found[0], found[2])
        out.append(line)
    return tuple(out)


def _clip(lines: tuple[_Line, ...], start: int, end: int) -> list[_Line]:
    """The reading lines inside ``[start, end)``, cut at both ends (empty pieces dropped)."""
    out = []
    for line in lines:  # in text order, not overlapping
        if line.end <= start:
            continue
        if line.start >= end:
            break
        if start <= line.start and line.end <= end:
            out.append(line)
            continue
        a, b = max(line.start, start), min(line.end, end)
        out.append(_Line(a, b, line.text[a - line.start : b - line.start], line.run_on))
    return out


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


def _heading_extent(line: _Line, rank: int) -> str | None:
    """The heading a marker line opens with (exactly its characters), or ``None`` if it cannot be one.

    A physical line is a heading as a whole, as it always was (a short line, or a marker and a short title
    sentence). A virtual line cut from run-on text has no line end after its heading, so the heading is the
    marker and title up to the first sentence end (kept; below rank 1 only a short title sentence, as on a
    physical line) or space (left to the body), within a heading's length. At rank 1, when the body runs on
    without either (``二、存在的不足和原因总结一年以来…``), it is the first :data:`_MAX_HEADING_LINE`
    characters, which may carry a few body words into what the heading is classified by; deeper ranks need
    a clear end, since a sub-heading classified by body words could make its rank the top one.
    ``part.start + len(part.heading)`` is where the body starts.
    """
    text = line.text
    if not line.run_on:
        return text if _is_heading_line(text) else None
    text = text.rstrip(" ")
    if len(text) <= _MAX_HEADING_LINE:
        return text
    window = text[:_MAX_HEADING_LINE]
    marker = _marker(window)
    skip = len(marker[1]) if marker else 0
    end = _SENTENCE_END.search(window, skip)
    if end and (rank == 1 or end.start() <= _MAX_TITLE_SENTENCE):
        return window[: end.end()]
    space = window.find(" ", skip)
    if space > skip:
        return window[:space]
    return window if rank == 1 else None


def _lines_from_end(text: str) -> Iterator[_Line]:
    """:func:`_lines` of ``text`` last first, read only as far as they are wanted."""
    end = len(text)
    while end > 0:
        nl = text.rfind("\n", 0, end)
        if end > nl + 1:
            yield _Line(nl + 1, end, text[nl + 1 : end])
        end = nl


def _signoff_start(text: str) -> int | None:
    """Start offset of the trailing issuer/date block, if the report ends with one.

    The block is the last short lines without a sentence mark, when one of them is a date or an issuer.
    Failing that, in run-on text, it is the tail of the last body line after its last sentence mark, when
    that tail is an issuer (or nothing) then a date
    (``…依法行政工作。大连金普新区华家街道办事处2023年1月12日责编：华家街道``), with any short lines after it.
    """
    block: list[_Line] = []
    body = None  # the last line before the block
    for line in _lines_from_end(text):
        t = line.text
        if len(t) > _MAX_SIGNOFF_LINE or re.search(r"[。；！？，]", t) or _marker(t):
            body = line
            break
        block.append(line)
    if any(_DATE_LINE.match(b.text) for b in block) or any(_ISSUER_LINE.search(b.text) for b in block):
        return block[-1].start
    # in run-on text the sign-off ends the last body line (possibly followed by page furniture: 【关闭】)
    return _signoff_tail(body) if body is not None else None


def _signoff_tail(line: _Line) -> int | None:
    """Start offset of an issuer/date sign-off run on at the end of a body line (see :func:`_signoff_start`)."""
    marks = list(re.finditer(r"[。；！？，]", line.text))
    if not marks:
        return None
    cut = marks[-1].end()
    tail = line.text[cut:]
    lead = len(tail) - len(tail.lstrip(" "))
    tail = tail.strip(" ")
    date = _INLINE_SIGNOFF_DATE.search(tail)
    if not tail or len(tail) > _MAX_SIGNOFF_LINE or date is None or _marker(tail):
        return None
    issuer = tail[: date.start()].strip(" ")
    if issuer and not _ISSUER_LINE.search(issuer):
        return None
    return line.start + cut + lead


def _find_part_headings(
    lines: list[_Line], limit: int, profile: Profile = DEFAULT_PROFILE, headless: tuple[int, str] | None = None
) -> list[tuple[_Line, str, int | None, bool, str]]:
    """``(line, part, rank, nested, heading)`` for every line that opens a part, before offset ``limit``.

    Top-rank headings open parts (a topical one opens the profile's ``unnamed`` part). The top rank is the
    shallowest that names a part; when no numbered heading names one, the shallowest of ranks 1–2 present (a
    report whose body is ``（一）强化组织领导`` … ``（二）推进依法决策`` … then an unnumbered ``存在的问题``) — never
    rank 3 or deeper, so a report numbered only ``1.``/``2.`` does not turn its paragraphs into parts. One rank
    deeper, a heading that names another part opens a nested part; the next sibling that names none returns
    to the enclosing part. Headings one rank deeper that come before any top-rank heading (a report that
    left out ``一、…`` and starts at ``（一）``) open parts as if they were top-rank (ranks 1–2 only). A
    top-rank heading that names no part, after an unnumbered part heading (``存在的问题`` then
    ``（一）学习不够深入``), is a point of that part, not a new ``measures`` part.

    ``headless`` is ``(offset, part)`` of a part that begins without a heading (:func:`_headless_start`): after
    it, a topical heading takes the part the profile's ``unnamed_after`` gives.
    """
    candidates: list[tuple[_Line, str | None, int | None, str]] = []
    for line in lines:
        if line.start >= limit:
            break
        found = _marker(line.text)
        rank = found[0] if found else None
        if rank is not None and rank >= _SHI_RANK:
            continue
        if rank is None:
            if len(line.text) <= _MAX_UNNUMBERED_HEADING and not re.search(r"[。；，：！？]", line.text):
                part = classify_heading(line.text, profile.unnumbered)
                if part:
                    candidates.append((line, part, None, line.text))
            continue
        heading = _heading_extent(line, rank)
        if heading:
            heading = heading[: limit - line.start]  # a sign-off run on after a short heading stays the sign-off
            candidates.append((line, classify_heading(heading, profile.parts), rank, heading))
    named_ranks = [rank for _, part, rank, _ in candidates if part and rank is not None]
    shallow_ranks = [rank for _, _, rank, _ in candidates if rank is not None and rank <= 2]
    top = min(named_ranks) if named_ranks else (min(shallow_ranks) if shallow_ranks else None)
    out: list[tuple[_Line, str, int | None, bool, str]] = []
    enclosing: str | None = None  # the part of the current top-rank section
    current: str | None = None  # the part text is in now
    seen_top = False  # a top-rank (or unnumbered) part heading has been read
    under_unnumbered = False  # the current section was opened by an unnumbered heading
    top_number = 0  # the number of the latest top-rank heading (for restarts_are_lists)
    list_number = 0  # the number of the latest top-rank marker read as a list item (0: not in a list)
    for line, part, rank, heading in candidates:
        leading = not seen_top and top is not None and top < 2 and rank == top + 1
        if rank is None or rank == top or leading:
            if rank is not None and part is None and under_unnumbered:
                continue
            found = _marker(line.text) if rank is not None and rank == top else None
            number = (found[2] or 0) if found else 0
            # past a part that changes what a topical heading means (the plans), a restarted numbering is a list
            if found and profile.restarts_are_lists and enclosing in profile.unnamed_after:
                if number <= top_number or (list_number and number == list_number + 1):
                    list_number = number  # 三、… then 一、… 二、… 三、… 四、…: a numbered list inside the section
                    continue
            if found:
                top_number, list_number = number, 0
            before = enclosing
            if headless is not None and headless[0] < line.start:
                before = headless[1]
            part = part or profile.unnamed_after.get(before or "", profile.unnamed)
            enclosing = current = part
            seen_top = seen_top or not leading
            under_unnumbered = rank is None
            out.append((line, part, rank, False, heading))
        elif top is not None and rank == top + 1 and enclosing is not None:
            nested = classify_heading(heading, profile.nested)
            if nested and nested != enclosing and nested != current:
                current = nested
                out.append((line, nested, rank, True, heading))
            elif not nested and current != enclosing:
                current = enclosing
                out.append((line, enclosing, rank, True, heading))
    return out


def _sentence_start(line: _Line, at: int) -> int:
    """Offset of the start of the sentence of ``line`` that holds offset ``at`` (after a sentence end or a space)."""
    k = at - line.start
    while k > 0 and line.text[k - 1] not in "。！？；… ":
        k -= 1
    return line.start + k


def _headless_start(
    lines: tuple[_Line, ...], parts: list[tuple[int, int, str, str]], profile: Profile
) -> tuple[int, str] | None:
    """``(offset, part)`` where the profile's first headless part begins, if one of its cues is found.

    ``parts`` are ``(start, end, label, heading)``. The part begins at the sentence that holds the first cue
    inside a part it may sit in (after that part's heading).
    """
    for rule in profile.headless:
        for start, end, label, heading in parts:
            if label not in rule.within:
                continue
            for line in _clip(lines, start + len(heading), end):
                m = rule.opens.search(line.text)
                if m:
                    return _sentence_start(line, line.start + m.start()), rule.part
    return None


def segment_parts(text: str, name: str = "<text>", profile: Profile = DEFAULT_PROFILE) -> tuple[Part, ...]:
    """Split a normalised text into contiguous parts that cover it exactly.

    Args:
        text: a normalised report (see :func:`helpers.normalise.normalise`).
        name: the report's file name, for the warning when no part heading is found.
        profile: the genre's part rules (default: the 法治 report's).

    Returns:
        Parts in text order; ``parts[0].start == 0``, ``parts[-1].end == len(text)``, no gaps.
    """
    if not text:
        return ()
    signoff = _signoff_start(text)
    limit = signoff if signoff is not None else len(text)
    lines = _reading_lines(text)
    headings = _find_part_headings(list(lines), limit, profile)
    headless = None
    if profile.headless and headings:
        spans = [
            (line.start, nxt[0].start if nxt else limit, part, heading)
            for (line, part, _, _, heading), nxt in zip(headings, [*headings[1:], None])
        ]
        headless = _headless_start(lines, spans, profile)
        if headless is not None:
            headings = _find_part_headings(list(lines), limit, profile, headless)
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
    for line, part, rank, nested, heading in headings:
        if headless is not None and bounds and bounds[-1][0] < headless[0] < line.start:
            bounds.append((headless[0], headless[1], "", None, True))
        bounds.append((line.start, part, heading, rank, nested))
    if headless is not None and bounds[-1][0] < headless[0] < limit and headless[0] not in {b[0] for b in bounds}:
        bounds.append((headless[0], headless[1], "", None, True))
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
    for line in _clip(_reading_lines(text), body_start, part.end):
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
            if title and rest.strip() and len(title) <= _MAX_TITLE_SENTENCE and not _DIGIT.search(title):
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
    # line breaks, and the spaces a scraper left where run-on text was cut, are between items, not in them
    span = text[start:stop].strip("\n ")
    start += len(text[start:stop]) - len(text[start:stop].lstrip("\n "))
    return Item(part.label, part.seq, seq, kind, level, parent, marker, number, title, span, start, start + len(span))


def segment_items(text: str, part: Part) -> list[Item]:
    """The items of one part (see the module docstring).

    Nesting is read as an outline: a marker family not yet open nests under the unit before it, a family
    already open closes what was opened after it (in ``二是…`` followed by ``1. … 2. …`` the numbered points
    belong to 二是; the next ``（二）`` closes them all). Unnumbered text before the first unit is a ``lead``
    (an introduction, not an item); a part with no numbered or titled unit has one ``paragraph`` item per
    paragraph. Spans exclude the line breaks at their ends. Preamble and sign-off have no items, only a lead.
    """
    body_start = part.start + len(part.heading)
    if part.label in ("preamble", "signoff"):
        lead = _item(part, 0, "lead", 0, None, "", None, "", text, body_start, part.end)
        return [lead] if lead.text else []
    units = _units(text, part)
    if not units:
        paragraphs = [line for line in _clip(_reading_lines(text), body_start, part.end) if line.text.strip(" ")]
        return [
            _item(part, seq, "paragraph", 1, None, "", None, "", text, line.start, line.end)
            for seq, line in enumerate(paragraphs)
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


def segment(text: str, name: str = "<text>", profile: Profile = DEFAULT_PROFILE) -> Segmentation:
    """Parts and items of a normalised report.

    Args:
        text: the normalised text.
        name: the file name used in warnings.
        profile: the genre's part rules (default: the 法治 report's).

    Returns:
        A :class:`Segmentation`.
    """
    parts = segment_parts(text, name, profile)
    items: list[Item] = []
    for part in parts:
        items.extend(segment_items(text, part))
    return Segmentation(text, parts, tuple(items))
