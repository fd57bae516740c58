"""The corpus: a folder of report files plus ``reports.csv``, validated against each other.

A corpus folder holds ``reports.csv`` (one row per report) and the files it names (``file`` is relative to the
folder). Loading checks the table against the files before anything is analysed: a missing file, a file with
no row, a duplicate id or file, a wrong sha256, an unknown region or level is a :class:`MetadataError` that
names the file and says what to do.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.errors import MetadataError, StudyError
from helpers.normalise import NormalisedText, normalise
from helpers.paths import RAW, relative
from helpers.read import SUFFIXES, RawReport, read_document
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
        if row.unit_level and row.unit_level not in UNIT_LEVELS:
            problems.append(f"{name}: unit_level {row.unit_level!r} is not one of {'/'.join(UNIT_LEVELS)}")
        if row.report_year and (not row.report_year.isdigit() or not 1990 <= int(row.report_year) <= 2100):
            problems.append(f"{name}: report_year {row.report_year!r} is not a year (the year reported on, e.g. 2024)")
        if row.dated and not _is_date(row.dated):
            problems.append(f"{name}: dated {row.dated!r} is not a date like 2025-01-06 (leave it empty when unknown)")
        expected = macro_region(row.province) if row.province else ""
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
    meta["macro_region"] = [m or (macro_region(p) or "" if p else "") for m, p in zip(meta["macro_region"], meta["province"])]
    meta["report_year"] = pd.to_numeric(meta["report_year"].replace("", None)).astype("Int64")
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
    raw = read_document(path, name)
    if expected_sha256 and raw.sha256 != expected_sha256.lower():
        raise MetadataError(
            f"{name}: sha256 is {raw.sha256} but reports.csv records {expected_sha256}; raw reports are immutable: "
            "restore the original file, or if this is a new version, update its sha256 in reports.csv"
        )
    normalised = normalise(raw.analysis_text)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        seg = segment(normalised.text, name)
    return Report(report_id or path.stem, dict(meta or {}), raw, normalised, seg)


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


_PROVINCES = ("北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 "
              "海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆").split()
_UNIT = re.compile(r"([\u4e00-\u9fff]{2,10}?(?:街道|乡|镇|县|区|市|局|委员会|办公室))(?:办事处|人民政府|党工委)?")
_YEAR_TITLE = re.compile(r"(\d{4})\s*年度?.{0,12}?法治政府建设")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _slug(name: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_-]+", "_", Path(name).stem).strip("_").lower()
    return slug or "report"


def infer_metadata(corpus: Path | str) -> pd.DataFrame:
    """A draft ``reports.csv`` for a folder of reports that came without one.

    From each report's text: ``unit`` (the first unit name in the title or sign-off), ``unit_level``,
    ``report_year`` (the year in the title, else the first year the preamble names), ``issuer`` and ``dated``
    (the sign-off), ``province`` (the first province named anywhere) and its ``macro_region``; ``sha256`` of the
    file. What cannot be inferred stays empty for the user to complete. Files that cannot be read are left out
    of the draft and reported by :func:`load_corpus` when the draft is used.
    """
    corpus = Path(corpus)
    rows, ids = [], set()
    for path in sorted(p for p in corpus.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()):
        try:
            report = load_report(path)
        except StudyError:
            continue
        text, seg = report.text, report.segmentation
        preamble = next((text[p.start : p.end] for p in seg.parts if p.part == "preamble"), text[:300])
        signoff = next((text[p.start : p.end] for p in seg.parts if p.part == "signoff"), "")
        year = _YEAR_TITLE.search(preamble) or re.search(r"(\d{4})\s*年", preamble)
        date = _DATE.search(signoff)
        unit_match = _UNIT.search(preamble) or _UNIT.search(signoff)
        unit = re.sub(r"^中共", "", unit_match.group(1)) if unit_match else ""
        level = ("街道" if unit.endswith("街道") else "乡镇" if unit.endswith(("乡", "镇")) else
                 "区县" if unit.endswith(("县", "区")) else "部门" if unit.endswith(("局", "委员会", "办公室")) else "")
        province = next((p for p in _PROVINCES if p in text), "")
        issuer = signoff.split("\n")[0] if signoff and not _DATE.match(signoff) else ""
        report_id = _slug(path.name)
        while report_id in ids:
            report_id += "_"
        ids.add(report_id)
        rows.append({
            "report_id": report_id, "file": path.relative_to(corpus).as_posix(), "original_file": path.name,
            "unit": unit, "unit_level": level, "province": province, "city": "", "district": "",
            "macro_region": macro_region(province) or "" if province else "",
            "report_year": year.group(1) if year else "",
            "dated": f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else "",
            "issuer": issuer, "source": "inferred from the text by helpers (please check)", "received": "",
            "sha256": report.raw.sha256,
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


__all__ = ["COLUMNS", "MACRO_REGIONS", "Report", "infer_metadata", "load_corpus", "load_metadata", "load_report"]
