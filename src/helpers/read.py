"""Read a report file into text: detect its encoding, refuse what is not a text report.

Government sites publish reports as UTF-8, UTF-8 with a byte-order mark, or GB18030/GBK; those are read.
Everything else (UTF-16, Latin-1, Big5 mojibake, empty or binary files) is a :class:`ReportFormatError`
that names the file and says what to do, never a ``UnicodeDecodeError`` from deep inside.
"""

from __future__ import annotations

import codecs
import hashlib
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
    """A report's file as read: its text exactly as decoded, the encoding, and the file's sha256."""

    file: str
    text: str
    encoding: str
    sha256: str


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
