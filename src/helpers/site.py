"""Render executed notebooks into a small static site: ``index.html`` plus one page per notebook.

Opening the site needs no server and no network: pages are plain files linked relatively, figures are files
beside them, notebook images are embedded, and each page carries the subset of the fonts it needs as inline
fonts (a font file next to the page would be blocked by browsers for ``file://`` pages): Noto Sans SC for all
text, and DejaVu Sans Mono (shipped with matplotlib) for the Latin letters of code, whose Chinese characters
fall through to Noto Sans SC. No character is left to whatever fonts the reader's system has.

Every page comes from :func:`page_html` (the same head, fonts, style and footer), reads on a phone (viewport,
tables that scroll in their own box, a navigation line that wraps), and a notebook page hides its code until
the reader ticks *Show the code* (pure CSS, no script), with a table of contents from its headings.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

STUDY_TITLE = "地方法治政府建设年度报告 · An open study of China's local rule-of-law government annual reports"
#: The CSS family name of the inline DejaVu Sans Mono subset (a name no system font has, so it is never mistaken).
MONO_FAMILY = "Study Mono"
_MONO_STACK = f'"{MONO_FAMILY}","Noto Sans SC",monospace'
_STYLE = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:"Noto Sans SC",sans-serif;max-width:62rem;margin:0 auto;padding:0 1rem 1rem;line-height:1.6;color:#222;
 overflow-wrap:break-word}
button,input,select,textarea,label{font:inherit}
code,pre,kbd,samp,tt,.highlight,.highlight *{font-family:MONO}
h1{font-size:1.6rem;line-height:1.3;margin:1rem 0 .75rem} h2{font-size:1.3rem;margin-top:2.25rem} h3{font-size:1.1rem}
a{color:#1a5fa8} .anchor-link{display:none}
nav.site{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;font-size:.9rem;padding:.6rem 0;border-bottom:1px solid #ddd}
nav.toc{border-left:3px solid #c9d6e8;background:#f7f9fc;padding:.4rem 1.2rem .4rem 1rem;margin:1rem 0;font-size:.9rem;
 width:fit-content;max-width:100%}
nav.toc ol{margin:.2rem 0;padding-left:1.3rem} nav.toc li{margin:.1rem 0} nav.toc strong{font-size:.85rem;color:#555}
li{margin-bottom:.4rem} ol.notebooks>li{margin-bottom:1.1rem} .find{color:#444} .find p{margin:.2rem 0}
code{background:#f3f3ef;padding:0 .2rem;border-radius:2px;font-size:.86em;overflow-wrap:anywhere}
pre{background:#f6f6f3;padding:.5rem .7rem;font-size:.8rem;line-height:1.45;overflow-x:auto;border-radius:3px}
pre code{background:none;padding:0;overflow-wrap:normal}
.highlight .c,.highlight .c1,.highlight .cm{color:#6a6f76}
.highlight .k,.highlight .kn,.highlight .kc,.highlight .ow{color:#8a3b98}
.highlight .s,.highlight .s1,.highlight .s2,.highlight .sa,.highlight .sd,.highlight .si{color:#0b7a3e}
.highlight .mi,.highlight .mf{color:#a04d00} .highlight .nb,.highlight .bp{color:#1a5fa8}
.scroll,.output_subarea{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.8rem;margin:.4rem 0} th,td{border:1px solid #ddd;padding:.15rem .45rem;
 vertical-align:top;text-align:left;white-space:nowrap} thead th{background:#f4f4f1}
[data-num]{text-align:right;font-variant-numeric:tabular-nums} [data-long]{white-space:normal;min-width:16rem}
img,svg,video{max-width:100%;height:auto}
figure{margin:1.25rem 0} figure img{display:block} figcaption{color:#555;font-size:.85rem;margin-top:.3rem}
.prompt{display:none} .cell{margin:.4rem 0} .input{margin-top:.8rem} .output_area{margin-bottom:.6rem}
#show-code{position:absolute;opacity:0;width:1px;height:1px} #show-code:not(:checked) ~ main .input{display:none}
.code-toggle{display:inline-block;margin:.8rem 0 0;padding:.1rem .7rem;border:1px solid #bbb;border-radius:1rem;
 font-size:.85rem;color:#333;background:#fafafa;cursor:pointer;user-select:none}
.code-toggle::before{content:"▸ "} #show-code:checked + .code-toggle::before{content:"▾ "}
#show-code:focus-visible + .code-toggle{outline:2px solid #1a5fa8;outline-offset:2px}
blockquote{margin:1rem 0;padding:.3rem 1rem;border-left:3px solid #e0c36b;background:#fffbea}
footer{margin-top:3rem;padding-top:.6rem;border-top:1px solid #ddd;font-size:.8rem;color:#555;line-height:1.5}
footer p{margin:.35rem 0}
@media (max-width:40rem){body{padding:0 .75rem .75rem} h1{font-size:1.35rem} h2{font-size:1.15rem}
 table{font-size:.75rem} pre{font-size:.75rem}}
""".replace("MONO", _MONO_STACK)

