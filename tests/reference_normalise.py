"""The character-by-character normaliser the study used up to 2026-11 (frozen): the oracle that the faster
:func:`helpers.normalise.normalise` must equal on every input (``tests/test_normalise.py``). Not used by the study."""
from __future__ import annotations

import re
from dataclasses import dataclass

_WIDE_TO_ASCII = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_WIDE_TO_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDE_TO_ASCII.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDE_TO_ASCII.update({"％": "%", "．": "."})
_NARROW_TO_WIDE = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_DIGIT_SEPARATORS = {",", ":"}  # stay ASCII between two digits: 1,000 and 12:30
_SPACES = {" ", "\t", "\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\x0b", "\x0c"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
#: A line ending with one of these ends its sentence (or introduces what follows).
_TERMINAL = set("。！？；：…”’」』）》】.!?;:")
#: Lines that open a new unit: headings, numbered items, dates. Never joined onto the previous line.
_OPENS_UNIT = re.compile(
    r"^(?:[一二三四五六七八九十]+[、是]|（[一二三四五六七八九十\d]+）|\d{1,2}[、.](?!\d)|第[一二三四五六七八九十]+[、，条部分]"
    r"|\d{4}年\d{1,2}月\d{1,2}日$)"
)


def canonical_char(raw: str) -> str:
    """The canonical form of one raw character (context-free part of the mapping; used by tests)."""
    if raw in ("\r\n", "\r"):
        return "\n"
    if raw in _SPACES:
        return " "
    return _NARROW_TO_WIDE.get(raw, _WIDE_TO_ASCII.get(raw, raw))


@dataclass(frozen=True)
class NormalisedText:
    """A canonical text and, for each of its characters, the raw span it came from."""

    text: str
    raw_start: tuple[int, ...]
    raw_end: tuple[int, ...]
    raw_length: int

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of the canonical text to a span of the raw text.

        Example:
            >>> n = normalise("甲 ,乙\\r\\n丙")
            >>> n.text, n.to_raw(1, 3)
            ('甲，乙\\n丙', (2, 4))
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside a text of {len(self.text)} characters")
        if start == end:
            raw = self.raw_start[start] if start < len(self.text) else self.raw_length
            return raw, raw
        return self.raw_start[start], self.raw_end[end - 1]


def _is_digit(s: str, i: int) -> bool:
    return 0 <= i < len(s) and (s[i].isdigit() or "０" <= s[i] <= "９")


def _map_chars(raw: str) -> list[tuple[str, int, int]]:
    """Pass 1: one canonical character per raw character (CRLF → one LF)."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\r":
            end = i + 2 if raw.startswith("\r\n", i) else i + 1
            out.append(("\n", i, end))
            i = end
            continue
        if c in _ZERO_WIDTH:
            i += 1
            continue
        if c in _DIGIT_SEPARATORS and _is_digit(raw, i - 1) and _is_digit(raw, i + 1):
            out.append((c, i, i + 1))
        else:
            out.append((canonical_char(c), i, i + 1))
        i += 1
    return out


def _is_word(c: str) -> bool:
    """Letters, digits and ideographs: the only neighbours between which a space can mean something."""
    return c.isalnum()


def _clean_line(chars: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Pass 2: strip a line, fold runs of spaces, drop spaces next to CJK punctuation."""
    while chars and chars[0][0] == " ":
        chars = chars[1:]
    while chars and chars[-1][0] == " ":
        chars = chars[:-1]
    out: list[tuple[str, int, int]] = []
    for k, item in enumerate(chars):
        if item[0] == " ":
            if out and out[-1][0] == " ":
                continue
            nxt = next((c for c, _, _ in chars[k + 1 :] if c != " "), "")
            if not (_is_word(out[-1][0]) and _is_word(nxt)):
                continue
        out.append(item)
    return out


def _breaks_inside_sentence(line: str, nxt: str) -> bool:
    """True when ``line`` stops mid-sentence and ``nxt`` carries on the same sentence.

    A body line (it holds a full stop, or is long) that does not end its sentence, followed by a line
    that does not open a heading, item or date. Short lines without a full stop are titles and headings
    (``（一）坚持党建引领，保证法治建设的正确方向``) and are never joined.
    """
    if not line or not nxt or line[-1] in _TERMINAL:
        return False
    if "。" not in line and len(line) < 50:
        return False
    if _OPENS_UNIT.match(nxt):
        return False
    return "\u4e00" <= nxt[0] <= "\u9fff" or nxt[0].isalnum()


def normalise(raw: str) -> NormalisedText:
    """Normalise a raw report text.

    Args:
        raw: the report as decoded from its file.

    Returns:
        A :class:`NormalisedText` whose paragraphs are separated by single ``\\n``.
    """
    chars = _map_chars(raw)
    lines: list[list[tuple[str, int, int]]] = []
    breaks: list[tuple[str, int, int]] = []  # the newline that ended each line
    current: list[tuple[str, int, int]] = []
    for item in chars:
        if item[0] == "\n":
            lines.append(current)
            breaks.append(item)
            current = []
        else:
            current.append(item)
    lines.append(current)
    breaks.append(("\n", len(raw), len(raw)))
    kept = [(_clean_line(line), brk) for line, brk in zip(lines, breaks)]
    kept = [(line, brk) for line, brk in kept if line]

    out: list[tuple[str, int, int]] = []
    paragraph = ""  # the output line so far: a joined line is judged as a whole, so a second pass changes nothing
    for k, (line, brk) in enumerate(kept):
        out.extend(line)
        paragraph += "".join(c for c, _, _ in line)
        if k + 1 < len(kept):
            text_next = "".join(c for c, _, _ in kept[k + 1][0])
            if not _breaks_inside_sentence(paragraph, text_next):
                out.append(brk)
                paragraph = ""
    return NormalisedText(
        text="".join(c for c, _, _ in out),
        raw_start=tuple(s for _, s, _ in out),
        raw_end=tuple(e for _, _, e in out),
        raw_length=len(raw),
    )
