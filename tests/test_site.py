"""The rendered site: an index linking every notebook, its findings, and the figures; pages that read on any screen."""

from __future__ import annotations

import base64
import io
import re
from html import escape

import nbformat
import pytest
from PIL import Image, PngImagePlugin

from helpers.paths import NOTEBOOKS, ROOT
from helpers.site import (
    _NOT_THIS_CORPUS,
    build_site,
    figure_text,
    footer_html,
    notebook_summary,
    page_html,
    site_nav,
    write_page,
)


@pytest.fixture
def no_fonts(monkeypatch):
    # cutting Noto Sans SC takes a second a page; tests of a page's structure need no font (the browser test and
    # test_notebook_page_has_toc_code_toggle_and_fonts_for_code use the real ones)
    import helpers.site

    monkeypatch.setattr(helpers.site, "font_face", lambda text: "")
    monkeypatch.setattr(helpers.site, "mono_font_face", lambda text: "")


def _png(path=None, **chunks) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        info.add_itxt(key, value)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG", pnginfo=info)
    if path is not None:
        path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _notebook(path, findings_cell: bool, typed: str = "typed for five reports.", image_meta=None, source=""):
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# 09 · A test notebook\n\n**Main findings** (see below): {typed}\n\n"
                                                  "**Limits:** none.\n\n## 1 · 第一节\n\n### Detail\n\n## Summary"))
    if findings_cell:
        cell = nbformat.v4.new_code_cell("findings.show()", metadata={"tags": ["findings"]})
        cell.outputs = [nbformat.v4.new_output("display_data", data={
            "text/markdown": "**Main findings** (computed): 3 of 5 reports name 法治 first.\n\n- a *listed* point",
            "text/plain": "Main findings: 3 of 5"})]
        nb.cells.append(cell)
    cell = nbformat.v4.new_code_cell(source or "fig = plots.bars(x)  # 画图")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "image/png": base64.b64encode(_png()).decode("ascii"), "text/plain": "<Figure>"}, metadata=image_meta or {})]
    nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def test_summary_reads_title_and_findings():
    title, findings = notebook_summary(NOTEBOOKS / "01_corpus.ipynb")
    assert title.startswith("01 · The corpus")
    assert findings.startswith("- All 5 reports have the four mandated parts")


def test_computed_findings_come_first_and_show_for_any_corpus(tmp_path, no_fonts):
    computed = _notebook(tmp_path / "09_a.ipynb", findings_cell=True)
    typed = _notebook(tmp_path / "10_b.ipynb", findings_cell=False)
    assert notebook_summary(computed) == ("09 · A test notebook", "3 of 5 reports name 法治 first.\n\n- a *listed* point")
    assert notebook_summary(typed) == ("09 · A test notebook", "typed for five reports.")
    index = build_site([computed, typed], tmp_path / "site", findings=False).read_text(encoding="utf-8")
    # the computed findings are shown (as markdown) although this is "another corpus"; the typed ones are not
    assert "3 of 5 reports name 法治 first." in index and "<em>listed</em>" in index
    assert "typed for five reports" not in index and index.count(escape(_NOT_THIS_CORPUS)) == 1
    index = build_site([computed, typed], tmp_path / "site", findings=True).read_text(encoding="utf-8")
    assert "typed for five reports" in index and escape(_NOT_THIS_CORPUS) not in index


