"""The same report read from .txt (UTF-8, GB18030, traditional), .docx, .pdf and .html yields the same parts."""

from __future__ import annotations

import html
from pathlib import Path

import opencc
import pytest

from helpers.corpus import load_report
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
    return [(p.label, p.heading) for p in seg.parts if p.label != "preamble"]


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
    from helpers.intake import open_corpus

    intake = open_corpus(variants)
    files = intake.files.set_index("file")
    assert set(files["status"]) <= {"analysed", "duplicate"} and len(files) == 6  # one report in six formats
    assert files.loc[files["status"] == "duplicate", "same_as"].isin(files.index[files["status"] == "analysed"]).all()
    draft = intake.metadata.set_index("file")
    row = draft.iloc[0]
    assert row["unit"] == "大码头街道" and row["unit_level"] == "街道" and row["report_year"] == "2025"
    assert row["dated"] == "2026-01-27" and row["issuer"] == "益阳市大码头街道办事处"
    assert (row["province"], row["city"], row["macro_region"]) == ("湖南省", "益阳市", "中部")  # from 益阳市 in the sign-off
    assert draft["report_id"].is_unique and len(row["sha256"]) == 64


# --- .docx in document order: tables where they stand, forms, merged and nested cells ---------------------------


def _docx_lines(document) -> list[str]:
    """The non-blank lines that read_document gives for a python-docx document (saved to a temporary file)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.docx"
        document.save(path)
        return [line for line in read_document(path).text.splitlines() if line.strip()]


def test_docx_tables_stay_where_they_stand():
    from docx import Document

    document = Document()
    document.add_paragraph("一、主要工作举措及成效")
    document.add_paragraph("全年办理行政复议和行政诉讼案件情况如下。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("项目", "2024年", "2025年"), ("行政复议案件", "98件", "120件"), ("纠错率", "12%", "15%")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、存在的问题与不足")
    document.add_paragraph("法治宣传的针对性有待增强。")
    assert _docx_lines(document) == [
        "一、主要工作举措及成效",
        "全年办理行政复议和行政诉讼案件情况如下。",
        "项目 | 2024年 | 2025年",
        "行政复议案件 | 98件 | 120件",
        "纠错率 | 12% | 15%",
        "二、存在的问题与不足",
        "法治宣传的针对性有待增强。",
    ]


def test_docx_form_layout_keeps_the_leadership_part(tmp_path):
    """A form: each part's heading in a left cell, its paragraphs in the right cell (a regression test)."""
    from docx import Document

    lines = _lines()
    heads = [k for k, line in enumerate(lines) if line[:2] in ("一、", "二、", "三、", "四、")]
    document = Document()
    document.add_paragraph(lines[0])
    table = document.add_table(rows=len(heads), cols=2)
    for r, (start, end) in enumerate(zip(heads, heads[1:] + [len(lines) - 1])):
        table.cell(r, 0).text = lines[start]
        cell = table.cell(r, 1)
        cell.paragraphs[0].text = lines[start + 1]
        for line in lines[start + 2 : end]:
            cell.add_paragraph(line)
    document.add_paragraph(lines[-1])  # the date, after the form
    document.save(tmp_path / "form.docx")
    (tmp_path / "plain.txt").write_text("\n".join(lines), encoding="utf-8")
    assert _parts(tmp_path / "form.docx") == _parts(tmp_path / "plain.txt")
    assert "leadership" in [p for p, _ in _parts(tmp_path / "form.docx")]
    assert read_document(tmp_path / "form.docx").text.split("\n")[1:4] == [lines[heads[0]], *lines[heads[0] + 1 : heads[0] + 3]]


def test_docx_merged_cells_are_read_once_and_nested_tables_in_place():
    from docx import Document

    document = Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "2025年行政执法情况统计"  # across the header row
    heading = table.cell(1, 0).merge(table.cell(2, 0))  # down two rows
    heading.text = "三、党政主要负责人履行推进法治建设第一责任人职责情况"
    table.cell(1, 1).text = "召开专题会议"
    table.cell(1, 2).text = "4次"
    content = table.cell(2, 1).merge(table.cell(2, 2))
    content.paragraphs[0].text = "主要负责人带头述法。"
    nested = content.add_table(rows=2, cols=2)
    for r, row in enumerate([("事项", "件数"), ("合法性审查", "36件")]):
        for c, value in enumerate(row):
            nested.cell(r, c).text = value
    content.add_paragraph("年终开展述职评议。")
    assert _docx_lines(document) == [
        "2025年行政执法情况统计",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况 | 召开专题会议 | 4次",
        "主要负责人带头述法。",
        "事项 | 件数",
        "合法性审查 | 36件",
        "年终开展述职评议。",
    ]


def test_docx_headers_footers_left_out_content_controls_read():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    document = Document()
    document.sections[0].header.paragraphs[0].text = "内部资料 注意保存"
    document.sections[0].footer.paragraphs[0].text = "第 1 页 共 3 页"
    document.add_paragraph("一、主要工作举措及成效")
    inside = document.add_paragraph("健全依法决策机制，全年审查重大行政决策5件。")
    document.add_paragraph("二、存在的问题与不足")
    sdt, sdt_content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")  # a content control of a form template
    sdt.append(sdt_content)
    inside._p.addprevious(sdt)
    sdt_content.append(inside._p)
    assert sdt.tag == qn("w:sdt")
    assert _docx_lines(document) == ["一、主要工作举措及成效", "健全依法决策机制，全年审查重大行政决策5件。", "二、存在的问题与不足"]


# --- PDFs protected by an owner password open like any viewer opens them -------------------------------------


def _encrypted(source: Path, target: Path, user: str, algorithm: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password="x", algorithm=algorithm)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_owner_password_pdf_is_read(variants, tmp_path, algorithm):
    path = _encrypted(variants / "report.pdf", tmp_path / "owner.pdf", "", algorithm)
    from pypdf import PdfReader

    assert PdfReader(path).is_encrypted
    raw = read_document(path)
    assert raw.text == read_document(variants / "report.pdf").text
    assert _parts(path) == _parts(variants / "utf8.txt")


def test_user_password_pdf_is_a_clear_error(variants, tmp_path):
    path = _encrypted(variants / "report.pdf", tmp_path / "locked.pdf", "secret", "AES-128")
    with pytest.raises(ReportFormatError, match=r"^.*locked.pdf: the PDF needs a password to open — save an unprotected copy$"):
        read_document(path)


def test_aes_pdf_without_cryptography_names_the_package(variants, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    path = _encrypted(variants / "report.pdf", tmp_path / "owner.pdf", "", "AES-128")

    def no_aes(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    with pytest.raises(ReportFormatError, match=r"owner.pdf: .*needs the cryptography package — install it"):
        read_document(path)
