"""Read a report file into text: detect its format and encoding, refuse what is not a report.

Plain text comes as UTF-8, UTF-8 with a byte-order mark, or GB18030/GBK; those are read. Word files (.docx, in
document order, tables included), PDFs with a text layer (also those protected by an owner password only, which
open in any viewer) and HTML pages saved from a government site are read too (:func:`read_document`).
A corpus that comes as a table — CSV, TSV, XLSX, JSONL or Parquet with one row per report and a text column,
the way scraped collections usually come — is read by :func:`read_table`, and each row's text becomes a report
with :func:`raw_from_text`.
Everything else (UTF-16, Latin-1, Big5 mojibake, empty or binary files, scanned PDFs, files that the system
will not let us read) is a :class:`ReportFormatError` that names the file and says what to do, never a
traceback from deep inside.

Reports in traditional characters are converted to simplified for analysis (OpenCC ``t2s``, one character for
one character, so every offset still points into the original); the original text is kept.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from helpers.errors import ReportFormatError

#: Encodings the study reads, in the order they are tried.
SUPPORTED_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")

_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP container (for example .docx or .xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
_TEXT_FIX = "save it as UTF-8 (or GB18030) plain text and run again"


@dataclass(frozen=True)
class RawReport:
    """A report's file as read.

    ``text`` is the text exactly as decoded (or extracted from .docx/.pdf/.html), ``analysis_text`` the same
    text in simplified characters (identical when the report is already simplified; same length always).
    """

    file: str
    text: str
    encoding: str
    sha256: str
    format: str = "txt"
    analysis_text: str = ""
    converted_from_traditional: bool = False

    def __post_init__(self) -> None:
        if not self.analysis_text:
            object.__setattr__(self, "analysis_text", self.text)


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


#: Control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) other than tab, LF, VT, FF and CR.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _plausible_chinese(text: str) -> bool:
    """True when a decoded text looks like Chinese prose rather than mojibake.

    GB18030 decodes most byte strings without error, so a successful decode proves little: Latin-1 or
    Big5 bytes come out as rare ideographs, private-use or unassigned code points. Real reports are
    overwhelmingly common (BMP) ideographs, ASCII and CJK punctuation.
    """
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    good = 0.0
    cjk = 0
    for c in chars:
        cp = ord(c)
        if 0x4E00 <= cp <= 0x9FFF:
            cjk += 1
            good += 1
        elif cp < 0x7F or 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or 0x2000 <= cp <= 0x206F:
            good += 1
        elif unicodedata.category(c)[0] in "LNPS" and cp < 0x3000:
            good += 0.5  # accented Latin, symbols: possible, but not what GBK reports are made of
    return cjk > 0 and good / len(chars) >= 0.95


def decode_report(data: bytes, file: str) -> tuple[str, str]:
    """Decode a report's bytes.

    Args:
        data: the file's bytes.
        file: the name to use in error messages.

    Returns:
        ``(text, encoding)`` with ``encoding`` one of :data:`SUPPORTED_ENCODINGS`.

    Raises:
        ReportFormatError: empty, binary, UTF-16/32, or not decodable as a supported encoding.
    """
    if not data.strip():
        raise ReportFormatError(file, "the file is empty", "put the report's text in it or remove the file")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ReportFormatError(file, f"this is {what}, not a plain-text report", _TEXT_FIX)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ReportFormatError(file, "the file is UTF-16/UTF-32 text, which the study does not read", _TEXT_FIX)
    if b"\x00" in data:
        raise ReportFormatError(file, "the file contains NUL bytes: binary data or UTF-16 without a BOM", _TEXT_FIX)
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROLS.findall(text))
        if controls > max(2, len(text) // _CHARS_PER_STRAY_CONTROL):
            raise ReportFormatError(file, f"the file has {controls} control characters: it is not plain text", _TEXT_FIX)
        if encoding == "gb18030" and not _plausible_chinese(text):
            break
        if not text.strip():
            raise ReportFormatError(file, "the file holds only white space", "put the report's text in it or remove the file")
        return text, encoding
    raise ReportFormatError(
        file,
        "the text is neither UTF-8 nor GB18030/GBK (tried " + ", ".join(SUPPORTED_ENCODINGS) + ")",
        _TEXT_FIX,
    )


def _unreadable(path: Path, label: str, exc: OSError) -> ReportFormatError:
    """The :class:`ReportFormatError` for an operating-system error met while opening or reading ``path``."""
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return ReportFormatError(label, "the file is a link to something that no longer exists (a broken symlink)",
                                     "point the link at the report or remove it")
        return ReportFormatError(label, "no such file", "check the path")
    if isinstance(exc, IsADirectoryError):
        return ReportFormatError(label, "this is a folder, not a report file", "give the path of a file inside it")
    if isinstance(exc, NotADirectoryError):
        return ReportFormatError(label, "no such file (a part of the path is a file, not a folder)", "check the path")
    if isinstance(exc, PermissionError):
        return ReportFormatError(label, "the file cannot be read (permission denied)", "check its permissions")
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ReportFormatError(label, f"the file cannot be read ({reason})", "check the disk or copy the file again")


def _read_bytes(path: Path, label: str) -> bytes:
    """The bytes of ``path``; every OS error is a :class:`ReportFormatError` naming ``label``."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, label, exc) from None


