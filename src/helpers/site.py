"""Render executed notebooks into a small static site: ``index.html`` plus one HTML page per notebook.

Opening the site needs no server: pages and figures are plain files linked relatively.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat

STUDY_TITLE = "地方法治政府建设年度报告 · An open study of China's local rule-of-law government annual reports"


def notebook_summary(path: Path) -> tuple[str, str]:
    """``(title, findings)`` of a notebook: its first heading and its *Main findings* paragraph."""
    nb = nbformat.read(path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((line.lstrip("# ").strip() for line in first.splitlines() if line.startswith("#")), path.stem)
    m = re.search(r"\*\*Main findings\*\*[^:]*:\s*(.*?)(?:\n\s*\n|\Z)", first, flags=re.S)
    findings = re.sub(r"\s+", " ", m.group(1)).strip() if m else ""
    return title, findings


def build_site(notebooks: list[Path], out: Path, figures: Path | None = None) -> Path:
    """Write ``out/index.html``, ``out/<notebook>.html`` for each notebook and copy the figures.

    Args:
        notebooks: executed notebooks, in reading order.
        out: the site folder (created; pages in it are overwritten).
        figures: a folder of exported figures (PNG and SVG) to show on the index page.

    Returns:
        The index page.
    """
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    rows = []
    for path in notebooks:
        body, _ = exporter.from_filename(str(path))
        page = out / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        title, findings = notebook_summary(path)
        rows.append(f'<li><a href="{page.name}">{html.escape(title)}</a><br><span>{html.escape(findings)}</span></li>')
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
            figure_rows.append(
                f'<figure><img src="figures/{png.name}" alt="{html.escape(png.stem)}" width="720">'
                f"<figcaption>{html.escape(png.stem)} — {links}</figcaption></figure>"
            )
    index = out / "index.html"
    index.write_text(
        f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(STUDY_TITLE)}</title>
<style>body{{font-family:"Noto Sans SC",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
li{{margin-bottom:1rem}} span{{color:#444}} figure{{margin:1.5rem 0}} figcaption{{color:#555;font-size:.9rem}}
code{{background:#f4f4f4;padding:0 .2rem}}</style></head>
<body><h1>{html.escape(STUDY_TITLE)}</h1>
<h2>Notebooks</h2><ol>{''.join(rows)}</ol>
<h2>Figures</h2>{''.join(figure_rows) or '<p>No figures exported yet: run <code>make study</code>.</p>'}
<h2>Reproduce</h2><p>With Python 3.11: <code>make study</code> re-executes every notebook and rebuilds this site;
<code>make test</code> runs the unit tests and strict nbval. Data: <code>data/raw/</code> (reports as received and
<code>reports.csv</code>).</p></body></html>
""",
        encoding="utf-8",
    )
    return index
