"""The corpus: a folder of report files plus ``reports.csv``, validated against each other.

A corpus folder holds ``reports.csv`` (one row per report) and the files it names (``file`` is relative to the
folder). Loading checks the table against the files before anything is analysed: a missing file, a file with
no row, a duplicate id or file, a wrong sha256, an unknown region or level is a :class:`MetadataError` that
names the file and says what to do.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.errors import MetadataError
from helpers.normalise import NormalisedText, normalise
from helpers.paths import RAW, relative
from helpers.read import RawReport, read_report
from helpers.regions import MACRO_REGIONS, macro_region
from helpers.segment import Segmentation, segment

#: Columns of ``reports.csv``, in order.
COLUMNS = (
    "report_id", "file", "original_file", "unit", "unit_level", "province", "city", "district",
    "macro_region", "report_year", "dated", "issuer", "source", "received", "sha256",
)
REQUIRED = ("report_id", "file", "unit", "unit_level", "province", "report_year", "sha256")
UNIT_LEVELS = ("街道", "乡镇", "区县", "地市", "省级", "部门")
#: File endings counted as reports when checking for files that have no row.
REPORT_SUFFIXES = (".txt",)


def _fail(table: str, message: str) -> MetadataError:
    return MetadataError(f"{table}: {message}")


def load_metadata(corpus: Path | str = RAW) -> pd.DataFrame:
    """Read and validate ``reports.csv`` of a corpus folder against the files in it.

    Args:
        corpus: the corpus folder (default ``data/raw``).

    Returns:
        One row per report, columns :data:`COLUMNS` (missing optional columns added empty; ``macro_region``
        filled from ``province`` where empty), ``report_year`` as ``int``, ``dated`` as text.

    Raises:
        MetadataError: a problem with the table or the files, naming the file and the fix.
    """
    corpus = Path(corpus)
    table_path = corpus / "reports.csv"
    table = relative(table_path)
    if not table_path.is_file():
        raise _fail(table, "no metadata table; create it with one row per report and columns " + ", ".join(COLUMNS))
    try:
        meta = pd.read_csv(table_path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise _fail(table, f"cannot be read as a UTF-8 CSV table ({exc})") from None
    missing = [c for c in REQUIRED if c not in meta.columns]
    if missing:
        raise _fail(table, "missing column(s) " + ", ".join(missing) + "; the columns are " + ", ".join(COLUMNS))
    for column in COLUMNS:
        if column not in meta.columns:
            meta[column] = ""
    meta = meta[list(COLUMNS)].apply(lambda s: s.str.strip())
    for column in ("report_id", "file"):
        empty = meta.index[meta[column] == ""].tolist()
        if empty:
            raise _fail(table, f"row(s) {[i + 2 for i in empty]} have no {column}")
        dup = meta[meta[column].duplicated(keep=False)]
        if len(dup):
            raise _fail(table, f"duplicate {column} {sorted(set(dup[column]))} (files: {sorted(set(dup['file']))}); "
                        f"each report needs its own {column}")
    problems = []
    for row in meta.itertuples(index=False):
        path = corpus / row.file
        name = relative(path)
        if not path.is_file():
            problems.append(f"{name}: listed in {table} (report_id {row.report_id}) but no such file; "
                            "add the file or remove its row")
            continue
        if row.unit_level not in UNIT_LEVELS:
            problems.append(f"{name}: unit_level {row.unit_level!r} is not one of {'/'.join(UNIT_LEVELS)}")
        if not row.report_year.isdigit() or not 1990 <= int(row.report_year) <= 2100:
            problems.append(f"{name}: report_year {row.report_year!r} is not a year (the year reported on, e.g. 2024)")
        if row.dated and not _is_date(row.dated):
            problems.append(f"{name}: dated {row.dated!r} is not a date like 2025-01-06 (leave it empty when unknown)")
        expected = macro_region(row.province)
        if expected is None:
            problems.append(f"{name}: province {row.province!r} is not a Chinese province-level unit")
        elif row.macro_region and row.macro_region != expected:
            problems.append(f"{name}: macro_region {row.macro_region!r} disagrees with {row.province} ({expected})")
    if problems:
        raise _fail(table, "\n  " + "\n  ".join(problems))
    listed = {(corpus / f).resolve() for f in meta["file"]}
    unlisted = sorted(
        relative(p) for p in corpus.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.resolve() not in listed
    )
    if unlisted:
        raise _fail(table, "file(s) with no row: " + ", ".join(unlisted) + "; add a row for each (or move it out)")
    meta["macro_region"] = [m or macro_region(p) for m, p in zip(meta["macro_region"], meta["province"])]
    meta["report_year"] = meta["report_year"].astype(int)
    return meta


def _is_date(value: str) -> bool:
    try:
        pd.Timestamp(value)
    except ValueError:
        return False
    return len(value) == 10


@dataclass(frozen=True)
class Report:
    """One report: its metadata row, the raw file, the normalised text and its parts and items."""

    report_id: str
    meta: dict
    raw: RawReport
    normalised: NormalisedText
    segmentation: Segmentation = field(repr=False)

    @property
    def text(self) -> str:
        """The normalised text, which every offset in the study's tables points into."""
        return self.normalised.text


def load_report(path: Path | str, report_id: str | None = None, meta: dict | None = None,
                expected_sha256: str | None = None) -> Report:
    """Read, check, normalise and segment one report file.

    Args:
        path: the report file.
        report_id: its id (default: the file's stem).
        meta: its metadata row, if any.
        expected_sha256: the recorded checksum; a mismatch is a :class:`MetadataError`.

    Returns:
        The :class:`Report`.
    """
    path = Path(path)
    name = relative(path)
    raw = read_report(path, name)
    if expected_sha256 is not None and raw.sha256 != expected_sha256.lower():
        hint = "record it" if not expected_sha256 else "restore the original file, or if this is a new version, update"
        raise MetadataError(
            f"{name}: sha256 is {raw.sha256} but reports.csv records {expected_sha256 or 'nothing'}; raw reports "
            f"are immutable: {hint} its sha256 in reports.csv"
        )
    normalised = normalise(raw.text)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        seg = segment(normalised.text, name)
    return Report(report_id or path.stem, dict(meta or {}), raw, normalised, seg)


def load_corpus(corpus: Path | str = RAW) -> list[Report]:
    """Load every report of a corpus folder, in the order of ``reports.csv``.

    Args:
        corpus: the corpus folder (default ``data/raw``).

    Returns:
        The reports, validated against the metadata table.
    """
    corpus = Path(corpus)
    meta = load_metadata(corpus)
    return [
        load_report(corpus / row["file"], row["report_id"], row, row["sha256"])
        for row in meta.to_dict("records")
    ]


__all__ = ["COLUMNS", "MACRO_REGIONS", "Report", "load_corpus", "load_metadata", "load_report"]
