"""The study's CJK font (Noto Sans SC, SIL Open Font License), for matplotlib and wordcloud.

The font comes with the environment as the PyPI package ``pylopdf-fonts-zh-cn``; nothing is downloaded at run
time. :func:`use_cjk_font` registers it with matplotlib and makes it the default sans-serif font, so Chinese
labels render instead of boxes (and matplotlib raises no missing-glyph warnings).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_FAMILY = "Noto Sans SC"


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans SC font file (also the ``font_path`` to give ``wordcloud.WordCloud``)."""
    from pylopdf_fonts_zh_cn import sans_path

    path = Path(sans_path())
    if not path.is_file():  # pragma: no cover - a broken install
        raise FileNotFoundError(f"{path}: the CJK font is missing; reinstall the environment with `make setup`")
    return path


def use_cjk_font() -> str:
    """Register Noto Sans SC with matplotlib and make it the default font; returns the family name.

    Also keeps the minus sign as ASCII ``-`` (the font has no U+2212 in some builds) and writes SVG text as
    text (``svg.fonttype: none``): an SVG's labels stay editable and translatable in a slide or drawing program,
    each ``<text>`` naming ``font-family: 'Noto Sans SC', 'DejaVu Sans', sans-serif`` (the generic family is
    the fallback where the font is not installed). PNGs are drawn with the font itself, as before.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = str(cjk_font_path())
    if path not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [FONT_FAMILY, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    mpl.rcParams["svg.fonttype"] = "none"
    mpl.rcParams["svg.hashsalt"] = "fzzf-study"  # deterministic SVG ids
    return FONT_FAMILY


def missing_glyphs(text: str, path: Path | None = None) -> list[str]:
    """Characters of ``text`` (other than white space) that the font has no glyph for, sorted."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(path or cjk_font_path()))
    return sorted({c for c in text if not c.isspace() and font.get_char_index(ord(c)) == 0})