_NOT_THIS_CORPUS = ("The findings written at the top of this notebook describe the study's bundled five reports, not "
                    "this corpus; its tables and charts are computed from this corpus.")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
#: A figure saved in a notebook cell: ``plots.save_figure(fig, "01_items_by_part")``.
_SAVED = re.compile(r"save_figure\(\s*\w+\s*,\s*[\"']([^\"']+)[\"']")


def _summary(path: Path) -> tuple[str, str, bool]:
    """``(title, findings, computed)``: ``computed`` when the findings come from the cell tagged ``findings``."""
    nb = nbformat.read(path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown" and "Main findings" in c.source),
                 next((c.source for c in nb.cells if c.cell_type == "markdown"), ""))
    title = next((line.lstrip("# ").strip() for line in first.splitlines() if line.startswith("#")), path.stem)
    for cell in nb.cells:
        if cell.cell_type != "code" or "findings" not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "") if output.get("output_type") in (
                "display_data", "execute_result") else ""
            text = "".join(text) if isinstance(text, list) else text
            if text.lstrip().startswith("**Main findings**"):
                return title, re.sub(r"^\s*\*\*Main findings\*\*[^:\n]*:?\s*", "", text).strip(), True
    m = re.search(r"\*\*Main findings\*\*[^:]*:\s*(.*?)(?:\n\s*\n|\Z)", first, flags=re.S)
    findings = re.sub(r"\s+", " ", m.group(1)).strip() if m else ""
    return title, findings, False


def notebook_summary(path: Path) -> tuple[str, str]:
    """``(title, findings)`` of a notebook: its first heading and its *Main findings* (markdown text).

    The findings are the output of the code cell tagged ``findings`` (display data whose ``text/markdown`` begins
    ``**Main findings**``; computed, so true for any corpus) when the notebook has one, else the *Main findings*
    paragraph of its opening markdown cell (typed for the bundled corpus). Either way without the
    ``**Main findings**`` lead-in.
    """
    title, findings, _ = _summary(path)
    return title, findings


def _subset(path: Path, text: str, family: str, mime: str, fmt: str, hinting: bool = True) -> str:
    return _subset_of(path, "".join(sorted(set(text))), family, mime, fmt, hinting)


@lru_cache(maxsize=4)
def _subset_of(path: Path, text: str, family: str, mime: str, fmt: str, hinting: bool) -> str:
    """:func:`_subset` of ``text``'s distinct characters, sorted.

    Pages that use the same characters (the items explorer's two pages: several thousand CJK glyphs at 10⁴
    reports) are cut once.
    """
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = hinting
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a browser reads (and fontTools warns on it)
    font = subset.load_font(str(path), options, lazy=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(c) for c in text} | set(range(0x20, 0x7F)))
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    finally:
        font.close()
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'@font-face{{font-family:"{family}";src:url(data:{mime};base64,{data}) format("{fmt}");}}'


def font_face(text: str) -> str:
    """A CSS ``@font-face`` for Noto Sans SC holding only the glyphs ``text`` needs, inlined as base64."""
    from helpers.fonts import cjk_font_path

    return _subset(cjk_font_path(), text, "Noto Sans SC", "font/otf", "opentype")