@contextmanager
def _open_binary(path: Path, label: str) -> Iterator[IO[bytes]]:
    """``path`` opened for reading bytes; OS errors while opening or reading are :class:`ReportFormatError`."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise _unreadable(path, label, exc) from None
    try:
        with handle:
            yield handle
    except ReportFormatError:
        raise
    except OSError as exc:  # a read that fails half-way (a disk error, a file on a network share that went away)
        raise _unreadable(path, label, exc) from None


def read_text_file(path: Path | str, name: str | None = None) -> RawReport:
    """Read one plain-text report file.

    Args:
        path: the file.
        name: how to name the file in messages (default: the path as given).

    Returns:
        The decoded :class:`RawReport`.

    Raises:
        ReportFormatError: the file is missing, a folder, a broken link, unreadable (permissions, disk) or not
            a supported text file.
    """
    label = name or str(path)
    data = _read_bytes(Path(path), label)
    text, encoding = decode_report(data, label)
    return RawReport(file=label, text=text, encoding=encoding, sha256=sha256_bytes(data))


#: File endings read as reports, and how.
SUFFIXES = {".txt": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
_MIN_TEXT = 20
#: Plain text may hold a few stray control characters: up to 2, or one per this many characters.
_CHARS_PER_STRAY_CONTROL = 1000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: A table row whose cells each hold one line of at most this many characters is data: it stays one line.
_DATA_CELL_CHARS = 40
#: Between the cells of a data row. The normaliser folds the spaces away (``120件|15%``); the bar survives, so
#: a figure stays beside its neighbours, and the first cell stays at the start of the line.
CELL_SEPARATOR = " | "


def _docx_blocks(element, parent, lines: list[str]) -> None:
    """Append the lines of the paragraphs and tables directly inside ``element`` (a body or a cell), in order.

    Content controls (``w:sdt``) and custom-XML wrappers are looked through: form templates put whole
    sections inside them.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            lines.append(Paragraph(child, parent).text)
        elif tag == _W + "tbl":
            _docx_table(Table(child, parent), lines)
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _docx_blocks(content, parent, lines)
        elif tag == _W + "customXml":
            _docx_blocks(child, parent, lines)


def _docx_table(table, lines: list[str]) -> None:
    """Append a table's lines: a data row as one line, a row with long or several-line cells cell by cell.

    python-docx repeats a merged cell in every grid position it spans (across columns and down rows); the
    repeats are skipped, so a heading merged over two rows is read once.
    """
    seen = set()  # the w:tc elements already read; holding them keeps lxml's proxies (and so identity) alive
    for row in table.rows:
        cells: list[list[str]] = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            cell_lines: list[str] = []
            _docx_blocks(cell._tc, cell, cell_lines)
            cells.append([line.strip() for text in cell_lines for line in text.split("\n") if line.strip()])
        if not any(cells):
            continue
        if all(len(c) <= 1 and all(len(line) <= _DATA_CELL_CHARS for line in c) for c in cells):
            lines.append(CELL_SEPARATOR.join(c[0] if c else "" for c in cells))
        else:  # a form: a heading cell beside a content cell of several paragraphs, each on its own line
            lines.extend(line for c in cells for line in c)


