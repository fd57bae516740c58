"""Score where the segmenter's parts begin against hand-read gold (``data/annotations/gwr_2026_parts.csv``).

The gold (written from ``docs/coding_guide_gwr_parts.md`` before the 政府工作报告 profile was scored) records,
per report and part, the line and column of the raw text where the part begins — references, not copied
text. A predicted start **agrees** with the gold when the two are within one sentence of each other: the
normalised text between them holds at most one sentence end (``。！？``) or line break.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.corpus import Report
from helpers.errors import MetadataError
from helpers.paths import ANNOTATIONS, relative

GWR_PART_GOLD = ANNOTATIONS / "gwr_2026_parts.csv"
#: The parts whose beginnings the gold records.
GOLD_PARTS = ("measures", "shortcomings", "plans")
_SENTENCE_ENDS = re.compile("[。！？\n]")
#: How many sentence ends (or line breaks) may lie between a predicted start and the gold's.
TOLERANCE = 1


def read_part_gold(path: Path | str = GWR_PART_GOLD) -> pd.DataFrame:
    """The gold rows: ``file, part, line, column, note`` (``line``/``column`` empty where a report lacks the part).

    Raises:
        MetadataError: a missing column, an unknown part, or a file/part given twice (naming the rows).
    """
    gold = pd.read_csv(
        path, dtype={"file": str, "part": str, "note": str}, keep_default_na=False, na_values={"line": [""], "column": [""]}
    )
    name = relative(path)
    missing = {"file", "part", "line", "column"} - set(gold.columns)
    if missing:
        raise MetadataError(f"{name}: missing column(s) {', '.join(sorted(missing))}")
    bad = gold[~gold["part"].isin(GOLD_PARTS)]
    if len(bad):
        raise MetadataError(
            f"{name}: rows {', '.join(str(i + 2) for i in bad.index)} name a part other than " + ", ".join(GOLD_PARTS)
        )
    twice = gold[gold.duplicated(["file", "part"], keep=False)]
    if len(twice):
        raise MetadataError(f"{name}: rows {', '.join(str(i + 2) for i in twice.index)} give one part twice")
    gold["line"] = gold["line"].astype("Int64")
    gold["column"] = gold["column"].astype("Int64")
    return gold


def raw_offset(text: str, line: int, column: int) -> int:
    r"""The offset in ``text`` of 1-based ``line`` and ``column`` (lines split at ``\n``).

    Example:
        >>> raw_offset("ab\ncd", 2, 2)
        4
    """
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    if not 1 <= line <= len(starts):
        raise ValueError(f"line {line} is not in a text of {len(starts)} lines")
    return starts[line - 1] + column - 1


def sentences_apart(text: str, a: int, b: int) -> int:
    """How many sentence ends or line breaks lie between offsets ``a`` and ``b`` of ``text`` (in either order)."""
    lo, hi = min(a, b), max(a, b)
    return len(_SENTENCE_ENDS.findall(text, lo, hi))


def score_part_starts(reports: list[Report], gold: pd.DataFrame) -> pd.DataFrame:
    """One row per gold row: where the part begins by the gold and by the segmenter, and whether they agree.

    Offsets are into each report's normalised text (the gold's raw line and column mapped through the
    report's offset map). A report's part begins at its first part with that label.

    Args:
        reports: the reports, ``raw.file`` ending with the gold's ``file``.
        gold: :func:`read_part_gold`.

    Returns:
        ``file, part, gold_start, start, apart, agrees, note``: ``apart`` counts the sentence ends between the
        two starts (``<NA>`` when either is missing); ``agrees`` is true when both are missing or ``apart`` is at
        most :data:`TOLERANCE`.
    """
    by_file = {Path(r.raw.file.split("#")[0]).name: r for r in reports}
    rows = []
    for g in gold.itertuples(index=False):
        report = by_file.get(g.file)
        if report is None:
            raise MetadataError(f"{g.file}: in the gold but not among the reports scored")
        text = report.text
        gold_start = None
        if not pd.isna(g.line):
            raw = raw_offset(report.raw.analysis_text, int(g.line), int(g.column))
            gold_start = int(np.searchsorted(report.normalised.raw_start, raw, side="left"))
        start = next((p.start for p in report.segmentation.parts if p.label == g.part), None)
        if gold_start is None or start is None:
            apart, agrees = None, gold_start is None and start is None
        else:
            apart = sentences_apart(text, gold_start, start)
            agrees = apart <= TOLERANCE
        rows.append(
            {
                "file": g.file,
                "part": g.part,
                "gold_start": gold_start,
                "start": start,
                "apart": apart,
                "agrees": agrees,
                "note": g.note,
            }
        )
    out = pd.DataFrame(rows)
    for column in ("gold_start", "start", "apart"):
        out[column] = out[column].astype("Int64")
    return out


__all__ = ["GOLD_PARTS", "GWR_PART_GOLD", "TOLERANCE", "raw_offset", "read_part_gold", "score_part_starts", "sentences_apart"]