@lru_cache(maxsize=1)
def _mono_font_path() -> Path | None:
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf"
    return path if path.is_file() else None


def mono_font_face(text: str) -> str:
    """A CSS ``@font-face`` for :data:`MONO_FAMILY`: matplotlib's DejaVu Sans Mono cut to the glyphs ``text`` needs.

    DejaVu Sans Mono has no Chinese: in code, Chinese characters fall through to Noto Sans SC (the next font of
    the stack). Returns ``""`` if matplotlib's copy of the font is missing (code is then set in Noto Sans SC).
    """
    path = _mono_font_path()
    # unhinted: a third of the size, and browsers render it well at code sizes
    return _subset(path, text, MONO_FAMILY, "font/ttf", "truetype", hinting=False) if path else ""


@lru_cache(maxsize=4)
def _citation(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def footer_html(citation: Path | None = None) -> str:
    """The footer of every page: how to cite the study, the code's licence, and where the reports come from.

    Args:
        citation: the ``CITATION.cff`` to cite from (default: the one at the repository's root). Without one, the
            footer still names the licence and the data's provenance.
    """
    from helpers.paths import ROOT

    cff = _citation(citation or ROOT / "CITATION.cff")
    parts = []
    if cff.get("title"):
        authors = ", ".join(str(a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names")))))
                            for a in cff.get("authors", []) if isinstance(a, dict)) or "The study's authors"
        year = str(cff.get("date-released", ""))[:4]
        title = html.escape(str(cff["title"]), quote=False)
        cite = (f"{html.escape(authors, quote=False)}{f' ({year})' if year else ''}. <em>{title}</em>"
                + (f", version {html.escape(str(cff['version']))}" if cff.get("version") else "") + ".")
        if cff.get("repository-code"):
            url = html.escape(str(cff["repository-code"]))
            cite += f' <a href="{url}">{url}</a>'
        parts.append(f"<p><strong>Cite as</strong> {cite} (<code>CITATION.cff</code>)</p>")
    licence = html.escape(str(cff.get("license", "MIT")))
    parts.append(f"<p><strong>Code</strong>: {licence} licence (<code>LICENSE</code>). <strong>Data</strong>: the reports "
                 "are public documents published by the issuing governments; each is listed in the corpus's "
                 "<code>reports.csv</code> (the study's own: <code>data/raw/reports.csv</code>) with its source and "
                 "sha256. This project does not relicense them.</p>")
    return "<footer>" + "".join(parts) + "</footer>"


_NUMBER = re.compile(r"[-+−]?[\d,. ]*\d[\d,. ]*%?")


def _cell(m: re.Match) -> str:
    """Mark a table cell that holds a number (set right) or long text (may wrap); other cells stay on one line."""
    tag, attrs, content = m.group(1), m.group(2), m.group(3)
    text = html.unescape(re.sub(r"<[^>]+>", "", content)).strip()
    width = len(text) + len(_CJK.findall(text))  # a Chinese character is two columns wide
    mark = " data-num" if _NUMBER.fullmatch(text) else (" data-long" if width > 36 else "")
    return f"<{tag}{attrs}{mark}>{content}</{tag}>"


def _wrap_tables(body: str) -> str:
    """Put every table in its own horizontal scroll box, so a wide table never widens the page.

    In the box a table is as wide as its cells need: short cells keep to one line (a phone would otherwise break
    一个街道名 into one character per line), long ones wrap in a column of readable width, numbers align right.
    """
    def table(m: re.Match) -> str:
        cells = re.sub(r"<(td|th)(\b[^>]*)>(.*?)</\1>", _cell, m.group(1), flags=re.S | re.I)
        return f'<div class="scroll">{cells}</div>'

    return re.sub(r"(<table\b.*?</table>)", table, body, flags=re.S | re.I)


def page_html(title: str, body: str, nav: str, head_extra: str = "", code_toggle: bool = False,
              font_text: str = "") -> str:
    """A whole page of the site around ``body``: the head, the inline fonts, the style, the navigation and footer.

    Every page of the study's site is made here, so that they look alike and read on any screen: a viewport for
    phones, Noto Sans SC (and DejaVu Sans Mono for code) inlined and cut to the characters the page uses, tables
    in their own scroll box, and the footer (:func:`footer_html`). Pages of other parts of the site (e.g. an
    explorer of items) should call it too, with the navigation of :func:`site_nav`.

    Args:
        title: the page's ``<title>`` (plain text; escaped here).
        body: the page's content (HTML), placed in ``<main>``.
        nav: the navigation links (HTML), e.g. ``site_nav(notebooks, extra_links=[("items.html", "Items")])``.
        head_extra: more HTML for ``<head>`` (a page's own ``<style>`` or ``<script>``); its text counts for the fonts.
        code_toggle: put a *Show the code* checkbox above ``<main>``; code cells (``.input``) stay hidden until
            it is ticked (CSS only: works on a page opened from disk, without scripts).
        font_text: characters the page shows besides its own text (data its scripts load), so that the inline
            fonts cover them too.

    Returns:
        The HTML document.

    Example:
        ``Path("site/items.html").write_text(page_html("Items", table_html, site_nav(nbs, [("items.html", "Items")])))``
    """
    toggle = ('<input type="checkbox" id="show-code"><label for="show-code" class="code-toggle">Show the code</label>\n'
              if code_toggle else "")
    rest = (f"<body><nav class=\"site\" aria-label=\"Study\">{nav}</nav>\n{toggle}<main>\n{_wrap_tables(body)}\n</main>\n"
            f"{footer_html()}\n</body></html>\n")
    text = html.unescape(title + head_extra + rest) + font_text
    head = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{font_face(text)}{mono_font_face(text)}{_STYLE}</style>"
            f"{head_extra}</head>\n")
    return head + rest


def site_nav(notebooks: list[Path], extra_links: Iterable[tuple[str, str]] = ()) -> str:
    """The navigation bar of every page: the index, each notebook in reading order, then ``extra_links``.

    Args:
        notebooks: the notebooks, in reading order (``01_corpus.ipynb`` is shown as *01 corpus*).
        extra_links: more ``(href, label)`` entries, e.g. ``[("items.html", "Items")]``.
    """
    links = [("index.html", "Index"), *((f"{nb.stem}.html", nb.stem.replace("_", " ")) for nb in notebooks),
             *extra_links]
    return "".join(f'<a href="{html.escape(href)}">{html.escape(label)}</a>' for href, label in links)


def figure_text(png: Path) -> tuple[str, str]:
    """``(title, description)`` of an exported figure, for its alt text and caption.

    Read from the PNG's text chunks ``Title`` and ``Description`` (written by ``plots.save_figure``), else the
    ``<title>`` of the SVG beside it; the title falls back to the file's stem, the description to ``""``.
    """
    title = description = ""
    try:
        from PIL import Image

        with Image.open(png) as image:
            chunks = getattr(image, "text", {}) or {}
        title, description = str(chunks.get("Title", "")).strip(), str(chunks.get("Description", "")).strip()
    except (OSError, ValueError, ImportError):
        pass
    svg = png.with_suffix(".svg")
    if not title and svg.is_file():
        with svg.open(encoding="utf-8", errors="replace") as f:
            head = f.read(8192)
        m = re.search(r"<(?:dc:)?title>(.*?)</(?:dc:)?title>", head, flags=re.S)
        title = html.unescape(m.group(1)).strip() if m else ""
    return title or png.stem, description


def _figure_caption(name: str | None, title: str, description: str, figures: Path | None, prefix: str) -> tuple[str, str]:
    """``(href, figcaption HTML)`` of a figure: its caption and links to the PNG and SVG files when they exist."""
    links, href = [], ""
    if name and figures is not None and (figures / f"{name}.png").is_file():
        href = f"{prefix}{name}.png"
        links.append(f'<a href="{html.escape(href)}">PNG</a>')
        if (figures / f"{name}.svg").is_file():
            links.append(f'<a href="{html.escape(prefix)}{html.escape(name)}.svg">SVG</a>')
    words = " ".join(x for x in (f"<strong>{html.escape(title)}</strong>" if title else "",
                                 html.escape(description)) if x)
    files = ("Full size: " + " · ".join(links)) if links else ""
    caption = " — ".join(x for x in (words, files) if x)
    return href, (f"<figcaption>{caption}</figcaption>" if caption else "")


def _annotate_figures(nb: Any, stem: str, figures: Path | None) -> None:
    """Give each image output of ``nb`` its alt text, caption and links (read by :data:`_TEMPLATE`)."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        saved = _SAVED.findall(cell.source)
        for output in images:
            meta = output.setdefault("metadata", {})
            png_meta = meta.get("image/png", {}) if isinstance(meta.get("image/png"), dict) else {}
            name = meta.get("study_figure") or (saved[0] if len(images) == 1 and len(saved) == 1 else None)
            title, description = "", ""
            if name and figures is not None and (figures / f"{name}.png").is_file():
                title, description = figure_text(figures / f"{name}.png")
            alt = png_meta.get("alt") or title or name or f"A chart of {stem} (no description recorded)"
            href, caption = _figure_caption(name, title if title != name else "", description, figures, "figures/")
            meta["study_site"] = {"alt": alt, "href": href, "caption": caption}


_TEMPLATE = """{%- extends 'classic/base.html.j2' -%}
{% block data_png scoped %}
{%- set site = output.metadata.get('study_site') or {} -%}
<div class="output_png output_subarea {{ extra_class }}"><figure>
{%- if site.get('href') %}<a href="{{ site['href'] | escape_html }}">{% endif -%}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ site.get('alt', '') | escape_html }}"
{%- set width=output | get_metadata('width', 'image/png') -%}
{%- if width is not none %} width="{{ width | escape_html }}"{% endif %}>
{%- if site.get('href') %}</a>{% endif -%}
{{ site.get('caption', '') }}</figure></div>
{%- endblock data_png %}
"""


def _toc(body: str) -> str:
    """A table of contents from the ``<h2>``/``<h3>`` headings of a rendered notebook (nbconvert gives them ids)."""
    heads = [(int(level), hid, re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip(" ¶"))
             for level, hid, text in re.findall(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S)]
    if len(heads) < 2:
        return ""
    items: list[str] = []
    open_sub = False
    for level, hid, text in heads:
        link = f'<a href="#{hid}">{html.escape(text)}</a>'
        if level == 3 and items:
            items.append(("" if open_sub else "<ol>") + f"<li>{link}</li>")
            open_sub = True
            continue
        items.append(("</ol></li>" if open_sub else ("</li>" if items else "")) + f"<li>{link}")
        open_sub = False
    items.append("</ol></li>" if open_sub else "</li>")
    return f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{"".join(items)}</ol></nav>'


def _default_figures() -> Path:
    # read at call time: a study run's worker sets STUDY_FIGURES after helpers.paths may have been imported
    from helpers.paths import ROOT

    return Path(os.environ.get("STUDY_FIGURES", ROOT / "figures"))


def notebook_body(path: Path, figures: Path | None = None) -> str:
    """The HTML of one executed notebook for its page: figures with alt text, captions and file links, and a TOC.

    Args:
        path: an executed notebook.
        figures: the folder its figures were exported to (``plots.save_figure``); their files are linked as
            ``figures/<name>.png`` (:func:`build_site` copies them there). Default: the study's figures folder.
    """
    import jinja2
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    _annotate_figures(nb, path.stem, figures if figures is not None else _default_figures())
    exporter = HTMLExporter(template_name="basic", extra_loaders=[jinja2.DictLoader({"study_page.html.j2": _TEMPLATE})],
                            template_file="study_page.html.j2")
    body, _ = exporter.from_notebook_node(nb)
    toc = _toc(body)
    if toc:
        body = re.sub(r"(</h1>)", lambda m: m.group(1) + toc, body, count=1) if "</h1>" in body else toc + body
    return body


def write_page(path: Path, out: Path, nav: str, figures: Path | None = None) -> Path:
    """Render one executed notebook as ``out/<notebook>.html`` (a study run does it as each notebook finishes).

    Args:
        path: the executed notebook.
        out: the site folder.
        nav: the navigation (:func:`site_nav`).
        figures: where its figures were exported (see :func:`notebook_body`).
    """
    out.mkdir(parents=True, exist_ok=True)
    title, _ = notebook_summary(path)
    page = out / f"{path.stem}.html"
    page.write_text(page_html(title, notebook_body(path, figures), nav, code_toggle=True), encoding="utf-8")
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
    index.write_text(page_html(STUDY_TITLE, body, '<a href="index.html">Index</a>'), encoding="utf-8")
    return index


def _figure_rows(figures: Path | None, out: Path) -> list[str]:
    """Copy the exported figures to ``out/figures/`` and return one ``<figure>`` per PNG for the index."""
    if figures is None or not figures.is_dir():
        return []
    target = out / "figures"
    target.mkdir(exist_ok=True)
    rows = []
    for png in sorted(figures.glob("*.png")):
        shutil.copyfile(png, target / png.name)
        if png.with_suffix(".svg").is_file():
            shutil.copyfile(png.with_suffix(".svg"), target / png.with_suffix(".svg").name)
        title, description = figure_text(png)
        href, caption = _figure_caption(png.stem, title, description, figures, "figures/")
        rows.append(f'<figure><a href="{html.escape(href)}"><img src="figures/{html.escape(png.name)}" '
                    f'alt="{html.escape(title)}" width="720"></a>{caption}</figure>')
    return rows


def build_site(notebooks: list[Path], out: Path, figures: Path | None = None, note: str = "",
               findings: bool = True, pages_written: bool = False, extra_links: Sequence[tuple[str, str]] = ()) -> Path:
    """Write ``out/index.html``, ``out/<notebook>.html`` for each notebook and copy the figures.

    Args:
        notebooks: executed notebooks, in reading order.
        out: the site folder (created; pages in it are overwritten).
        figures: a folder of exported figures (PNG and SVG) to show on the index page (copied to ``out/figures/``).
        note: a line shown under the title (e.g. which corpus this run used).
        findings: list each notebook's typed *Main findings* on the index. They are written for the bundled corpus,
            so a run on another corpus leaves them out and says so. Findings computed by a notebook's ``findings``
            cell are true for any corpus and always listed.
        pages_written: the notebooks' pages are in ``out`` already (:func:`write_page`): write the index only.
        extra_links: more ``(href, label)`` entries for the navigation (:func:`site_nav`), e.g. an explorer's pages.

    Returns:
        The index page.
    """
    from nbconvert.filters.markdown import markdown2html

    out.mkdir(parents=True, exist_ok=True)
    nav = site_nav(notebooks, extra_links)
    rows = []
    for path in notebooks:
        if not pages_written:
            write_page(path, out, nav, figures)
        title, summary, computed = _summary(path)
        shown = markdown2html(summary) if findings or computed else f"<p>{html.escape(_NOT_THIS_CORPUS)}</p>"
        rows.append(f'<li><a href="{path.stem}.html">{html.escape(title)}</a><div class="find">{shown}</div></li>')
    figure_rows = _figure_rows(figures, out)
    body = (f"<h1>{html.escape(STUDY_TITLE)}</h1>" + (f"<p><em>{html.escape(note)}</em></p>" if note else "")
            + f'<h2>Notebooks</h2><ol class="notebooks">{"".join(rows)}</ol>'
            + "<h2>Figures</h2>" + ("".join(figure_rows) or "<p>No figures exported yet: run <code>make study</code>.</p>")
            + "<h2>Reproduce</h2><p>With Python 3.11–3.13: <code>make study</code> re-executes every notebook and rebuilds "
              "this site; <code>make test</code> runs the unit tests and strict nbval. Your own reports: "
              "<code>make study CORPUS=folder OUT=folder</code>. The study's own data: <code>data/raw/</code> "
              "(reports as received and <code>reports.csv</code>); a run on another folder lists what it read of it in "
              "<code>files.csv</code> beside this site.</p>")
    index = out / "index.html"
    index.write_text(page_html(STUDY_TITLE, body, nav), encoding="utf-8")
    return index
