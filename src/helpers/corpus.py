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

from helpers.errors import MetadataError, SegmentationWarning
from helpers.furniture import drop_furniture
from helpers.metadata import (
    COLUMNS,
    REQUIRED,
    UNIT_LEVELS,
    complete_columns,
    duplicate_problems,
    fill_regions,
    read_table,
    table_problems,
)
from helpers.normalise import NormalisedText
from helpers.paths import RAW, relative
from helpers.profiles import UNKNOWN, detect_genre, profile_for, read_profiles
from helpers.read import SUFFIXES, RawReport, read_document
from helpers.regions import MACRO_REGIONS
from helpers.segment import Segmentation, segment

#: File endings counted as reports when checking for files that have no row.
REPORT_SUFFIXES = tuple(SUFFIXES)


def _fail(table: str, message: str) -> MetadataError:
    return MetadataError(f"{table}: {message}")


def load_metadata(corpus: Path | str = RAW, table_path: Path | str | None = None) -> pd.DataFrame:
    """Read and validate ``reports.csv`` of a corpus folder against the files in it.

    Values a user may not know yet (``unit_level``, ``province``, ``report_year``, ``dated``, ``sha256``) may be
    left empty; a value that is given must be valid.

    Args:
        corpus: the corpus folder (default ``data/raw``).
        table_path: the metadata table, if not ``corpus/reports.csv`` (a draft written by ``helpers study``).

    Returns:
        One row per report, columns :data:`COLUMNS` (missing optional columns added empty; ``macro_region``
        filled from ``province`` where empty), ``report_year`` as ``int``, ``dated`` as text.

    Raises:
        MetadataError: a problem with the table or the files, naming the file and the fix.
    """
    corpus = Path(corpus)
    table_path = Path(table_path) if table_path is not None else corpus / "reports.csv"
    table = relative(table_path)
    meta = read_table(table_path)
    missing = [c for c in REQUIRED if c not in meta.columns]
    if missing:
        raise _fail(table, "missing column(s) " + ", ".join(missing) + "; the columns are " + ", ".join(COLUMNS))
    meta = complete_columns(meta)[list(COLUMNS)]
    problems = duplicate_problems(meta)
    if problems:
        raise _fail(table, "; ".join(problems))
    problems = [f"{relative(corpus / p.split(':', 1)[0])}:{p.split(':', 1)[1]}"
                for p in table_problems(meta, exists=lambda f: (corpus / f).is_file())]
    if problems:
        raise _fail(table, "\n  " + "\n  ".join(problems).replace(" listed (", f" listed in {table} ("))
    listed = {(corpus / f).resolve() for f in meta["file"]}
    unlisted = sorted(
        relative(p) for p in corpus.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.resolve() not in listed
    )
    if unlisted:
        raise _fail(table, "file(s) with no row: " + ", ".join(unlisted) + "; add a row for each (or move it out)")
    meta = fill_regions(meta)
    meta["report_year"] = pd.to_numeric(meta["report_year"].replace("", None)).astype("Int64")
    return meta


@dataclass(frozen=True)
class Report:
    """One report: its metadata row, the raw file, the normalised text and its parts and items."""

    report_id: str
    meta: dict
    raw: RawReport
    normalised: NormalisedText
    segmentation: Segmentation = field(repr=False)
    genre: str = "fazhi_report"
    #: What showed the genre: ``given`` (the metadata), ``title``, ``opening``, ``cues`` or ``none``.
    genre_evidence: str = "given"
    #: Page-furniture lines dropped before segmenting (:mod:`helpers.furniture`).
    furniture_lines: int = 0

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
    raw = read_document(path, name)
    if expected_sha256 and raw.sha256 != expected_sha256.lower():
        raise MetadataError(
            f"{name}: sha256 is {raw.sha256} but reports.csv records {expected_sha256}; raw reports are immutable: "
            "restore the original file, or if this is a new version, update its sha256 in reports.csv"
        )
    return report_from_raw(raw, report_id or path.stem, meta)


def report_from_raw(raw: RawReport, report_id: str, meta: dict | None = None, title: str = "") -> Report:
    """Normalise (dropping page furniture), recognise the genre and segment a report already read.

    The genre is ``meta["genre"]`` when given, else detected (:func:`helpers.profiles.detect_genre`, from
    ``title`` or ``meta["title"]`` and the text); a report that fits no profile is segmented by the 法治
    report's rules, gets the genre ``unknown`` and a :class:`SegmentationWarning` naming the file.
    """
    meta = dict(meta or {})
    normalised, furniture = drop_furniture(raw.analysis_text)
    given = str(meta.get("genre") or "").strip()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        if given:
            genre, evidence = given, "given"
        else:
            genre, evidence = detect_genre(title or str(meta.get("title") or ""), normalised.text)
        if genre == UNKNOWN:
            warnings.warn(f"{raw.file}: its genre was not recognised (no title or opening line names one of "
                          f"{', '.join(p.name for p in read_profiles().values())}); read with the 法治 report's "
                          "part rules — give its genre in reports.csv (column genre) if that is wrong",
                          SegmentationWarning, stacklevel=2)
        seg = segment(normalised.text, raw.file, profile_for(genre))
    return Report(report_id, meta, raw, normalised, seg, genre, evidence, furniture)


def load_corpus(corpus: Path | str = RAW, table_path: Path | str | None = None, progress: bool = False) -> list[Report]:
    """Load every report of a corpus folder, in the order of ``reports.csv``.

    Args:
        corpus: the corpus folder (default ``data/raw``).
        table_path: the metadata table, if not ``corpus/reports.csv``.
        progress: show a progress bar on stderr (for the command line; never in notebooks).

    Returns:
        The reports, validated against the metadata table.
    """
    corpus = Path(corpus)
    meta = load_metadata(corpus, table_path)
    rows = meta.to_dict("records")
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, desc="reading and segmenting", unit="report")
    return [load_report(corpus / row["file"], row["report_id"], row, row["sha256"]) for row in rows]


__all__ = ["COLUMNS", "MACRO_REGIONS", "UNIT_LEVELS", "Report", "load_corpus", "load_metadata", "load_report", "report_from_raw"]
