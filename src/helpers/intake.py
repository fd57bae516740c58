"""Take in a folder of reports as people actually have them: every file accounted for, nothing lost.

:func:`open_corpus` walks a corpus folder and decides, for every file in it, one of:

* ``analysed`` — a report (a ``.txt``/``.docx``/``.pdf``/``.html`` file, or one row of a table of reports:
  ``.csv``/``.tsv``/``.xlsx``/``.jsonl``/``.parquet`` with a text column), read, normalised and segmented;
* ``duplicate`` — the same bytes, or the same text once normalised, as a report already analysed (it is
  analysed once; ``same_as`` names the one kept);
* ``skipped`` — not readable as a report (``reason`` says why and ``fix`` what to do): an unsupported format
  (``.doc``, ``.wps``, ``.zip`` …), an empty, binary or wrongly encoded file, a scanned PDF, a table without a
  text column, a file that cannot be opened, a row of ``reports.csv`` whose file is missing or changed;
* ``metadata`` — the metadata table ``reports.csv``;
* ``ignored`` — system files (``.DS_Store``, ``Thumbs.db``, Word's ``~$`` lock files, hidden files) and
  output folders of earlier study runs.

Metadata come from ``reports.csv`` (or another table given) where it has a row; a report without a row, or a
row with empty fields, gets them inferred from its text (:func:`helpers.metadata.infer_row`), and the column
``inferred`` says which. Nothing is written anywhere: the caller decides what to save.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.corpus import Report, report_from_raw
from helpers.errors import MetadataError, ReportFormatError, StudyError
from helpers.metadata import (
    COLUMNS,
    INFERABLE,
    complete_columns,
    duplicate_problems,
    fill_regions,
    from_columns,
    infer_row,
    read_table,
    report_id_for,
    table_problems,
)
from helpers.paths import relative
from helpers.profiles import UNKNOWN, read_profiles
from helpers.read import SUFFIXES, TABLE_SUFFIXES, raw_from_text, read_document
from helpers.read import read_table as read_report_table
from helpers.unavailable import Note

#: Columns of the files table (:attr:`Intake.files`, written by a study run as ``files.csv``).
FILE_COLUMNS = ("file", "status", "report_id", "reason", "fix", "same_as", "sha256")
STATUSES = ("analysed", "duplicate", "skipped", "metadata", "ignored")
#: Columns a draft adds after :data:`helpers.metadata.COLUMNS`: what was inferred, the place's code, and why a
#: place was left empty.
DRAFT_EXTRAS = ("inferred", "adcode", "place_note")
#: A folder holding this file is the output of a study run, never a corpus (see :mod:`helpers.study`).
OUTPUT_MARKER = ".study-output"
_SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini", ".localized", "icon\r"}
#: What to do with formats that are not read, by ending.
UNSUPPORTED = {
    ".doc": "an old Word file: open it in Word or WPS and save it as .docx",
    ".wps": "a WPS Writer file: open it in WPS and save it as .docx",
    ".rtf": "a rich-text file: save it as .docx or .txt",
    ".odt": "an OpenDocument file: save it as .docx",
    ".ofd": "an OFD document: export it as PDF with a text layer, or as .txt",
    ".caj": "a CAJ document: export its text as .txt",
    ".xls": "an old Excel file: save it as .xlsx (one row per report, a text column)",
    ".zip": "an archive: unpack it into the folder (archives are not opened)",
    ".rar": "an archive: unpack it into the folder (archives are not opened)",
    ".7z": "an archive: unpack it into the folder (archives are not opened)",
    ".gz": "an archive: unpack it into the folder (archives are not opened)",
    ".tar": "an archive: unpack it into the folder (archives are not opened)",
    ".jpg": "an image: run OCR on it and save the text as .txt",
    ".jpeg": "an image: run OCR on it and save the text as .txt",
    ".png": "an image: run OCR on it and save the text as .txt",
    ".tif": "an image: run OCR on it and save the text as .txt",
    ".tiff": "an image: run OCR on it and save the text as .txt",
    ".json": "a JSON file: write one report per line as .jsonl, each with a text field",
}
_DEFAULT_FIX = "save the report as .txt, .docx, .pdf (with a text layer) or .html, or a table of reports as .csv"


@dataclass(frozen=True)
class Intake:
    """What a corpus folder holds: the reports analysed, every file's fate, and the metadata used.

    Attributes:
        reports: the reports to analyse, in ``report_id`` order of the metadata table.
        files: one row per file (and per table row that is not analysed): :data:`FILE_COLUMNS`.
        metadata: one row per analysed report: :data:`helpers.metadata.COLUMNS`, then :data:`DRAFT_EXTRAS`
            (``inferred``: fields inferred from the text; ``adcode``; ``place_note``: why a place was left empty),
            then any other columns a table of reports brought.
        metadata_source: the table the given metadata came from (``""`` when all of it was inferred).
    """

    reports: list[Report]
    files: pd.DataFrame
    metadata: pd.DataFrame
    metadata_source: str

    @property
    def needs_draft(self) -> bool:
        """True when some metadata were inferred, so a draft table is worth writing for the user to check."""
        return bool((self.metadata["inferred"] != "").any()) or not self.metadata_source

    def counts(self) -> dict[str, int]:
        """Files per status, in :data:`STATUSES` order (statuses with no file left out)."""
        counts = self.files["status"].value_counts()
        return {s: int(counts[s]) for s in STATUSES if s in counts}


@dataclass
class Candidate:
    """A file, or one row of a table of reports, that may be a report; picklable, so a worker can read it."""

    file: str  # as in reports.csv: the path relative to the corpus folder, ``#N`` for row N of a table
    path: Path
    row: int | None = None
    text: str | None = None
    columns: dict | None = None
    fmt: str = ""
    id_hint: str = ""  # what the report id is made from: the file name, with the row for tables of many rows


@dataclass
class Reading:
    """What reading one candidate gave: everything the intake's decisions need, and nothing large.

    ``problem``/``fix`` are set when it is not readable as a report; ``text_sha256`` is the hash of its
    normalised text (two formats of one report share it); ``note`` carries layout warnings; ``inferred`` the
    metadata read from its text (:func:`helpers.metadata.infer_row`).
    """

    sha256: str = ""
    problem: str = ""
    fix: str = ""
    text_sha256: str = ""
    note: str = ""
    inferred: dict | None = None
    encoding: str = ""
    raw_chars: int = 0
    chars: int = 0


def _entry(file: str, status: str, report_id: str = "", reason: str = "", fix: str = "", same_as: str = "",
           sha256: str = "") -> dict:
    return {"file": file, "status": status, "report_id": report_id, "reason": reason, "fix": fix,
            "same_as": same_as, "sha256": sha256}


def _walk(corpus: Path, entries: list[dict]) -> Iterator[Path]:
    """Every file below ``corpus`` in a stable order; what cannot be listed or is not a file goes to ``entries``."""
    def refused(exc: OSError) -> None:
        name = Path(exc.filename).relative_to(corpus).as_posix() if exc.filename else "?"
        entries.append(_entry(name + "/", "skipped", reason=f"the folder cannot be listed ({exc.strerror})",
                              fix="check its permissions, or move it out of the corpus folder"))

    for folder, dirs, files in os.walk(corpus, onerror=refused, followlinks=False):
        here = Path(folder)
        if (here / OUTPUT_MARKER).exists():
            entries.append(_entry(here.relative_to(corpus).as_posix() + "/", "ignored",
                                  reason="an output folder of an earlier study run (its pages are not reports)",
                                  fix="move it out of the corpus folder"))
            dirs.clear()
            continue
        for d in sorted(dirs):
            if (here / d).is_symlink():
                entries.append(_entry((here / d).relative_to(corpus).as_posix() + "/", "ignored",
                                      reason="a link to a folder (links are not followed)",
                                      fix="copy the reports into the corpus folder"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(files):
            yield here / name


def _where(fmt: str, number: int) -> str:
    """Where record ``number`` of a table is, as its user sees it (a spreadsheet counts the header as row 1)."""
    if fmt == "jsonl":
        return f"line {number}"
    if fmt in ("csv", "tsv", "xlsx"):
        return f"record {number} (row {number + 1} in a spreadsheet, after the header)"
    return f"record {number}"


#: A file name that marks a copy (``报告 (1).txt``, ``副本_报告.txt``, ``报告 - Copy.docx``): kept last among duplicates.
_COPY_NAME = re.compile(r"\(\d+\)|（\d+）|副本|拷贝|复制|copy", re.IGNORECASE)


def _scan(corpus: Path, table_path: Path | None, entries: list[dict]) -> list[Candidate]:
    """The candidate reports of a folder; everything else is recorded in ``entries``."""
    candidates = []
    table_resolved = table_path.resolve() if table_path is not None else None
    # resolving every path costs a system call per folder of it: only a file of the table's name can be the table
    table_names = {table_path.name, table_resolved.name} if table_path and table_resolved else set()
    for path in _walk(corpus, entries):
        file = path.relative_to(corpus).as_posix()
        suffix = path.suffix.lower()
        if path.name in table_names and path.resolve() == table_resolved:
            entries.append(_entry(file, "metadata", reason="the metadata table (one row per report)"))
        elif path.name.lower() in _SYSTEM_FILES or path.name.startswith((".", "~$")):
            entries.append(_entry(file, "ignored", reason="a system or lock file, not a report"))
        elif path.is_symlink() and not path.exists():
            entries.append(_entry(file, "skipped", reason="a broken link (its target does not exist)",
                                  fix="copy the report itself into the folder"))
        elif path.name.lower() in ("reports.csv", "reports.draft.csv") or path.name.lower().startswith("reports.draft"):
            entries.append(_entry(file, "ignored", reason="a metadata table that is not the one used",
                                  fix="pass it with --metadata to use it"))
        elif suffix in SUFFIXES:
            candidates.append(Candidate(file, path, fmt=SUFFIXES[suffix], id_hint=path.stem))
        elif suffix in TABLE_SUFFIXES:
            try:
                column, rows = read_report_table(path, file)
            except ReportFormatError as exc:
                entries.append(_entry(file, "skipped", reason=exc.problem, fix=exc.fix))
                continue
            for row in rows:
                label = f"{file}#{row.row}"
                where = _where(TABLE_SUFFIXES[suffix], row.row)
                if row.problem:
                    entries.append(_entry(label, "skipped", reason=row.problem,
                                          fix="mend that line (one JSON object per line) or delete it"))
                elif not row.text.strip():
                    entries.append(_entry(label, "skipped", reason=f"{where} has an empty '{column}' cell",
                                          fix=f"put the report's text in the '{column}' column or delete that row"))
                if row.problem or not row.text.strip():
                    continue
                hint = path.stem if len(rows) == 1 else f"{path.stem}-{row.row}"
                candidates.append(Candidate(label, path, row.row, row.text, row.columns, TABLE_SUFFIXES[suffix], hint))
        else:
            fix = UNSUPPORTED.get(suffix, _DEFAULT_FIX)
            what = fix.split(":", 1)[0] if suffix in UNSUPPORTED else f"files ending in {suffix or '(nothing)'} are not read"
            entries.append(_entry(file, "skipped", reason=what,
                                  fix=fix.split(": ", 1)[1] if suffix in UNSUPPORTED else _DEFAULT_FIX))
    return candidates


def _read(candidate: Candidate):
    if candidate.row is None:
        return read_document(candidate.path, relative(candidate.path))
    return raw_from_text(candidate.text or "", candidate.file, candidate.fmt)  # a table row always has a text


def candidate_sha256(candidate: Candidate) -> str:
    """The sha256 a candidate's report will have (its file's bytes, or its cell's UTF-8 text), without reading it as a report.

    Raises:
        OSError: the file cannot be opened (reading it as a report then says why).
    """
    if candidate.row is None:
        return hashlib.sha256(candidate.path.read_bytes()).hexdigest()
    return hashlib.sha256((candidate.text or "").encode("utf-8")).hexdigest()


def read_candidate(candidate: Candidate, given: dict[str, str], title: str = "",
                   infer: bool = True) -> tuple[Reading, Report | None]:
    """Read, normalise and segment one candidate and infer its metadata: the first half of the per-report step.

    Args:
        candidate: the file or table row.
        given: the metadata already known for it (:meth:`Plan.given_for`), which inference keeps and uses.
        title: a title known from a table's column.
        infer: infer metadata from the text (``Reading.inferred`` stays ``None`` without).

    Returns:
        The :class:`Reading` and the :class:`~helpers.corpus.Report` (``None`` when it is not readable; its
        ``report_id`` and ``meta`` are left empty: the intake's decisions give them).
    """
    try:
        raw = _read(candidate)
    except ReportFormatError as exc:
        return Reading(problem=exc.problem, fix=exc.fix), None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = report_from_raw(raw, "", {"genre": given.get("genre", "")}, title=title)
    # a layout warning (no part heading found …) travels with the file's row, without the file name again
    note = "; ".join(str(w.message).removeprefix(f"{raw.file}: ") for w in caught)
    inferred = infer_row(report, title=title, given={k: given.get(k, "") for k in INFERABLE}) if infer else None
    reading = Reading(raw.sha256, text_sha256=hashlib.sha256(report.text.encode("utf-8")).hexdigest(), note=note,
                      inferred=inferred, encoding=raw.encoding, raw_chars=len(raw.text), chars=len(report.text))
    return reading, report


def _table_label(table_path: Path | None) -> str:
    """The metadata table as messages name it (only a table lists files or records a sha256)."""
    return relative(table_path) if table_path else "the metadata table"


def _genre_problems(meta: pd.DataFrame) -> list[str]:
    """Rows whose ``genre`` (an optional column) names no profile."""
    if "genre" not in meta.columns:
        return []
    known = set(read_profiles()) | {UNKNOWN, ""}
    bad = meta.index[~meta["genre"].fillna("").astype(str).str.strip().isin(known)]
    return [f"row {i + 2}: genre {meta.at[i, 'genre']!r} has no profile; use one of {', '.join(read_profiles())} "
            "or leave it empty (the genre is then recognised from the title and text)" for i in bad]


def _given_metadata(table_path: Path | None) -> pd.DataFrame:
    """The user's metadata table, checked; an empty frame when there is none."""
    if table_path is None:
        return complete_columns(pd.DataFrame(columns=list(COLUMNS)))
    meta = read_table(table_path)
    name = relative(table_path)
    if "file" not in meta.columns:
        raise MetadataError(f"{name}: has no 'file' column (the report's file, relative to the corpus folder); "
                            "the columns are " + ", ".join(COLUMNS))
    meta = complete_columns(meta)
    problems = duplicate_problems(meta, required=("file",)) + table_problems(meta) + _genre_problems(meta)
    if problems:
        raise MetadataError(f"{name}: " + "\n  ".join(problems) + "\n  Correct the table and run again.")
    return meta


@dataclass
class Plan:
    """A corpus folder surveyed: the candidates in the order they are decided, and what was settled already.

    Attributes:
        corpus: the folder.
        table_path: the metadata table used, if any.
        given: the metadata table, checked (empty when there is none).
        entries: files already decided (ignored, unsupported, unreadable tables, rows listed but missing).
        order: the candidates: those listed in the table first (their ids are the user's), then the others in
            path order, names that mark a copy last — so that of two identical files the original is analysed.
    """

    corpus: Path
    table_path: Path | None
    given: pd.DataFrame
    entries: list[dict]
    order: list[Candidate]
    _rows: dict[str, dict] = field(init=False, repr=False)
    _known: dict[str, tuple[dict[str, str], str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rows = {row["file"]: row for row in self.given.to_dict("records")}
        self._known = {}

    @property
    def table_label(self) -> str:
        """The metadata table as messages name it."""
        return _table_label(self.table_path)

    def row_for(self, candidate: Candidate) -> dict:
        """The candidate's row of the metadata table (``{}`` when it has none)."""
        return dict(self._rows.get(candidate.file, {}))

    def given_for(self, candidate: Candidate) -> tuple[dict[str, str], str]:
        """``(known, title)``: the metadata known for a candidate (its row, then its table's columns) and a title."""
        if candidate.file not in self._known:  # asked for several times per candidate: worked out once
            row = self.row_for(candidate)
            columns, title = from_columns(candidate.columns or {})
            given = {k: v for k, v in row.items() if v and (k in COLUMNS or k == "genre")}
            known = {k: str(v) for k, v in {**columns, **given}.items()}
            self._known[candidate.file] = (known, title)
        known, title = self._known[candidate.file]
        return dict(known), title


def plan_corpus(corpus: Path | str, table_path: Path | str | None = None) -> Plan:
    """Survey a corpus folder (see the module docstring) without reading any report.

    Raises:
        StudyError: the folder does not exist or is not a folder.
        MetadataError: the metadata table is unreadable, or its values are wrong (naming the rows).
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        what = "is a file, not a folder" if corpus.exists() else "no such folder"
        raise StudyError(f"{relative(corpus)}: {what} — give the folder that holds your reports")
    if table_path is None and (corpus / "reports.csv").is_file():
        table_path = corpus / "reports.csv"
    table_path = Path(table_path) if table_path is not None else None
    given = _given_metadata(table_path)
    entries: list[dict] = []
    candidates = _scan(corpus, table_path, entries)
    by_file = {c.file: c for c in candidates}
    listed = [f for f in given["file"] if f]
    accounted = {e["file"] for e in entries}
    for f in listed:
        if f not in by_file and f not in accounted:
            what = "no such row in that table" if "#" in f else "no such file in the corpus folder"
            entries.append(_entry(f, "skipped", reason=f"listed in {_table_label(table_path)}, but {what}",
                                  fix="add the report to the corpus folder, or remove its row from the metadata table"))
    walked = {c.file: k for k, c in enumerate(candidates)}  # a folder's own files before its subfolders'
    unlisted = sorted((c for c in candidates if c.file not in set(listed)),
                      key=lambda c: (bool(_COPY_NAME.search(Path(c.file.split("#")[0]).name)), walked[c.file]))
    order = [by_file[f] for f in listed if f in by_file] + unlisted
    return Plan(corpus, table_path, given, entries, order)


class Decisions:
    """The intake's decisions, made in the plan's order from each candidate's :class:`Reading`.

    One candidate after another: unreadable → ``skipped``; a checksum other than the table's → ``skipped``;
    the same bytes or the same normalised text as one kept → ``duplicate``; else ``analysed``, with a report id
    (the table's, or one made from the file name) and its metadata (given, else inferred).
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.entries = list(plan.entries)
        self.rows: list[dict] = []
        self._taken = set(plan.given["report_id"]) - {""}
        self._kept: dict[str, str] = {}  # sha256 of bytes, or "text:" + sha256 of normalised text → file kept

    def same_bytes_as(self, sha256: str) -> str:
        """The file kept with these bytes, or ``""``: such a candidate need not be read at all."""
        return self._kept.get(sha256, "")

    def duplicate(self, candidate: Candidate, sha256: str) -> None:
        """Record a candidate with the same bytes as one kept, without reading it."""
        row = self.plan.row_for(candidate)
        self.entries.append(_entry(candidate.file, "duplicate", row.get("report_id", ""), "the same bytes as another report",
                                   "nothing to do: it is analysed once; remove the copy to silence this",
                                   self._kept[sha256], sha256))

    def decide(self, candidate: Candidate, reading: Reading) -> dict | None:
        """Decide one candidate; returns its metadata row when it is analysed, else ``None``."""
        row = self.plan.row_for(candidate)
        rid = row.get("report_id", "")
        if reading.problem:
            self.entries.append(_entry(candidate.file, "skipped", rid, reading.problem, reading.fix))
            return None
        if row.get("sha256") and row["sha256"].lower() != reading.sha256:
            self.entries.append(_entry(candidate.file, "skipped", rid,
                                       f"its sha256 is {reading.sha256[:12]}… but {self.plan.table_label} records "
                                       f"{row['sha256'][:12]}…", "raw reports are immutable: restore the original file, or "
                                       "if this is a new version, update its sha256 in the table", sha256=reading.sha256))
            return None
        if reading.sha256 in self._kept:
            self.duplicate(candidate, reading.sha256)
            return None
        text_key = "text:" + reading.text_sha256
        if text_key in self._kept:
            self.entries.append(_entry(candidate.file, "duplicate", rid, "the same text as another report (another "
                                       "format or encoding of it)", "nothing to do: it is analysed once", self._kept[text_key],
                                       reading.sha256))
            return None
        self._kept[reading.sha256] = self._kept[text_key] = candidate.file
        report_id = rid or report_id_for(candidate.id_hint, self._taken)
        known, _ = self.plan.given_for(candidate)
        meta = {**{c: "" for c in COLUMNS}, **known, **(reading.inferred or {}), "report_id": report_id,
                "file": candidate.file, "original_file": known.get("original_file") or Path(candidate.file.split("#")[0]).name,
                "sha256": reading.sha256}
        # a table's other columns (title, url …) travel with the report; long cells are text, not metadata
        meta.update({k: v for k, v in (candidate.columns or {}).items() if k not in meta and len(v) < 500})
        self.rows.append(meta)
        self.entries.append(_entry(candidate.file, "analysed", report_id, reason=reading.note, sha256=reading.sha256))
        return meta

    def metadata(self) -> pd.DataFrame:
        """One row per analysed report: :data:`helpers.metadata.COLUMNS`, :data:`DRAFT_EXTRAS`, then any others."""
        metadata = pd.DataFrame(self.rows)
        if metadata.empty:
            metadata = pd.DataFrame(columns=[*COLUMNS, *DRAFT_EXTRAS])
        metadata = fill_regions(complete_columns(metadata))
        lead = [*COLUMNS, *DRAFT_EXTRAS]
        return metadata[lead + [c for c in metadata.columns if c not in lead]].fillna("")

    def files(self) -> pd.DataFrame:
        """The files table: :data:`FILE_COLUMNS`, by status then file."""
        files = pd.DataFrame(self.entries, columns=list(FILE_COLUMNS))
        files["order"] = files["status"].map({s: k for k, s in enumerate(STATUSES)})
        return files.sort_values(["order", "file"], kind="stable").drop(columns="order").reset_index(drop=True)

    def source(self) -> str:
        """The metadata table's path as shown to people (``""`` when there is none)."""
        return relative(self.plan.table_path) if self.plan.table_path is not None else ""


def open_corpus(corpus: Path | str, table_path: Path | str | None = None, progress: bool = False) -> Intake:
    """Read every report of a corpus folder in this process, accounting for every file (see the module docstring).

    Args:
        corpus: the folder.
        table_path: the metadata table (default: ``corpus/reports.csv`` when it exists; none otherwise).
        progress: show a progress bar on stderr (command line only).

    Returns:
        The :class:`Intake`.

    Raises:
        StudyError: the folder does not exist or is not a folder.
        MetadataError: the metadata table is unreadable, or its values are wrong (naming the rows).
    """
    plan = plan_corpus(corpus, table_path)
    decisions = Decisions(plan)
    order = plan.order
    if progress:
        from tqdm import tqdm

        order = tqdm(order, desc="reading and segmenting", unit="report")
    reports = []
    for candidate in order:
        reading, report = read_candidate(candidate, *plan.given_for(candidate))
        meta = decisions.decide(candidate, reading)
        if meta is not None:
            assert report is not None, candidate.file  # decide() analyses only what was read
            reports.append(Report(meta["report_id"], meta, report.raw, report.normalised, report.segmentation))
    return Intake(reports, decisions.files(), decisions.metadata(), decisions.source())


def skipped_summary(files: pd.DataFrame, limit: int = 20) -> str:
    """The files that were not analysed, as lines a person reads at the end of a run (at most ``limit``)."""
    shown = files[files["status"].isin(["duplicate", "skipped", "ignored"])]
    lines = [f"  {r.status:<9} {r.file}: {r.reason}" + (f" ({r.same_as})" if r.same_as else "")
             + (f" — {r.fix}" if r.fix else "") for r in shown.head(limit).itertuples()]
    if len(shown) > limit:
        lines.append(f"  … and {len(shown) - limit} more (see files.csv)")
    return "\n".join(lines)


def status_counts(files: pd.DataFrame) -> pd.DataFrame:
    """Files per status, with what the status means (statuses no file has are left out)."""
    meaning = {
        "analysed": "read as a report",
        "duplicate": "same bytes or text as a report analysed: analysed once",
        "skipped": "not readable as a report (the reason and the fix are listed)",
        "metadata": "the metadata table",
        "ignored": "system files, lock files, earlier output folders",
    }
    counts = files["status"].value_counts()
    return pd.DataFrame([{"status": s, "files": int(counts[s]), "meaning": meaning[s]} for s in STATUSES if s in counts])


def not_analysed(files: pd.DataFrame) -> pd.DataFrame | Note:
    """The files that were not analysed as reports (duplicates, skipped, ignored), with reasons and fixes."""
    rows = files[files["status"].isin(["duplicate", "skipped", "ignored"])]
    if rows.empty:
        return Note("Every file in the folder was read as a report (or is the metadata table); none was skipped.")
    return rows[["file", "status", "reason", "fix", "same_as"]].reset_index(drop=True)


def inferred_metadata(metadata: pd.DataFrame) -> pd.DataFrame | Note:
    """Reports whose metadata were (partly) inferred from their text, with what was inferred and place notes."""
    rows = metadata[(metadata["inferred"] != "") | (metadata["place_note"] != "")]
    if rows.empty:
        return Note("All metadata come from the metadata table; none was inferred from the reports' text.")
    return rows[["report_id", "unit", "unit_level", "province", "city", "district", "report_year", "adcode",
                 "inferred", "place_note"]].reset_index(drop=True)
