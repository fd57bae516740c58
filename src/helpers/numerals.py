"""Chinese numerals: the one place the study reads them (outline markers' numbers, claims' values)."""

from __future__ import annotations

import re

#: Digit characters and their values (``两`` is 2 before a classifier: 两次).
DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: Unit characters and their values.
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
#: Every character a numeral may hold, for a pattern's character class.
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
#: The characters of an outline marker's numeral (``一、`` … ``十二、``, ``（三）``, ``四是``).
MARKER_CHARS = "一二三四五六七八九十"
#: Outline markers at the start of a line, by rank: 一、 / （一） / 1. / （1） / 一是 — what opens an item or a
#: heading (the segmenter) and what a line is never joined onto (normalising).
MARKERS = (
    (1, re.compile(rf"[{MARKER_CHARS}]{{1,3}}、")),
    (2, re.compile(rf"（[{MARKER_CHARS}]{{1,3}}）")),
    (3, re.compile(r"\d{1,2}(?:、|\.(?!\d))(?!\d)")),
    (4, re.compile(r"（\d{1,2}）")),
    (5, re.compile(rf"[{MARKER_CHARS}]{{1,3}}是")),
)
_SMALL = re.compile("[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]")


def chinese_value(numeral: str) -> float | None:
    """Value of a Chinese numeral with 十/百/千/万: ``两``→2, ``二十``→20, ``一百二十``→120, ``千``→1000.

    Lenient, as a claim's number is: any run of :data:`NUMERAL_CHARS` has a value; ``None`` for another character.
    """
    if not numeral:
        return None
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10_000:  # 万 multiplies all before it; alone it is ten thousand, as 千 alone is a thousand
                total = ((total + section + (digit or 0)) or 1) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return float(total + section + (digit or 0))


def chinese_number(numeral: str) -> int | None:
    """Value of an outline marker's numeral: ``一``→1, ``十二``→12, ``二十``→20, ``7``→7; ``None`` if it is not one.

    Strict, as a marker is: one to ninety-nine written as a numeral is (``一一十`` or ``十十`` are not numbers).
    """
    if numeral.isdigit():
        return int(numeral)
    if not _SMALL.fullmatch(numeral):
        return None
    value = chinese_value(numeral)
    return int(value) if value is not None else None


__all__ = ["DIGITS", "MARKER_CHARS", "NUMERAL_CHARS", "UNITS", "chinese_number", "chinese_value"]