def _docx_text(data: bytes, label: str) -> str:
    """The text of a .docx body in document order: paragraphs and tables as they come, no headers or footers."""
    import io
    import zipfile

    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportFormatError(label, f"not a readable Word .docx file ({exc})",
                                "open it in Word and save it again as .docx") from None
    lines: list[str] = []
    _docx_blocks(document.element.body, document, lines)
    return "\n".join(lines)


_PASSWORD_FIX = "save an unprotected copy"


def _pdf_text(data: bytes, label: str) -> str:
    """The text layer of a PDF; an owner password alone (the file opens in any viewer) does not stop it."""
    import io

    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        # an owner password only restricts printing or copying: the empty user password opens the file
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise FileNotDecryptedError("a user password is needed")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except DependencyError:  # AES encryption without pypdf's optional dependency
        raise ReportFormatError(label, "the PDF is AES-encrypted and reading it needs the cryptography package",
                                "install it (pip install cryptography) or " + _PASSWORD_FIX) from None
    except FileNotDecryptedError:
        raise ReportFormatError(label, "the PDF needs a password to open", _PASSWORD_FIX) from None
    # a damaged PDF fails inside pypdf in many ways besides its own errors
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ReportFormatError(label, f"not a readable PDF ({exc})", "open it and save it again as PDF") from None
    # NUL characters are artefacts of some fonts' character maps, never text
    return text.replace("\x00", "")


def _html_text(data: bytes, label: str) -> str:
    import trafilatura

    for encoding in ("utf-8-sig", "gb18030"):  # pages say their charset, but often wrongly: try both
        try:
            html = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReportFormatError(label, "the HTML page is neither UTF-8 nor GB18030", "save it again as UTF-8")
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True,
                               deduplicate=False, with_metadata=False)
    if not text:
        raise ReportFormatError(label, "no main text found in the HTML page", "save the report's text as .txt")
    return text


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> tuple[str, bool]:
    """The text in simplified characters, character for character (offsets stay valid)."""
    converter = _t2s()
    converted = converter.convert(text)
    if converted == text:
        return text, False
    if len(converted) != len(text):  # a phrase conversion changed the length: convert one character at a time
        converted = "".join(c if len(out := converter.convert(c)) != 1 else out for c in text)
    return converted, True


def read_document(path: Path | str, name: str | None = None) -> RawReport:
    """Read a report in any supported format (:data:`SUFFIXES`), simplified for analysis where needed.

    Raises:
        ReportFormatError: unsupported ending (a table of reports is named as such: read it with
            :func:`read_table`), unreadable file (missing, a folder, a broken link, permission denied), no
            text (a scanned PDF), a PDF that needs a password, or a text file in an unsupported encoding —
            always naming the file.
    """
    path = Path(path)
    label = name or str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        if path.suffix.lower() in TABLE_SUFFIXES:
            raise ReportFormatError(label, f"a {path.suffix} file is a table of reports, not one report",
                                    "read it with read_table (one report per row)")
        raise ReportFormatError(label, f"files ending in {path.suffix or '(nothing)'} are not read",
                                "use .txt, .docx, .pdf (with a text layer) or .html")
    if kind == "txt":
        raw = read_text_file(path, label)
        text, encoding, digest = raw.text, raw.encoding, raw.sha256
    else:
        data = _read_bytes(path, label)
        if not data.strip():
            raise ReportFormatError(label, "the file is empty", "put the report in it or remove the file")
        digest, encoding = sha256_bytes(data), kind
        text = {"docx": _docx_text, "pdf": _pdf_text, "html": _html_text}[kind](data, label)
        if len(re.sub(r"\s", "", text)) < _MIN_TEXT:
            what = "no text layer (a scanned PDF?)" if kind == "pdf" else "almost no text"
            raise ReportFormatError(label, f"the {kind} file has {what}", "run OCR on it or save the text as .txt")
    analysis, converted = _simplified(text)
    return RawReport(label, text, encoding, digest, kind, analysis, converted)