def test_figure_text_reads_png_chunks_then_svg_then_stem(tmp_path):
    _png(tmp_path / "a.png", Title="措施多于不足 / Measures outnumber shortcomings", Description="Source: n = 5 reports.")
    assert figure_text(tmp_path / "a.png") == ("措施多于不足 / Measures outnumber shortcomings", "Source: n = 5 reports.")
    _png(tmp_path / "b.png")
    (tmp_path / "b.svg").write_text("<svg><metadata><dc:title>From the SVG</dc:title></metadata></svg>", encoding="utf-8")
    assert figure_text(tmp_path / "b.png") == ("From the SVG", "")
    _png(tmp_path / "c.png")
    assert figure_text(tmp_path / "c.png") == ("c", "")
    (tmp_path / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a readable image: still a name
    assert figure_text(tmp_path / "d.png") == ("d", "")


def test_notebook_figure_gets_alt_caption_and_links(tmp_path, no_fonts):
    figures = tmp_path / "figures"
    figures.mkdir()
    _png(figures / "09_share.png", Title="Measures fill 36–58%", Description="Source: n = 5 reports, 2022–2025.")
    (figures / "09_share.svg").write_text("<svg/>", encoding="utf-8")
    nb = _notebook(tmp_path / "09_a.ipynb", findings_cell=False,
                   image_meta={"image/png": {"alt": "Measures fill 36–58%"}, "study_figure": "09_share"})
    page = write_page(nb, tmp_path / "site", site_nav([nb]), figures).read_text(encoding="utf-8")
    assert "No description" not in page
    assert '<a href="figures/09_share.png"><img alt="Measures fill 36–58%" src="data:image/png;base64,' in page
    assert ('<figcaption><strong>Measures fill 36–58%</strong> Source: n = 5 reports, 2022–2025. — Full size: '
            '<a href="figures/09_share.png">PNG</a> · <a href="figures/09_share.svg">SVG</a></figcaption>') in page


def test_notebook_figure_fallbacks(tmp_path, no_fonts):
    figures = tmp_path / "figures"
    figures.mkdir()
    _png(figures / "09_old.png")  # today's figures: no text chunks; the cell names the file it saved
    nb = _notebook(tmp_path / "09_a.ipynb", findings_cell=False, source='fig = x\nexported = plots.save_figure(fig, "09_old")')
    page = write_page(nb, tmp_path / "site", "", figures).read_text(encoding="utf-8")
    assert 'alt="09_old"' in page and '<a href="figures/09_old.png">PNG</a>' in page and "No description" not in page
    nb = _notebook(tmp_path / "09_b.ipynb", findings_cell=False)  # nothing known: a plain description, no link
    page = write_page(nb, tmp_path / "site", "", figures).read_text(encoding="utf-8")
    assert 'alt="A chart of 09_b (no description recorded)"' in page and "<figcaption>" not in page


def test_notebook_page_has_toc_code_toggle_and_fonts_for_code(tmp_path):
    nb = _notebook(tmp_path / "09_a.ipynb", findings_cell=True)
    page = write_page(nb, tmp_path / "site", site_nav([nb]), tmp_path).read_text(encoding="utf-8")
    toc = re.search(r'<nav class="toc".*?</nav>', page, flags=re.S).group(0)
    assert re.findall(r'href="#([^"]+)">([^<]+)<', toc) == [
        ("1-%C2%B7-%E7%AC%AC%E4%B8%80%E8%8A%82", "1 · 第一节"), ("Detail", "Detail"), ("Summary", "Summary")]
    assert "<ol><li><a" in toc and "<ol><li><a href=\"#Detail\"" in toc  # h3 nested under its h2
    assert page.index("</h1>") < page.index('<nav class="toc"')
    assert '<input type="checkbox" id="show-code">' in page and "#show-code:not(:checked) ~ main .input{display:none}" in page
    assert page.index('id="show-code"') < page.index("<main>")
    assert "3 of 5 reports name 法治 first." in page  # the findings output stays visible: it is not in .input
    assert 'code,pre,kbd,samp,tt,.highlight,.highlight *{font-family:"Study Mono","Noto Sans SC",monospace}' in page
    assert '@font-face{font-family:"Study Mono";src:url(data:font/ttf;base64,' in page
    assert '@font-face{font-family:"Noto Sans SC";src:url(data:font/otf;base64,' in page


def test_page_html_for_other_pages(tmp_path, no_fonts):
    nav = site_nav([tmp_path / "01_corpus.ipynb"], extra_links=[("items.html", "Items")])
    assert nav == ('<a href="index.html">Index</a><a href="01_corpus.html">01 corpus</a><a href="items.html">Items</a>')
    page = page_html("条目 · Items", "<h1>条目</h1><table><tr><td>西于庄街道</td><td>12</td><td>" + "很长的一句话" * 8
                     + "</td></tr></table>", nav, head_extra="<style>.x{color:red}</style>")
    assert page.startswith("<!DOCTYPE html>") and '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>条目 · Items</title>" in page and "<style>.x{color:red}</style></head>" in page
    assert ('<div class="scroll"><table><tr><td>西于庄街道</td><td data-num>12</td><td data-long>' in page)
    assert '<nav class="site" aria-label="Study"><a href="index.html">Index</a>' in page
    assert 'id="show-code"' not in page
    assert page.rstrip().endswith("</footer>\n</body></html>")


def test_footer_cites_the_study_and_states_licences(tmp_path):
    footer = footer_html()
    assert "The study's authors (2026). <em>地方法治政府建设年度报告" in footer and "version 0.1.0" in footer
    assert "MIT licence (<code>LICENSE</code>)" in footer and (ROOT / "LICENSE").is_file()
    assert "public documents published by the issuing governments" in footer and "data/raw/reports.csv" in footer
    assert "does not relicense" in footer
    bare = footer_html(tmp_path / "missing.cff")  # no citation file: still the licence and the data's provenance
    assert "Cite as" not in bare and "MIT licence" in bare and "reports.csv" in bare


def test_build_site(tmp_path, no_fonts):
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (figures / "x.svg").write_text("<svg/>", encoding="utf-8")
    _png(figures / "y.png", Title="标题 Title", Description="Caption.")
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    index = build_site(notebooks, tmp_path / "site", figures, extra_links=[("items.html", "Items")])
    html = index.read_text(encoding="utf-8")
    for nb in notebooks:
        assert f'href="{nb.stem}.html"' in html
        page = (tmp_path / "site" / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert "<html" in page and "法治" in page and '<a href="items.html">Items</a>' in page
        assert "No description" not in page and '<nav class="toc"' in page
    assert 'src="figures/x.png"' in html and (tmp_path / "site" / "figures" / "x.svg").is_file()
    assert '<a href="figures/x.png"><img src="figures/x.png" alt="x" width="720"></a>' in html
    assert '<a href="figures/x.svg">SVG</a>' in html
    assert ('<img src="figures/y.png" alt="标题 Title" width="720"></a><figcaption><strong>标题 Title</strong> Caption. — '
            'Full size: <a href="figures/y.png">PNG</a></figcaption>') in html
