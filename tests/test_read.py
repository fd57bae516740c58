"""Reading report files: encodings that are read, and inputs that are clear errors naming the file."""

from __future__ import annotations

import codecs

import pytest

from helpers.errors import ReportFormatError
from helpers.read import decode_report, read_report

SAMPLE = "一、主要举措和成效\n一是强化党建引领，坚持依法行政。全年调解矛盾纠纷120件。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
    ],
)
def test_supported_encodings_give_the_same_text(data, encoding):
    text, found = decode_report(data, "x.txt")
    assert (text, found) == (SAMPLE, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t ", "empty"),
        ("\u3000\n".encode("utf-8"), "only white space"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "UTF-16"),
        (SAMPLE.encode("utf-16-le"), "NUL"),
        ("Résumé des activités, café crème à Paris".encode("latin-1"), "neither UTF-8 nor GB18030"),
        (SAMPLE.encode("big5", errors="ignore"), "neither UTF-8 nor GB18030"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_bad_inputs_are_clear_errors_naming_the_file(data, message):
    with pytest.raises(ReportFormatError, match=message) as info:
        decode_report(data, "data/raw/reports/bad.txt")
    assert str(info.value).startswith("data/raw/reports/bad.txt: ")


def test_read_report_names_missing_file_and_folder(tmp_path):
    with pytest.raises(ReportFormatError, match="nope.txt: no such file"):
        read_report(tmp_path / "nope.txt", "nope.txt")
    with pytest.raises(ReportFormatError, match="folder"):
        read_report(tmp_path, "folder")


def test_read_report_keeps_checksum_of_the_bytes(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    raw = read_report(path)
    assert raw.encoding == "gb18030" and raw.text == SAMPLE
    import hashlib

    assert raw.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
