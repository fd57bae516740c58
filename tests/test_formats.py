"""The same report read from .txt (UTF-8, GB18030, traditional), .docx, .pdf and .html yields the same parts."""

from __future__ import annotations

import html
from pathlib import Path

import opencc
import pytest

from helpers.corpus import infer_metadata, load_report
from helpers.errors import ReportFormatError
from helpers.paths import RAW
from helpers.read import read_document

SOURCE = RAW / "reports" / "2025_hunan_damatou.txt"


def _lines() -> list[str]:
    return [line for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_docx(path: Path, lines: list[str]) -> Path:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


def write_pdf(path: Path, lines: list[str], width: int = 60) -> Path:
    """A text PDF with lines wrapped at ``width`` characters, as a word processor's export has them."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pageCompression=0, invariant=1)
    page.setFont("STSong-Light", 8)
    y = 800
    for line in lines:
        for k in range(0, len(line), width):
            if y < 40:
                page.showPage()
                page.setFont("STSong-Light", 8)
                y = 800
            page.drawString(30, y, line[k : k + width])
            y -= 11
    page.save()
    return path


def write_html(path: Path, lines: list[str]) -> Path:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>大码头街道2025年法治政府建设情况报告</title></head><body>'
        '<div class="nav"><a href="/">首页</a> | <a href="/gk">政务公开</a> | <a href="/fw">政务服务</a></div>'
        f'<div class="article"><h1>大码头街道2025年法治政府建设情况报告</h1>{paragraphs}</div>'
        '<div class="footer">版权所有：益阳市资阳区人民政府 主办单位：区政府办 网站标识码 4309020001</div></body></html>'
    )
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    lines = _lines()
    text = "\n".join(lines)
    (folder / "utf8.txt").write_text(text, encoding="utf-8")
    (folder / "gb18030.txt").write_bytes(text.encode("gb18030"))
    (folder / "traditional.txt").write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    write_docx(folder / "report.docx", lines)
    write_pdf(folder / "report.pdf", lines)
    write_html(folder / "report.html", lines)
    return folder


def _parts(path: Path) -> list[tuple[str, str]]:
    seg = load_report(path).segmentation
    return [(p.part, p.heading) for p in seg.parts if p.part != "preamble"]


@pytest.mark.parametrize("name", ["gb18030.txt", "traditional.txt", "report.docx", "report.pdf", "report.html"])
def test_same_parts_from_every_format(variants, name):
    assert _parts(variants / name) == _parts(variants / "utf8.txt")
    assert [p for p, _ in _parts(variants / name)][:4] == ["measures", "shortcomings", "leadership", "plans"]


def test_traditional_is_converted_and_kept(variants):
    raw = read_document(variants / "traditional.txt")
    assert raw.converted_from_traditional and "區委" in raw.text and "区委" in raw.analysis_text
    assert len(raw.text) == len(raw.analysis_text)
    report = load_report(variants / "traditional.txt")
    item = next(i for i in report.segmentation.items if i.part == "shortcomings" and i.kind == "titled")
    start, end = report.normalised.to_raw(item.start, item.end)
    from helpers.normalise import normalise

    assert normalise(opencc.OpenCC("t2s").convert(report.raw.text[start:end])).text == item.text
    assert "體" in report.raw.text[start:end] or "審" in report.raw.text[start:end]  # the raw span is traditional


def test_html_navigation_is_dropped(variants):
    raw = read_document(variants / "report.html")
    assert "政务服务" not in raw.text and "网站标识码" not in raw.text
    assert "法治基础建设有待强化" in raw.text


def test_formats_are_detected(variants):
    assert {read_document(variants / n).format for n in ("utf8.txt", "report.docx", "report.pdf", "report.html")} == {
        "txt", "docx", "pdf", "html"}


def test_scanned_pdf_and_broken_files_are_clear_errors(tmp_path):
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(tmp_path / "scan.pdf"))
    page.rect(10, 10, 100, 100)  # a page with no text, like a scan
    page.save()
    with pytest.raises(ReportFormatError, match=r"scan.pdf: the pdf file has no text layer \(a scanned PDF\?\) — run OCR"):
        read_document(tmp_path / "scan.pdf")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReportFormatError, match="broken.docx: not a readable Word .docx file"):
        read_document(tmp_path / "broken.docx")
    (tmp_path / "notes.rtf").write_text("x", encoding="utf-8")
    with pytest.raises(ReportFormatError, match=r"notes.rtf: files ending in .rtf are not read"):
        read_document(tmp_path / "notes.rtf")
    (tmp_path / "nav.html").write_text("<html><body><div class='nav'>首页</div></body></html>", encoding="utf-8")
    with pytest.raises(ReportFormatError, match="nav.html"):
        read_document(tmp_path / "nav.html")


def test_infer_metadata_from_mixed_formats(variants):
    draft = infer_metadata(variants).set_index("file")
    assert len(draft) == 6
    row = draft.loc["report.docx"]
    assert row["unit"] == "大码头街道" and row["unit_level"] == "街道" and row["report_year"] == "2025"
    assert row["dated"] == "2026-01-27" and row["issuer"] == "益阳市大码头街道办事处"
    assert row["province"] == "" and row["macro_region"] == ""  # the text names no province: left for the user
    assert draft["report_id"].is_unique and len(draft.loc["report.pdf", "sha256"]) == 64
