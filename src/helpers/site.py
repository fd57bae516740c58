"""Render executed notebooks into a small static site: ``index.html`` plus one page per notebook.

Opening the site needs no server and no network: pages are plain files linked relatively, figures are files
beside them, notebook images are embedded, and each page carries the subset of Noto Sans SC it needs as an
inline font (a font file next to the page would be blocked by browsers for ``file://`` pages).
"""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
from pathlib import Path

import nbformat

STUDY_TITLE = "地方法治政府建设年度报告 · An open study of China's local rule-of-law government annual reports"
_STYLE = """
body{font-family:"Noto Sans SC",sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;line-height:1.55;color:#222}
nav{font-size:.9rem;margin-bottom:1rem} nav a{margin-right:1rem}
li{margin-bottom:1rem} span.find{color:#444} figure{margin:1.5rem 0} figcaption{color:#555;font-size:.9rem}
code,pre{background:#f5f5f5;padding:0 .2rem;font-size:.85rem;overflow-x:auto}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0} th,td{border:1px solid #ddd;padding:.15rem .4rem}
img{max-width:100%} .jp-InputArea,.input{margin-top:1rem} .jp-OutputArea,.output{margin-bottom:1rem}
"""


_NOT_THIS_CORPUS = ("The findings written at the top of this notebook describe the study's bundled five reports, not "
                    "this corpus; its tables and charts are computed from this corpus.")


def notebook_summary(path: Path) -> tuple[str, str]:
    """``(title, findings)`` of a notebook: its first heading and its *Main findings* paragraph."""
    nb = nbformat.read(path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown" and "Main findings" in c.source),
                 next((c.source for c in nb.cells if c.cell_type == "markdown"), ""))
    title = next((line.lstrip("# ").strip() for line in first.splitlines() if line.startswith("#")), path.stem)
    m = re.search(r"\*\*Main findings\*\*[^:]*:\s*(.*?)(?:\n\s*\n|\Z)", first, flags=re.S)
    findings = re.sub(r"\s+", " ", m.group(1)).strip() if m else ""
    return title, findings


def font_face(text: str) -> str:
    """A CSS ``@font-face`` for Noto Sans SC holding only the glyphs ``text`` needs, inlined as base64."""
    from fontTools import subset

    from helpers.fonts import cjk_font_path

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(cjk_font_path()), options, lazy=False)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(c) for c in text} | set(range(0x20, 0x7F)))
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    finally:
        font.close()
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"Noto Sans SC";src:url(data:font/otf;base64,{data}) format("opentype");}}'


def _page(title: str, body: str, nav: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", title + body + nav))
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{font_face(text)}{_STYLE}</style></head>\n<body><nav>{nav}</nav>\n{body}\n</body></html>\n")


def site_nav(notebooks: list[Path]) -> str:
    """The navigation bar of every page: the index, then each notebook in reading order."""
    return '<a href="index.html">Index</a>' + "".join(
        f'<a href="{nb.stem}.html">{html.escape(nb.stem)}</a>' for nb in notebooks)


def write_page(path: Path, out: Path, nav: str) -> Path:
    """Render one executed notebook as ``out/<notebook>.html`` (a study run does it as each notebook finishes)."""
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    body, _ = HTMLExporter(template_name="basic").from_filename(str(path))
    title, _ = notebook_summary(path)
    page = out / f"{path.stem}.html"
    page.write_text(_page(title, body, nav), encoding="utf-8")
    return page


def genre_index(out: Path, genres: list[tuple[str, str, int]], note: str = "") -> Path:
    """Write ``out/index.html`` for a folder of several genres: one link per genre's own site (``out/<genre>/``).

    Args:
        out: the site folder; each genre's site is in ``out/<genre>/``.
        genres: ``(genre, its name, reports)`` in the order shown.
        note: a line shown under the title.
    """
    rows = "".join(f'<li><a href="{html.escape(genre)}/index.html">{html.escape(name)}</a> ({html.escape(genre)}): '
                   f"{n} report{'s' if n != 1 else ''}</li>" for genre, name, n in genres)
    body = (f"<h1>{html.escape(STUDY_TITLE)}</h1>" + (f"<p><em>{html.escape(note)}</em></p>" if note else "")
            + "<h2>One study per genre</h2><p>The folder holds reports of several kinds. Each is studied on its own — "
              "shares, keyness and comparisons are computed within one genre, never averaged across genres:</p>"
            + f"<ol>{rows}</ol>")
    index = out / "index.html"
    out.mkdir(parents=True, exist_ok=True)
    index.write_text(_page(STUDY_TITLE, body, '<a href="index.html">Index</a>'), encoding="utf-8")
    return index


def build_site(notebooks: list[Path], out: Path, figures: Path | None = None, note: str = "",
               findings: bool = True, pages_written: bool = False) -> Path:
    """Write ``out/index.html``, ``out/<notebook>.html`` for each notebook and copy the figures.

    Args:
        notebooks: executed notebooks, in reading order.
        out: the site folder (created; pages in it are overwritten).
        figures: a folder of exported figures (PNG and SVG) to show on the index page.
        note: a line shown under the title (e.g. which corpus this run used).
        findings: list each notebook's *Main findings* on the index. They are written for the bundled corpus, so
            a run on another corpus leaves them out and says so.
        pages_written: the notebooks' pages are in ``out`` already (:func:`write_page`): write the index only.

    Returns:
        The index page.
    """
    out.mkdir(parents=True, exist_ok=True)
    nav = site_nav(notebooks)
    rows = []
    for path in notebooks:
        if not pages_written:
            write_page(path, out, nav)
        title, summary = notebook_summary(path)
        shown = html.escape(summary) if findings else _NOT_THIS_CORPUS
        rows.append(f'<li><a href="{path.stem}.html">{html.escape(title)}</a><br><span class="find">{shown}</span></li>')
    figure_rows = []
    if figures is not None and figures.is_dir():
        target = out / "figures"
        target.mkdir(exist_ok=True)
        for png in sorted(figures.glob("*.png")):
            shutil.copyfile(png, target / png.name)
            svg = png.with_suffix(".svg")
            links = f'<a href="figures/{png.name}">PNG</a>'
            if svg.is_file():
                shutil.copyfile(svg, target / svg.name)
                links += f' · <a href="figures/{svg.name}">SVG</a>'
            figure_rows.append(f'<figure><img src="figures/{png.name}" alt="{html.escape(png.stem)}" width="720">'
                               f"<figcaption>{html.escape(png.stem)} — {links}</figcaption></figure>")
    body = (f"<h1>{html.escape(STUDY_TITLE)}</h1>" + (f"<p><em>{html.escape(note)}</em></p>" if note else "")
            + f"<h2>Notebooks</h2><ol>{''.join(rows)}</ol>"
            + "<h2>Figures</h2>" + ("".join(figure_rows) or "<p>No figures exported yet: run <code>make study</code>.</p>")
            + "<h2>Reproduce</h2><p>With Python 3.11: <code>make study</code> re-executes every notebook and rebuilds "
              "this site; <code>make test</code> runs the unit tests and strict nbval. Your own reports: "
              "<code>make study CORPUS=folder OUT=folder</code>. Data: <code>data/raw/</code> (reports as received "
              "and <code>reports.csv</code>).</p>")
    index = out / "index.html"
    index.write_text(_page(STUDY_TITLE, body, nav), encoding="utf-8")
    return index
