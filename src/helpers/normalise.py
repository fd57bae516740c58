r"""Normalise a report into one canonical text, keeping a map back to raw character offsets.

What changes (and only this):

* line ends: CRLF and CR become LF;
* one form for characters that come in two widths: full-width Latin letters, digits, ``％`` and ``．`` become
  ASCII; the half-width punctuation that Chinese prose writes full-width (``, ( ) : ; ! ?``) becomes
  ``， （ ） ： ； ！ ？`` — except a comma or colon between two digits (``1,000``, ``12:30``);
* white space: ideographic and no-break spaces and tabs count as spaces; lines are stripped, runs of spaces
  inside a line become one space, a space is kept only between two letters, digits or
  ideographs (``党工委 东三街道办事处``; not ``1. 带头``), zero-width characters and
  blank lines are dropped;
* a line broken inside a sentence (``全面推\n\n进``) is joined to the next line;
* only when asked (``drop=``, as the study does with :class:`helpers.furniture.PageFurniture`): whole lines a
  caller rejects, such as a web page's furniture, are left out before lines are joined.

Every character of the canonical text records the raw span it came from (``raw_start``, ``raw_end``), so any
span of the canonical text maps back to the raw report with :meth:`NormalisedText.to_raw`. Raw characters
that leave no trace are only white space, zero-width characters and the lines ``drop`` rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from helpers.numerals import MARKERS

_WIDE_TO_ASCII = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_WIDE_TO_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDE_TO_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDE_TO_ASCII.update({"％": "%", "．": "."})
_NARROW_TO_WIDE = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_DIGIT_SEPARATORS = {",", ":"}  # stay ASCII between two digits: 1,000 and 12:30
_SPACES = {" ", "\t", "\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\x0b", "\x0c"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
#: A line without a full stop shorter than this is a title or heading: never joined onto the next line.
_MAX_TITLE_LINE = 50
#: A line ending with one of these ends its sentence (or introduces what follows).
_TERMINAL = set("。！？；：…”’」』）》】.!?;:")
#: Lines that open a new unit: an outline marker (the segmenter's, :data:`helpers.numerals.MARKERS`), 第…,
#: a date. Never joined onto the previous line.
_OPENS_UNIT = re.compile(
    "^(?:" + "|".join(pattern.pattern for _, pattern in MARKERS)
    + r"|第[一二三四五六七八九十]+[、，条部分]|\d{4}年\d{1,2}月\d{1,2}日$)"
)


def canonical_char(raw: str) -> str:
    """The canonical form of one raw character (context-free part of the mapping; used by tests)."""
    if raw in ("\r\n", "\r"):
        return "\n"
    if raw in _SPACES:
        return " "
    return _NARROW_TO_WIDE.get(raw, _WIDE_TO_ASCII.get(raw, raw))


@dataclass(frozen=True, eq=False)
class NormalisedText:
    """A canonical text and, for each of its characters, the raw span it came from (read-only int64 arrays)."""

    text: str
    raw_start: np.ndarray
    raw_end: np.ndarray
    raw_length: int

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        r"""Map a span ``[start, end)`` of the canonical text to a span of the raw text.

        Example:
            >>> n = normalise("甲 ,乙\r\n丙")
            >>> n.text, n.to_raw(1, 3)
            ('甲，乙\n丙', (2, 4))
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside a text of {len(self.text)} characters")
        if start == end:
            raw = int(self.raw_start[start]) if start < len(self.text) else self.raw_length
            return raw, raw
        return int(self.raw_start[start]), int(self.raw_end[end - 1])

    def spans_to_raw(self, starts: Sequence[int] | np.ndarray,
                     ends: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r""":meth:`to_raw` of many spans at once: ``(raw_starts, raw_ends)`` as int64 arrays.

        Example:
            >>> n = normalise("甲 ,乙\r\n丙")
            >>> [a.tolist() for a in n.spans_to_raw([1, 4, 5], [3, 4, 5])]
            [[2, 6, 7], [4, 6, 7]]
        """
        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        if not len(starts):
            return starts, ends
        n = len(self.text)
        if starts.min() < 0 or ends.max() > n or (starts > ends).any():
            bad = int(np.flatnonzero((starts < 0) | (ends > n) | (starts > ends))[0])
            raise IndexError(f"span [{starts[bad]}, {ends[bad]}) outside a text of {n} characters")
        at_start = np.append(self.raw_start, self.raw_length)[starts]  # an empty span at the end: raw_length
        at_end = self.raw_end[np.maximum(ends - 1, 0)] if n else at_start
        return at_start, np.where(starts == ends, at_start, at_end)

    def runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""The map to raw offsets in runs: ``(starts, raw_starts, raw_ends)``, a few rows where the text has many.

        A run is a stretch of characters each read from one raw character, the raw characters consecutive; any
        other character (several raw characters folded into one, as ``\r\n``, or none) is a run of its own. Each
        row gives a run's first character, and that character's raw span; a last row (``len(text)``,
        ``raw_length``, ``raw_length``) closes the map. :class:`RawMap` reads it back.

        Example:
            >>> [a.tolist() for a in normalise("甲 ,乙\r\n丙").runs()]
            [[0, 1, 3, 4, 5], [0, 2, 4, 6, 7], [1, 3, 6, 7, 7]]
        """
        n = len(self.text)
        width = self.raw_end - self.raw_start
        joined = np.zeros(n, dtype=bool)
        if n > 1:
            joined[1:] = (self.raw_start[1:] == self.raw_start[:-1] + 1) & (width[1:] == 1) & (width[:-1] == 1)
        first = np.flatnonzero(~joined)
        return (np.append(first, n).astype(np.int64), np.append(self.raw_start[first], self.raw_length).astype(np.int64),
                np.append(self.raw_end[first], self.raw_length).astype(np.int64))


@dataclass(frozen=True, eq=False)
class RawMap:
    """The map of a canonical text back to raw offsets, read from :meth:`NormalisedText.runs` (as the store keeps it).

    ``RawMap(*normalised.runs()).spans_to_raw(starts, ends)`` equals ``normalised.spans_to_raw(starts, ends)``.
    """

    starts: np.ndarray
    raw_starts: np.ndarray
    raw_ends: np.ndarray

    def spans_to_raw(self, starts: Sequence[int] | np.ndarray,
                     ends: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r""":meth:`NormalisedText.spans_to_raw` from the runs: ``(raw_starts, raw_ends)`` as int64 arrays.

        Example:
            >>> [a.tolist() for a in RawMap(*normalise("甲 ,乙\r\n丙").runs()).spans_to_raw([1, 4, 5], [3, 4, 5])]
            [[2, 6, 7], [4, 6, 7]]
        """
        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        if not len(starts):
            return starts, ends
        n = int(self.starts[-1])
        if starts.min() < 0 or ends.max() > n or (starts > ends).any():
            bad = int(np.flatnonzero((starts < 0) | (ends > n) | (starts > ends))[0])
            raise IndexError(f"span [{starts[bad]}, {ends[bad]}) outside a text of {n} characters")

        def at(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            run = np.searchsorted(self.starts, positions, side="right") - 1
            raw_start = self.raw_starts[run] + (positions - self.starts[run])
            return raw_start, raw_start + (self.raw_ends[run] - self.raw_starts[run])

        at_start, _ = at(starts)
        _, at_end = at(np.maximum(ends - 1, 0))
        return at_start, np.where(starts == ends, at_start, at_end)


def _is_digit(s: str, i: int) -> bool:
    return 0 <= i < len(s) and (s[i].isdigit() or "０" <= s[i] <= "９")


#: Pass 1's context-free changes of :func:`canonical_char` (CR is handled first), made where the pattern finds
#: one: ``str.translate`` with a table visits every character of a Chinese text in Python's slow path (4× slower).
_CHANGED = {k: v for k, v in {**_WIDE_TO_ASCII, **_NARROW_TO_WIDE, **{c: " " for c in _SPACES}}.items() if k != v}
_TO_CHANGE = re.compile("[" + re.escape("".join(sorted(_CHANGED))) + "]")


#: What pass 1 drops or joins: zero-width characters, and CR (alone or before LF).
_DROPPED = re.compile("\r\n?|[" + "".join(_ZERO_WIDTH) + "]")


def _translate(text: str) -> str:
    return _TO_CHANGE.sub(lambda m: _CHANGED[m.group()], text)


def _map_chars(raw: str) -> tuple[str, np.ndarray, np.ndarray]:
    """Pass 1: one canonical character per raw character (CRLF → one LF), with each one's raw span.

    Returns:
        ``(text, starts, ends)``: the canonical characters and, for each, the raw span it came from (arrays).
    """
    starts = np.arange(len(raw), dtype=np.int64)
    ends = starts + 1
    keep = None
    pieces, pos = [], 0
    for m in _DROPPED.finditer(raw):
        if keep is None:
            keep = np.ones(len(raw), dtype=bool)
        pieces.append(raw[pos : m.start()])
        if m.group()[0] == "\r":  # CR or CRLF: one LF, spanning both
            pieces.append("\n")
            ends[m.start()] = m.end()
            keep[m.start() + 1 : m.end()] = False
        else:
            keep[m.start() : m.end()] = False
        pos = m.end()
    if keep is not None:
        pieces.append(raw[pos:])
        kept = "".join(pieces)
        starts, ends = starts[keep], ends[keep]
    else:
        kept = raw
    text = _translate(kept)
    if "，" in text or "：" in text:  # a comma or colon between two digits stays ASCII (1,000 and 12:30)
        chars = None
        for m in re.finditer("[,:]", kept):
            k = m.start()
            if _is_digit(raw, int(starts[k]) - 1) and _is_digit(raw, int(starts[k]) + 1):
                chars = chars or list(text)
                chars[k] = m.group()
        if chars is not None:
            text = "".join(chars)
    return text, starts, ends


def _is_word(c: str) -> bool:
    """Letters, digits and ideographs: the only neighbours between which a space can mean something."""
    return c.isalnum()


def _clean_line(line: str) -> tuple[str, list[int] | None]:
    """Pass 2: strip a line, fold runs of spaces, drop spaces next to CJK punctuation.

    Returns:
        The cleaned line and the positions in ``line`` of the characters kept (``None``: all of them).
    """
    if " " not in line:
        return line, None
    keep = []
    stripped = line.strip(" ")
    first = len(line) - len(line.lstrip(" "))
    last = first + len(stripped)
    out_chars: list[str] = []
    for k in range(first, last):
        c = line[k]
        if c == " ":
            if out_chars and out_chars[-1] == " ":
                continue
            nxt = next((d for d in line[k + 1 : last] if d != " "), "")
            if not (_is_word(out_chars[-1]) and _is_word(nxt)):
                continue
        out_chars.append(c)
        keep.append(k)
    return "".join(out_chars), keep


def _breaks_inside_sentence(line: str, nxt: str) -> bool:
    """True when ``line`` stops mid-sentence and ``nxt`` carries on the same sentence.

    A body line (it holds a full stop, or is long) that does not end its sentence, followed by a line
    that does not open a heading, item or date. Short lines without a full stop are titles and headings
    (``（一）坚持党建引领，保证法治建设的正确方向``) and are never joined.
    """
    if not line or not nxt or line[-1] in _TERMINAL:
        return False
    if "。" not in line and len(line) < _MAX_TITLE_LINE:
        return False
    if _OPENS_UNIT.match(nxt):
        return False
    return "\u4e00" <= nxt[0] <= "\u9fff" or nxt[0].isalnum()


def normalise(raw: str, drop: Callable[[str], bool] | None = None) -> NormalisedText:
    r"""Normalise a raw report text.

    Args:
        raw: the report as decoded from its file.
        drop: called with each cleaned line, in order, before lines are joined; a line it returns true for is
            left out (page furniture: :class:`helpers.furniture.PageFurniture`). Its characters leave no trace.

    Returns:
        A :class:`NormalisedText` whose paragraphs are separated by single ``\n``.
    """
    text, starts, ends = _map_chars(raw)
    # which pass-1 characters the output keeps, in order: every character but the newlines (kept only where a
    # paragraph ends) and what cleaning a line drops
    kept_chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) != ord("\n")
    kept: list[tuple[str, int]] = []  # each line that is not empty, and the index of the newline that ended it
    pos = 0
    while True:
        stop = text.find("\n", pos)
        last = stop == -1
        stop = len(text) if last else stop
        line, keep = _clean_line(text[pos:stop])
        if line and drop is not None and drop(line):
            kept_chars[pos:stop] = False
            line = ""
        elif keep is not None:
            kept_chars[pos:stop] = False
            kept_chars[[pos + k for k in keep]] = True
        if line:
            kept.append((line, stop))
        if last:
            break
        pos = stop + 1

    out_text: list[str] = []
    paragraph = ""  # the output line so far: a joined line is judged as a whole, so a second pass changes nothing
    for k, (line, brk) in enumerate(kept):
        out_text.append(line)
        paragraph += line
        if k + 1 < len(kept) and not _breaks_inside_sentence(paragraph, kept[k + 1][0]):
            out_text.append("\n")
            kept_chars[brk] = True  # the newline that ended the line (never the text's end: a line follows)
            paragraph = ""
    index = np.flatnonzero(kept_chars)
    raw_start, raw_end = starts[index], ends[index]
    raw_start.flags.writeable = raw_end.flags.writeable = False
    return NormalisedText(text="".join(out_text), raw_start=raw_start, raw_end=raw_end, raw_length=len(raw))