# --- a corpus as a table: one row per report -------------------------------------------------------------------

#: Endings read as tables of reports (one row per report, a text column).
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".parquet": "parquet"}
#: Column names taken as the report's text, in order of preference (case-insensitive).
TEXT_COLUMNS = ("full_text", "text", "content", "body", "正文", "全文", "内容", "文本")

_TABLE_FIX = {
    "csv": "open it in a spreadsheet program and save it again as CSV UTF-8 (逗号分隔)",
    "tsv": "open it in a spreadsheet program and save it again as UTF-8 tab-separated text",
    "xlsx": "open it in Excel or WPS and save it again as .xlsx",
    "jsonl": "write one JSON object per line, each with the report's text",
    "parquet": "write it again as Parquet, or save the table as CSV",
}
_TABLE_PACKAGE = {"xlsx": "openpyxl", "parquet": "pyarrow"}
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class TableRow:
    """One record of a table of reports.

    ``row`` is the 1-based record number (the first data row is 1, whatever the header or line breaks inside
    cells), ``text`` the report's text as stored in the text column ("" when the cell is empty), ``columns``
    every other column as text ("" for a missing value).
    """

    row: int
    text: str
    columns: dict[str, str]
    problem: str = ""  # why this record could not be read (a JSONL line that is not JSON); the text is then ""


def _cell_text(value) -> str:
    """A table cell as text: "" for a missing value, ``2026`` not ``2026.0``, a midnight timestamp as a date."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    import pandas as pd

    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _text_column(names: list[str], label: str) -> str:
    """The column holding each report's text: the first of :data:`TEXT_COLUMNS` present, whatever its case."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.strip().lstrip("\ufeff").casefold(), name)
    for wanted in TEXT_COLUMNS:
        if wanted.casefold() in by_key:
            return by_key[wanted.casefold()]
    found = ", ".join(names) if names else "none"
    raise ReportFormatError(
        label,
        f"a table without a text column, not a corpus of reports (its columns: {found}; a report's text is "
        f"looked for in a column named " + ", ".join(TEXT_COLUMNS) + ")",
        "give the column that holds each report's full text one of those names",
    )


def _sniff_separator(head: bytes, expected: str) -> str:
    """The field separator: ``expected`` unless the header line lacks it and has another (a TSV saved as .csv)."""
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    if expected in first:
        return expected
    counts = {sep: first.count(sep) for sep in (",", "\t", ";") if sep != expected}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else expected


def _read_delimited(path: Path, label: str, fmt: str):
    """A CSV or TSV as a frame of strings (empty cells are ""), its encoding detected like a text report's."""
    import pandas as pd

    with _open_binary(path, label) as handle:
        head = handle.read(_SNIFF_BYTES)
        if not head.strip():
            raise ReportFormatError(label, "the file is empty", "put one report per row in it or remove the file")
        for magic, what in _BINARY_MAGIC.items():
            if head.startswith(magic):
                raise ReportFormatError(label, f"this is {what}, not a {fmt.upper()} table", _TABLE_FIX[fmt])
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            raise ReportFormatError(label, "the table is UTF-16 text (Excel's 'Unicode text'), which the study does "
                                    "not read", _TABLE_FIX[fmt])
        sep = _sniff_separator(head, "\t" if fmt == "tsv" else ",")
        candidates = ("utf-8-sig",) if head.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
        for encoding in candidates:
            handle.seek(0)
            try:
                frame = pd.read_csv(handle, sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                                    encoding=encoding)
            except UnicodeDecodeError:
                continue
            except pd.errors.EmptyDataError:
                raise ReportFormatError(label, "the file is empty", "put one report per row in it or remove the file") from None
            except (ValueError, IndexError, OverflowError) as exc:  # pandas' ParserError is a ValueError
                raise ReportFormatError(label, f"not a readable {fmt.upper()} table ({exc})", _TABLE_FIX[fmt]) from None
            if encoding == "gb18030" and not _plausible_chinese(_sample(frame)):
                break  # GB18030 decodes almost anything: Big5 or Latin-1 bytes come out as rare ideographs
            return frame
    raise ReportFormatError(label, "the table is neither UTF-8 nor GB18030/GBK (tried " + ", ".join(SUPPORTED_ENCODINGS)
                            + ")", _TABLE_FIX[fmt])


