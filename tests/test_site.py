"""The rendered site: an index linking every notebook, its findings, and the figures."""

from __future__ import annotations

from helpers.paths import NOTEBOOKS
from helpers.site import build_site, notebook_summary


def test_summary_reads_title_and_findings():
    title, findings = notebook_summary(NOTEBOOKS / "01_corpus.ipynb")
    assert title.startswith("01 · The corpus")
    assert findings.startswith("every report has the four mandated parts")


def test_build_site(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (figures / "x.svg").write_text("<svg/>", encoding="utf-8")
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    index = build_site(notebooks, tmp_path / "site", figures)
    html = index.read_text(encoding="utf-8")
    for nb in notebooks:
        assert f'href="{nb.stem}.html"' in html
        page = (tmp_path / "site" / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert "<html" in page and "法治" in page
    assert 'src="figures/x.png"' in html and (tmp_path / "site" / "figures" / "x.svg").is_file()
