"""Read a report file into text: detect its format and encoding, refuse what is not a report.

Plain text comes as UTF-8, UTF-8 with a byte-order mark, or GB18030/GBK; those are read. Word files (.docx),
PDFs with a text layer and HTML pages saved from a government site are read too (:func:`read_document`).
Everything else (UTF-16, Latin-1, Big5 mojibake, empty or binary files, scanned PDFs) is a
:class:`ReportFormatError` that names the file and says what to do, never a traceback from deep inside.

Reports in traditional characters are converted to simplified for analysis (OpenCC ``t2s``, one character for
one character, so every offset still points into the original); the original text is kept.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpers.errors import ReportFormatError

#: Encodings the study reads, in the order they are tried.
SUPPORTED_ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")

_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP container (for example .docx)",
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


def _plausible_chinese(text: str) -> bool:
    """True when a decoded text looks like Chinese prose rather than mojibake.

    GB18030 decodes most byte strings without error, so a successful decode proves little: Latin-1 or
    Big5 bytes come out as rare ideographs, private-use or unassigned code points. Real reports are
    overwhelmingly common (BMP) ideographs, ASCII and CJK punctuation.
    """
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    good = 0
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
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
        if controls > max(2, len(text) // 1000):
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


def read_report(path: Path | str, name: str | None = None) -> RawReport:
    """Read one report file.

    Args:
        path: the file.
        name: how to name the file in messages (default: the path as given).

    Returns:
        The decoded :class:`RawReport`.

    Raises:
        ReportFormatError: the file is missing, unreadable or not a supported text file.
    """
    label = name or str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ReportFormatError(label, "no such file", "check the path") from None
    except IsADirectoryError:
        raise ReportFormatError(label, "this is a folder, not a report file") from None
    text, encoding = decode_report(data, label)
    return RawReport(file=label, text=text, encoding=encoding, sha256=sha256_bytes(data))


#: File endings read as reports, and how.
SUFFIXES = {".txt": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}
_MIN_TEXT = 20


def _docx_text(data: bytes, label: str) -> str:
    import io
    import zipfile

    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportFormatError(label, f"not a readable Word .docx file ({exc})", "open it in Word and save it again as .docx") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes, label: str) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReportFormatError(label, "the PDF is encrypted", "save an unprotected copy")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except PdfReadError as exc:
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


def _simplified(text: str) -> tuple[str, bool]:
    """The text in simplified characters, character for character (offsets stay valid)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    converted = converter.convert(text)
    if converted == text:
        return text, False
    if len(converted) != len(text):  # a phrase conversion changed the length: convert one character at a time
        converted = "".join(c if len(out := converter.convert(c)) != 1 else out for c in text)
    return converted, True


def read_document(path: Path | str, name: str | None = None) -> RawReport:
    """Read a report in any supported format (:data:`SUFFIXES`), simplified for analysis where needed.

    Raises:
        ReportFormatError: unsupported ending, unreadable file, no text (a scanned PDF), or a text file in an
            unsupported encoding — always naming the file.
    """
    path = Path(path)
    label = name or str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReportFormatError(label, f"files ending in {path.suffix or '(nothing)'} are not read",
                                "use .txt, .docx, .pdf (with a text layer) or .html")
    if kind == "txt":
        raw = read_report(path, label)
        text, encoding, digest = raw.text, raw.encoding, raw.sha256
    else:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReportFormatError(label, "no such file", "check the path") from None
        if not data.strip():
            raise ReportFormatError(label, "the file is empty", "put the report in it or remove the file")
        digest, encoding = sha256_bytes(data), kind
        text = {"docx": _docx_text, "pdf": _pdf_text, "html": _html_text}[kind](data, label)
        if len(re.sub(r"\s", "", text)) < _MIN_TEXT:
            what = "no text layer (a scanned PDF?)" if kind == "pdf" else "almost no text"
            raise ReportFormatError(label, f"the {kind} file has {what}", "run OCR on it or save the text as .txt")
    analysis, converted = _simplified(text)
    return RawReport(label, text, encoding, digest, kind, analysis, converted)