def _sample(frame, chars: int = 20_000, rows: int = 200) -> str:
    """The first ``chars`` characters of a frame's cells (the header and at most ``rows`` rows), for a plausibility check."""
    parts = [str(c) for c in frame.columns]
    total = sum(map(len, parts))
    for values in frame.head(rows).itertuples(index=False):
        for value in values:
            parts.append(value)
            total += len(value)
        if total >= chars:
            break
    return "\n".join(parts)[:chars]


def _read_other(path: Path, label: str, fmt: str):
    """An XLSX (first sheet), JSONL or Parquet table as a frame, read by pandas from the open file."""
    import warnings

    import pandas as pd

    with _open_binary(path, label) as handle:
        if not handle.read(1):
            raise ReportFormatError(label, "the file is empty", "put one report per row in it or remove the file")
        handle.seek(0)
        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles and data validation that WPS and Excel write; none affect the text
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                if fmt == "xlsx":
                    return pd.read_excel(handle, sheet_name=0, dtype=object, na_filter=False, engine="openpyxl")
                if fmt == "jsonl":
                    # dtype=False: no guessing of dates or numbers, a "2026" stays the text it was
                    return pd.read_json(handle, lines=True, dtype=False)
                return pd.read_parquet(handle)
        except ImportError as exc:
            package = _TABLE_PACKAGE.get(fmt) or exc.name or "a package"
            raise ReportFormatError(label, f"reading .{fmt} tables needs the {package} package, which is not installed",
                                    f"install it (pip install {package}) or save the table as CSV") from None
        except ReportFormatError:
            raise
        except OSError as exc:
            if exc.errno is not None:  # a failure of the disk, not of the format: _open_binary words it
                raise
            # pyarrow reports damaged Parquet metadata as an OSError without an errno
            raise ReportFormatError(label, f"not a readable {fmt.upper()} table ({' '.join(str(exc).split())})",
                                    _TABLE_FIX[fmt]) from None
        # openpyxl and pyarrow fail on a damaged file in many ways besides their own errors
        except Exception as exc:  # noqa: BLE001
            reason = " ".join(str(exc).split())
            raise ReportFormatError(label, f"not a readable {fmt.upper()} table ({type(exc).__name__}: {reason})",
                                    _TABLE_FIX[fmt]) from None


def read_table(path: Path | str, name: str | None = None) -> tuple[str, list[TableRow]]:
    """Read a corpus given as a table: one row per report, the report's text in one column.

    CSV and TSV are read in UTF-8 (with or without a byte-order mark) or GB18030/GBK (what Excel on Chinese
    Windows writes), every column as text. XLSX (its first sheet) needs openpyxl, Parquet pyarrow; JSONL is one
    JSON object per line. The text column is the first of :data:`TEXT_COLUMNS` found, whatever its case.
    Excel holds at most 32,767 characters in a cell: a longer report cut there is not detected.

    A row whose text cell is empty is returned with ``text == ""``, not refused with the whole table: the
    caller lists such rows (and :func:`raw_from_text` refuses them one by one).

    Args:
        path: the table file, ending in one of :data:`TABLE_SUFFIXES`.
        name: how to name the file in messages (default: the path as given).

    Returns:
        ``(text_column, rows)``: the name of the text column as written in the table, and one
        :class:`TableRow` per record, in order.

    Raises:
        ReportFormatError: an unsupported ending, an unreadable file (missing, a folder, permission denied), a
            damaged file or one in an unsupported encoding, a table without rows, or without a text column
            (naming the columns found and the names looked for).

    Example:
        >>> column, rows = read_table("2026_上海市_政府工作报告.csv")  # doctest: +SKIP
        >>> column, rows[0].row, rows[0].columns["province"]  # doctest: +SKIP
        ('full_text', 1, '上海市')
    """
    path = Path(path)
    label = name or str(path)
    fmt = TABLE_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ReportFormatError(label, f"files ending in {path.suffix or '(nothing)'} are not read as tables",
                                "use .csv, .tsv, .xlsx, .jsonl or .parquet")
    if fmt == "jsonl":
        return _read_jsonl(path, label)
    frame = _read_delimited(path, label, fmt) if fmt in ("csv", "tsv") else _read_other(path, label, fmt)
    return _rows(frame, label)


def _rows(frame, label: str, numbers: list[int] | None = None) -> tuple[str, list[TableRow]]:
    """The text column and one :class:`TableRow` per record of ``frame`` (numbered 1… unless ``numbers``)."""
    names = [_cell_text(c) for c in frame.columns]
    column = _text_column(names, label)
    if len(frame) == 0:
        raise ReportFormatError(label, "the table has no rows", "put one report per row in it or remove the file")
    # column by column: one list of strings each, shared by the rows (no copy of the texts)
    values = [[_cell_text(v) for v in frame.iloc[:, k].tolist()] for k in range(frame.shape[1])]
    del frame
    at = names.index(column)
    others = [(names[k], values[k]) for k in range(len(names)) if k != at]
    numbers = numbers or list(range(1, len(values[at]) + 1))
    return column, [
        TableRow(numbers[i], text, {n: v[i] for n, v in others}) for i, text in enumerate(values[at])
    ]


def _read_jsonl(path: Path, label: str) -> tuple[str, list[TableRow]]:
    """A JSONL table read line by line: a line that is not a JSON object is one record that failed, not the file.

    Records are numbered by their line in the file, so a message points at the line to mend.
    """
    import json

    import pandas as pd

    records, numbers, broken = [], [], []
    with _open_binary(path, label) as handle:
        data = handle.read()
    if not data.strip():
        raise ReportFormatError(label, "the file is empty", "put one report per line in it or remove the file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportFormatError(label, "the JSONL file is not UTF-8", _TABLE_FIX["jsonl"]) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            broken.append(TableRow(number, "", {}, f"line {number} is not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        if not isinstance(record, dict):
            broken.append(TableRow(number, "", {}, f"line {number} is not a JSON object"))
            continue
        records.append(record)
        numbers.append(number)
    if not records:
        if broken:
            raise ReportFormatError(label, f"no line is a JSON object ({broken[0].problem})", _TABLE_FIX["jsonl"])
        raise ReportFormatError(label, "the table has no rows", "put one report per line in it or remove the file")
    column, rows = _rows(pd.DataFrame.from_records(records).astype(object), label, numbers)
    return column, sorted(rows + broken, key=lambda r: r.row)


def raw_from_text(text: str, label: str, fmt: str) -> RawReport:
    """A :class:`RawReport` for a report that came as text, not as a file (a row of a table).

    Args:
        text: the report's text as stored (for example :attr:`TableRow.text`).
        label: how to name the report in messages, for example ``"provinces.csv row 3"``.
        fmt: the table's format (a value of :data:`TABLE_SUFFIXES`); kept as ``format`` and ``encoding``.

    Returns:
        The report, its ``sha256`` that of the text's UTF-8 bytes, simplified for analysis like other formats.

    Raises:
        ReportFormatError: the text is empty or only white space.
    """
    if not text.strip():
        raise ReportFormatError(label, "the report's text cell is empty", "fill in the text or remove the row")
    analysis, converted = _simplified(text)
    return RawReport(label, text, fmt, sha256_bytes(text.encode("utf-8")), fmt, analysis, converted)
