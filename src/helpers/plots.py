"""Charts of the study. Plotting never computes statistics: every function draws a table it is given.

One palette (:mod:`helpers.palette`: each meaning one colour) and one part order (:data:`PARTS`) for every chart,
so a reader learns them once. Labels of categories are bilingual (中文 / English). Charts are drawn to be lifted
into slides: every text is at least :data:`MIN_SLIDE_PT` points when the PNG is placed at the width of a 16:9
slide (:data:`SLIDE_WIDTH_IN`), legends sit outside the data, a colour that encodes a value has a colour bar, and a
zero is drawn (a thin bar and its 0), not left out. :func:`save_figure` writes PNG and SVG (text kept as text) with
the chart's title and caption inside the files; in IPython a displayed figure carries its title as the PNG's alt
text and the name it was saved under (:func:`figure_metadata`).
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import LogFormatter
from matplotlib.transforms import ScaledTranslation

from helpers import palette
from helpers.fonts import cjk_font_path, use_cjk_font
from helpers.paths import FIGURES
from helpers.segment import PART_LABELS_ZH, PARTS
from helpers.structure import SMALL_N
from helpers.unavailable import Unavailable

#: Part → colour, from :data:`helpers.palette.PART_COLOURS` (kept here for callers that import it from plots).
PART_COLOURS = palette.PART_COLOURS
#: Kind of cited document → colour, from :data:`helpers.palette.KIND_COLOURS`.
KIND_COLOURS = palette.KIND_COLOURS
#: Kind of cited document → English name (the legend is bilingual).
KIND_LABELS_EN = {
    "法律": "laws", "党内法规": "Party regulations", "法规规章": "regulations & rules", "规划纲要": "plans & outlines",
    "书籍讲话": "books & speeches", "本单位制度": "own rules", "媒体": "media", "其他": "other",
}
#: The short Chinese part names the notebooks put in heatmap column labels (``举措 · 小寨路街道``).
PART_SHORT_ZH = {"measures": "举措", "shortcomings": "不足", "plans": "安排", "leadership": "领导"}

#: Width of a 16:9 slide (inches) and the smallest text (points) a chart may have when its PNG is placed at that
#: width: a text of ``s`` points in a figure ``w`` inches wide is ``s × 13.33 / w`` points on the slide.
SLIDE_WIDTH_IN = 13.33
MIN_SLIDE_PT = 9.0


def min_font_pt(width_in: float) -> float:
    """The smallest font size (pt) that reads as :data:`MIN_SLIDE_PT` once a figure ``width_in`` wide fills a slide."""
    return MIN_SLIDE_PT * width_in / SLIDE_WIDTH_IN


def _group_rules(ax, groups: Sequence[str]) -> None:
    """A heatmap's columns in groups: a rule between groups, each group's name above its columns."""
    n_cols = len(groups)
    bounds = [k for k in range(1, n_cols) if groups[k] != groups[k - 1]]
    for k in bounds:
        ax.axvline(k - 0.5, color=palette.INK, linewidth=2.0)
    starts, ends = [0, *bounds], [*bounds, n_cols]
    above = ax.secondary_xaxis("top")
    above.set_xticks([(a + b - 1) / 2 for a, b in zip(starts, ends)], [groups[a] for a in starts], fontsize=10)
    above.tick_params(length=0)
    above.spines["top"].set_visible(False)


def _unless_unavailable(draw):
    """A chart of data that are :class:`~helpers.unavailable.Unavailable` is that same sentence, not a figure."""
    @functools.wraps(draw)
    def wrapper(data, *args, **kwargs):
        if isinstance(data, Unavailable):
            return data
        return draw(data, *args, **kwargs)
    return wrapper


#: Up to this many reports a chart draws one bar or row per report; beyond it, the distribution over reports
#: (box plots, histograms), which stays readable at 10⁴ reports — the per-report numbers are in the tables.
MAX_PER_REPORT = SMALL_N

#: The resolution of the PNG files :func:`save_figure` writes.
SAVED_DPI = 150

#: Title and caption of each figure drawn here, the name it was saved under (for files and display metadata), and
#: the PNG it was saved as (shown in a notebook as it is, :func:`save_figure`).
_META: weakref.WeakKeyDictionary[Figure, dict] = weakref.WeakKeyDictionary()


def many(labels: Mapping[str, str] | Sequence[str]) -> bool:
    """True when a per-report chart has too many reports to draw one bar each (:data:`MAX_PER_REPORT`)."""
    return len(labels) > MAX_PER_REPORT


#: Below this many values a distribution is drawn as its points, not a box: quartiles of two values mislead.
MIN_BOX_N = 5


def _boxes(ax, columns: Sequence[str], samples: Sequence[np.ndarray], colours: Sequence[str], fmt: str = "{:.0f}",
           horizontal: bool = False, limit: float | None = None, zoom: bool = False) -> None:
    """Box plots (median, quartiles, 1.5 IQR whiskers) of each sample, its median and n written at its box.

    A sample of fewer than :data:`MIN_BOX_N` values is drawn as its points (a box of two values would draw
    quartiles that are not there). Each label sits just past the box's upper whisker (or its highest point), inside
    the axes; where that would leave them (the whisker at the axis' end), just before its lower whisker — never by
    an outlier far from the box. ``limit`` caps the value axis (100 for a rate whose values stay within 100 %): the
    axis runs from 0 to it, or, with ``zoom``, from 0 to just past the highest value (rates all under 15 % keep their
    room to differ; panels side by side keep the whole scale, to compare).
    """
    kept = [(c, x, col) for c, x, col in zip(columns, samples, colours) if len(x)]
    if not kept:
        return
    names, data, fills = zip(*kept)
    at = list(range(1, len(data) + 1))
    boxed = [k for k, x in zip(at, data) if len(x) >= MIN_BOX_N]
    ends: dict[int, tuple[float, float]] = {}  # position → (lower, upper) end of what is drawn at the box
    if boxed:
        box = ax.boxplot([data[k - 1] for k in boxed], positions=boxed,
                         orientation="horizontal" if horizontal else "vertical", patch_artist=True, widths=0.6,
                         showfliers=True, flierprops={"marker": ".", "markersize": 2, "alpha": 0.4},
                         medianprops={"color": palette.INK})
        for patch, k in zip(box["boxes"], boxed):
            patch.set_facecolor(fills[k - 1])
            patch.set_alpha(0.8)
        for artist in [*box["whiskers"], *box["caps"], *box["boxes"], *box["medians"]]:
            artist.set_clip_on(False)  # a whisker at the axis' end (100 %) is drawn whole
        whiskers = box["whiskers"]
        for j, k in enumerate(boxed):
            low, high = whiskers[2 * j], whiskers[2 * j + 1]
            get = (lambda line: line.get_xdata()) if horizontal else (lambda line: line.get_ydata())
            ends[k] = (float(np.min(get(low))), float(np.max(get(high))))
    for k, x in zip(at, data):
        if k in ends:
            continue
        spread = np.linspace(-0.12, 0.12, len(x)) if len(x) > 1 else np.zeros(1)
        xy = (np.sort(x), k + spread) if horizontal else (k + spread, np.sort(x))
        ax.scatter(*xy, s=22, color=fills[k - 1], edgecolors=palette.INK, linewidths=0.6, zorder=3, clip_on=False)
        ends[k] = (float(np.min(x)), float(np.max(x)))
    if horizontal:  # a row per sample, top to bottom, whether it is a box or points
        ax.set_yticks(at, list(names), fontsize=9)
        ax.set_ylim(len(at) + 0.5, 0.5)
    else:
        ax.set_xticks(at, list(names), fontsize=9)
        ax.set_xlim(0.5, len(at) + 0.5)
    ax.margins(**{"x" if horizontal else "y": 0.08})
    if limit is not None:  # a rate: its whole scale, 0 to 100 % — or, zoomed, from 0 to its values (never past 100)
        upper = (ax.get_xlim() if horizontal else ax.get_ylim())[1]
        zoomed = zoom and any(float(np.max(x)) > 0 for x in data)
        (ax.set_xlim if horizontal else ax.set_ylim)(min(0.0, *(float(np.min(x)) for x in data)),
                                                     min(upper, limit) if zoomed else limit)
    lo, hi = ax.get_xlim() if horizontal else ax.get_ylim()
    to_axes = ax.transAxes.inverted()
    extent = ax.bbox.width if horizontal else ax.bbox.height
    def fraction(value: float, k: int) -> float:  # where a value sits along the value axis (0–1)
        return float(to_axes.transform(ax.transData.transform((value, k) if horizontal else (k, value)))[
            0 if horizontal else 1])

    style = {"fontsize": 9, "textcoords": "offset points", "annotation_clip": False,
             "bbox": {"boxstyle": "square,pad=0.1", "facecolor": palette.PAPER, "edgecolor": "none", "alpha": 0.85}}
    for k, x in zip(at, data):
        label = f"{fmt.format(float(np.median(x)))} (n = {len(x):,})"
        low, high = ends[k]
        room = (len(label) * 5.5 + 6 if horizontal else 17) * ax.figure.dpi / 72 / max(extent, 1.0)  # label's size
        if fraction(high, k) + room <= 1.0:  # past the upper end
            value, sign = high, 1
        elif fraction(low, k) - room >= 0.0:  # else before the lower end
            value, sign = low, -1
        else:  # else across the box, at its median, on paper
            value, sign = float(np.median(x)), 0
        point = (value, k) if horizontal else (k, value)
        if horizontal:
            ax.annotate(label, point, xytext=(4 * sign, 0), va="center",
                        ha={1: "left", -1: "right", 0: "center"}[sign], **style)
        else:
            ax.annotate(label, point, xytext=(0, 3 * sign), ha="center",
                        va={1: "bottom", -1: "top", 0: "center"}[sign], **style)
    (ax.set_xlim if horizontal else ax.set_ylim)(lo, hi)


def profile_groups(profile: pd.DataFrame | Unavailable) -> str:
    """What the columns of a :func:`helpers.themes.profile_by_report_or_region` profile are, for a chart's axis label."""
    if isinstance(profile, pd.DataFrame) and "macro_region" in profile.columns:
        return "macro-region (its reports in brackets)"
    return "report"


def part_label(part: str, names: Mapping[str, str] | None = None) -> str:
    """Bilingual label of a part: ``不足和原因 / shortcomings``.

    Args:
        part: the part.
        names: part → Chinese name in the genre charted (:attr:`helpers.context.Study.part_names`: a 政府工作报告's
            measures are its 工作回顾); default the 法治 report's (:data:`helpers.segment.PART_LABELS_ZH`).
    """
    return f"{(names or PART_LABELS_ZH)[part]} / {part}"


def kind_label(kind: str) -> str:
    """Bilingual label of a kind of cited document: ``法律 / laws``."""
    return f"{kind} / {KIND_LABELS_EN[kind]}" if kind in KIND_LABELS_EN else kind


@functools.lru_cache(maxsize=1)
def _theme_labels() -> dict[str, str]:
    from helpers.themes import default_codebooks

    return default_codebooks()[0].labels


def category_label(key: object) -> str:
    """A category's bilingual label: a theme id gets its codebook label, a part id :func:`part_label`.

    ``(none)`` (no theme) becomes ``（无）/ (none)``; anything else is returned as text, unchanged.
    """
    text = str(key)
    if text in _theme_labels():
        return _theme_labels()[text]
    if text in PART_LABELS_ZH:
        return part_label(text)
    if text == "(none)":
        return "（无）/ (none)"
    return text


def _legible(fig: Figure) -> None:
    """Raise every text of ``fig`` to :func:`min_font_pt` of its width (a slide's 9 pt), tick labels included."""
    floor = math.ceil(2 * min_font_pt(fig.get_figwidth())) / 2
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which in ("major", "minor"):
                sizes = [float(t.get_fontsize()) for t in axis.get_ticklabels(which=which)]
                if not sizes or min(sizes) < floor:
                    axis.set_tick_params(which=which, labelsize=max(floor, max(sizes, default=floor)))
    for text in fig.findobj(Text):
        if float(text.get_fontsize()) < floor:
            text.set_fontsize(floor)


def _wrap_to(text: Text, fig: Figure, room_in: float) -> None:
    """Wrap ``text`` at spaces (or anywhere in Chinese) so that it is at most ``room_in`` inches wide."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # the Agg canvas (use_cjk_font)
    content = text.get_text()
    room = room_in * fig.dpi
    width = text.get_window_extent(renderer).width
    if width > room:  # characters a line holds, from the text's mean width (×0.9: Han characters are wider)
        chars = max(12, int(0.9 * len(content) * room / width))
        text.set_text(textwrap.fill(content, chars, break_long_words=" " not in content))


def _caption(fig: Figure, caption: str, top: float = 1.0) -> None:
    """Draw the source caption at the bottom, wrapped to the figure's width, and lay the figure out above it.

    A caption grows with what it must say (n, years, metadata source, versions, a chart's own note): it is
    wrapped at spaces into lines that fit, and the figure grows by its height, so that the chart keeps the room it
    was drawn for (a one-report chart is short) and the caption sits below it. ``top`` is the fraction of the
    chart's height left above the axes (for a figure title). Every text is raised to a slide's 9 pt first
    (:func:`_legible`), and a title wider than the figure is wrapped.
    """
    _META.setdefault(fig, {})["caption"] = caption
    text = fig.text(0.01, 0.01, caption, fontsize=8, color=palette.MUTED, ha="left", va="bottom")
    _legible(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # the Agg canvas (use_cjk_font)
    _wrap_to(text, fig, 0.97 * fig.get_figwidth())
    suptitle = fig._suptitle  # type: ignore[attr-defined]  # noqa: SLF001 - matplotlib keeps the figure title there
    if suptitle is not None:
        _META[fig]["title"] = suptitle.get_text()
        lines = suptitle.get_text().count("\n")
        _wrap_to(suptitle, fig, 0.97 * fig.get_figwidth())
        if suptitle.get_text().count("\n") > lines:  # a wrapped title needs room: one line ≈ its font's height
            fig.set_figheight(fig.get_figheight()
                              + (suptitle.get_text().count("\n") - lines) * suptitle.get_fontsize() * 1.3 / 72)
    chart = fig.get_figheight()
    below = text.get_window_extent(renderer).height / fig.dpi + 0.15  # inches: the caption and a margin
    fig.set_figheight(chart + below)
    text.set_y(0.05 / (chart + below))
    fig.tight_layout(rect=(0, below / (chart + below), 1, 1 - (1 - top) * chart / (chart + below)))


def _legend_under(fig: Figure, ax, depth: float, x: float = 0.5, loc: str = "upper center", **kwargs) -> None:
    """A legend hung ``depth`` inches under the axes, below their tick labels and axis label, centred on ``x``.

    Outside the data, whatever the axes' height and however high the bars reach. ``x`` is in axes fractions
    (0 = the axes' left edge); ``loc`` the legend's corner that sits there (``upper right`` with ``x = 0``: under
    the row labels, left of the axes).
    """
    under = ax.transAxes + ScaledTranslation(0, -depth, fig.dpi_scale_trans)
    ax.legend(loc=loc, bbox_to_anchor=(x, 0), bbox_transform=under, frameon=False, fontsize=9, **kwargs)


def _finish(fig: Figure, ax, title: str, caption: str) -> Figure:
    # from the figure's left edge, as in the multi-panel charts: a title that starts where long row labels end
    # (cited documents) ran off the right edge; the font ships one weight, so no bold
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption)
    return fig


def _is_rate(label: str) -> bool:
    """Whether an axis label names a rate (a %), whose axis stops at 100 unless a value passes it."""
    return "%" in label


def _zero_bar(ax, x: float, top: float, colour: str, width: float, horizontal: bool = False) -> None:
    """A zero drawn visibly: a bar 1 % of the axis tall, edged in ``colour``, and its value 0 written beside it."""
    thin = max(top, 1e-9) * 0.01
    if horizontal:
        ax.barh(x, thin, height=width, color=colour, edgecolor=colour, linewidth=1.0)
        ax.text(thin + top * 0.01, x, "0", va="center", ha="left", fontsize=9, color=palette.INK)
    else:
        ax.bar(x, thin, width=width, color=colour, edgecolor=colour, linewidth=1.0)
        ax.text(x, thin + top * 0.01, "0", ha="center", va="bottom", fontsize=9, color=palette.INK)


@_unless_unavailable
def parts_in_text_order(parts: pd.DataFrame, labels: Mapping[str, str], title: str, caption: str,
                        part_names: Mapping[str, str] | None = None) -> Figure:
    """Each report as one horizontal bar, its parts left to right in the order they appear, by share of characters.

    Args:
        parts: a :func:`helpers.structure.parts_table` (``report_id, part_seq, part, share_pct``).
        labels: report id → row label, in display order (top to bottom).
        title: the finding, stated.
        caption: source line (n reports, years).
        part_names: part → Chinese name (:func:`part_label`).
    """
    use_cjk_font()
    if many(labels):  # the share of each part, over reports
        held = set(parts["part"].tolist())
        present = [p for p in PARTS if p in held]
        per_report = parts.groupby(["report_id", "part"])["share_pct"].sum()
        fig, ax = plt.subplots(figsize=(10, 1.4 + 0.5 * len(present)))
        _boxes(ax, [part_label(p, part_names) for p in present],
               [per_report.xs(p, level="part").to_numpy() for p in present], [palette.part_colour(p) for p in present],
               horizontal=True)
        ax.set_xlabel("share of the report's characters (%), in each report that has the part (n at each box)")
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    fig, ax = plt.subplots(figsize=(10, max(2.8, 1.0 + 0.6 * len(labels))))  # a bar, its labels and the legend
    for row, rid in enumerate(labels):
        left = 0.0
        for p in parts[parts["report_id"] == rid].sort_values("part_seq").itertuples():
            colour = palette.part_colour(p.part)
            ax.barh(row, p.share_pct, left=left, color=colour, edgecolor=palette.PAPER, linewidth=0.8)
            if p.share_pct >= 6:
                ax.text(left + p.share_pct / 2, row, f"{p.share_pct:.0f}", ha="center", va="center",
                        fontsize=9, color=palette.text_on(to_rgba(colour)))
            left += p.share_pct
    ax.set_yticks(range(len(labels)), list(labels.values()))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the report's characters, in text order (%)")
    ax.spines[["top", "right"]].set_visible(False)
    held = set(parts["part"].tolist())
    present = [p for p in PARTS if p in held]
    _legend_under(fig, ax, 0.6, handles=[Patch(color=palette.part_colour(p), label=part_label(p, part_names))
                                         for p in present], ncol=min(4, len(present)))
    return _finish(fig, ax, title, caption)


@_unless_unavailable
def grouped_bars(values: pd.DataFrame, labels: Mapping[str, str], ylabel: str, title: str, caption: str,
                 fmt: str = "{:.0f}", part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Grouped bars: one group per report (rows of ``values``), one bar per part (its columns), part colours.

    A value of 0 is drawn (a thin bar and a 0 above it): "no shortcoming item names a figure" is the chart's
    finding, not an absence. A report without the part (NaN) gets no bar and no number.

    Args:
        values: rows are report ids, columns part labels.
        labels: report id → label, in display order.
        ylabel: the y-axis label, with units.
        title: the finding, stated.
        caption: source line.
        fmt: how to print each bar's value above it.
        part_names: part → Chinese name (:func:`part_label`).
    """
    use_cjk_font()
    columns = [c for c in values.columns if values[c].notna().any()]
    if not columns:
        return Unavailable("the bars of this chart", "every value is missing in this corpus")
    highest = float(np.nanmax(values[columns].to_numpy(float)))
    rate_cap = 100.0 if _is_rate(ylabel) and highest <= 100 else None  # a rate's axis stops at 100 %
    if many(labels):  # each column's values over reports
        fig, ax = plt.subplots(figsize=(10, 4.2))
        _boxes(ax, [part_label(c, part_names) for c in columns], [values[c].dropna().to_numpy(float) for c in columns],
               [palette.part_colour(c) for c in columns], fmt=fmt, limit=rate_cap, zoom=True)
        ax.set_ylabel(textwrap.fill(ylabel + ", per report (n at each box)", 40, break_long_words=False))
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    fig, ax = plt.subplots(figsize=(10, 4.2))
    width = 0.8 / max(1, len(columns))
    top = float(np.nanmax(values[columns].to_numpy(float)))
    top = top if top > 0 else 1.0
    for k, part in enumerate(columns):
        xs = [i + (k - (len(columns) - 1) / 2) * width for i in range(len(labels))]
        heights = [float(values.loc[rid, part]) if rid in values.index else np.nan for rid in labels]
        colour = palette.part_colour(part)
        ax.bar(xs, [h if np.isfinite(h) and h > 0 else 0.0 for h in heights], width=width, color=colour,
               label=part_label(part, part_names))
        for x, v in zip(xs, heights):
            if not np.isfinite(v):  # a report without this part gets no bar and no number
                continue
            if v == 0:
                _zero_bar(ax, x, top, colour, width)
            else:
                ax.text(x, v + top * 0.01, fmt.format(v), ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, min(top * 1.1, rate_cap or np.inf))
    ax.set_xticks(range(len(labels)), list(labels.values()), fontsize=9)
    ax.set_ylabel(textwrap.fill(ylabel, 40, break_long_words=False))  # a long label fits the axes' height
    ax.spines[["top", "right"]].set_visible(False)
    _legend_under(fig, ax, 0.35, ncol=len(columns))  # under the report names, never on a bar
    return _finish(fig, ax, title, caption)


def items_by_part(counts: pd.DataFrame, labels: Mapping[str, str], title: str, caption: str,
                  part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Grouped bars: number of items in each part of each report (:func:`helpers.structure.items_per_part`).

    A part that no report has (0 items everywhere) carries nothing: it is left out of the bars and the legend and
    named in the caption (``No report has: 其他 / other.``); a part some reports lack keeps its zeros, drawn.
    """
    absent = [c for c in counts.columns if not counts[c].fillna(0).ne(0).any()]
    if absent:
        caption += f" No report has: {', '.join(part_label(c, part_names) for c in absent)}."
    return grouped_bars(counts.drop(columns=absent), labels, "items (numbered, titled or paragraph)", title, caption,
                        part_names=part_names)


@_unless_unavailable
def keyness_bars(table: pd.DataFrame, target: str, reference: str, title: str, caption: str, top: int = 12,
                 stat: str = "G2", part_names: Mapping[str, str] | None = None) -> Figure:
    """Diverging bars of signed keyness: the ``top`` terms of the target (right) and of the reference (left).

    Args:
        table: :func:`helpers.vocabulary.keyness` output.
        target: the target's part label (its colour; e.g. ``shortcomings``).
        reference: the reference's part label (e.g. ``measures``).
        title: the finding, stated.
        caption: source line.
        top: terms shown on each side.
        stat: the signed statistic to draw (``G2`` or ``chi2``).
        part_names: part → Chinese name (:func:`part_label`).
    """
    use_cjk_font()
    pos = table[table[stat] > 0].nlargest(top, stat)
    neg = table[table[stat] < 0].nsmallest(top, stat)
    shown = pd.concat([pos, neg.iloc[::-1]])
    fig, ax = plt.subplots(figsize=(10, 0.9 + 0.3 * max(len(shown), 4)))
    ys = range(len(shown))
    colours = [palette.part_colour(target) if v > 0 else palette.part_colour(reference) for v in shown[stat]]
    ax.barh(list(ys), shown[stat], color=colours)
    for y, (token, v, nt, nr) in enumerate(zip(shown["token"], shown[stat], shown["n_target"], shown["n_reference"])):
        ax.text(v + (0.3 if v > 0 else -0.3), y, f"{token} ({nt}:{nr})", va="center",
                ha="left" if v > 0 else "right", fontsize=9)
    ax.axvline(0, color=palette.INK, linewidth=0.8)
    ax.set_yticks([])
    ax.invert_yaxis()
    high = float(shown[stat].max()) if len(shown) else 1.0
    low = float(shown[stat].min()) if len(shown) else -1.0
    room = 0.4 * max(high, -low, 1.0)  # space for the labels beside the bars
    ax.set_xlim(min(low, 0.0) - room, max(high, 0.0) + room)
    sides = f"+ {part_label(target, part_names)}, − {part_label(reference, part_names)}"
    ax.set_xlabel(f"signed {'G²' if stat == 'G2' else 'χ²'} ({sides}); (n target : n reference)")
    ax.spines[["top", "right", "left"]].set_visible(False)
    return _finish(fig, ax, title, caption)


def wordclouds(frequencies: Mapping[str, Mapping[str, float]], title: str, caption: str, seed: int = 42,
               part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Word clouds side by side, one per part, drawn through matplotlib (deterministic: fixed seed and font).

    The words are pixels of an image (in the SVG too); the panel titles, title and caption are text.

    Args:
        frequencies: part label → {term: weight}.
        title: the finding, stated.
        caption: source line.
        seed: ``random_state`` of the layout.
        part_names: part → Chinese name (:func:`part_label`).
    """
    from wordcloud import WordCloud

    frequencies = {part: freq for part, freq in frequencies.items() if freq}
    if not frequencies:
        return Unavailable("word clouds", "the parts to compare hold no content words in this corpus")
    use_cjk_font()
    fig, axes = plt.subplots(1, len(frequencies), figsize=(min(5.0 * len(frequencies), SLIDE_WIDTH_IN), 3.6))
    axes = [axes] if len(frequencies) == 1 else list(axes)
    for ax, (part, freq) in zip(axes, frequencies.items()):
        colour = palette.part_colour(part)
        cloud = WordCloud(font_path=str(cjk_font_path()), width=600, height=400, background_color=palette.PAPER,
                          random_state=seed, prefer_horizontal=1.0, max_words=60,
                          color_func=lambda *args, colour=colour, **kwargs: colour)
        cloud.generate_from_frequencies(dict(freq))
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_title(part_label(part, part_names) if part in PART_COLOURS else part, fontsize=11)
        ax.axis("off")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption, top=0.95)
    return fig


#: Colour-map names the notebooks passed before the palette, read as the meaning they drew (:mod:`helpers.palette`).
_CMAP_MEANINGS = {"Purples": "count", "Greys": "count", "Blues": "share", "Greens": "share", "Oranges": "share",
                  "RdBu": "difference", "PuOr": "difference"}
#: Chinese part name (short, as in heatmap columns, or full) → part.
_PART_BY_ZH = {**{zh: part for part, zh in PART_SHORT_ZH.items()}, **{zh: part for part, zh in PART_LABELS_ZH.items()}}


def _text_width_in(text: str, size_pt: float) -> float:
    """Rough width of a one-line text: a Han character is one em wide, other characters about half an em."""
    ems = sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in text)
    return ems * size_pt / 72


def _part_of(text: str) -> str | None:
    return text if text in PART_LABELS_ZH else _PART_BY_ZH.get(text)


def column_groups(columns: pd.Index) -> tuple[list[int], list[str], list[str]] | None:
    """How a heatmap's columns group: by part when one level of the labels is a part, else by the first level.

    Columns are two-level: a :class:`pandas.MultiIndex` of two levels, or labels ``a · b``
    (:func:`helpers.themes.matrix_labels`). When one level names parts (``举措``, ``不足和原因``, ``plans``) the
    groups are the parts, in the study's part order, whichever level they are on.

    Returns:
        ``(order, groups, subs)``: the columns' positions in drawing order, and each drawn column's group label
        (bilingual for a part: ``举措 / measures``) and own label; ``None`` for one-level columns.
    """
    if isinstance(columns, pd.MultiIndex) and columns.nlevels == 2:
        pairs = [(str(a), str(b)) for a, b in columns]
    elif len(columns) and all(isinstance(c, str) and " · " in c for c in columns):
        pairs = [(a, b) for a, b in (str(c).split(" · ", 1) for c in columns)]
    else:
        return None
    if all(_part_of(a) for a, _ in pairs):
        keyed = [(a, b, _part_of(a)) for a, b in pairs]
    elif all(_part_of(b) for _, b in pairs):
        keyed = [(b, a, _part_of(b)) for a, b in pairs]
    else:
        keyed = [(a, b, None) for a, b in pairs]
    first = {g: k for k, (g, _, _) in reversed(list(enumerate(keyed)))}  # a group's first column

    def rank(k: int) -> tuple[int, int, int]:
        group, _, part = keyed[k]
        return (PARTS.index(part) if part in PARTS else len(PARTS), first[group], k)

    order = sorted(range(len(keyed)), key=rank)
    groups = [f"{keyed[k][0]} / {keyed[k][2]}" if keyed[k][2] and keyed[k][0] != keyed[k][2] else
              (part_label(keyed[k][0]) if keyed[k][2] else keyed[k][0]) for k in order]
    return order, groups, [keyed[k][1] for k in order]


def _value_label(caption: str, meaning: str) -> str:
    """What a cell holds: the caption's ``Cells: …`` sentence (without the prefix), else ``count (n)`` or ``value``."""
    found = re.search(r"Cells: ([^.]*(?:\.\d[^.]*)*)\.?", caption)
    return found.group(1).strip() if found else ("count (n)" if meaning == "count" else "value")


@_unless_unavailable
def heatmap(table: pd.DataFrame, title: str, caption: str, fmt: str = "{:.0f}", cmap: str = "share",
            xlabel: str = "", ylabel: str = "", vmax: float | None = None, size: tuple[float, float] | None = None,
            value_label: str | None = None) -> Figure:
    """An annotated heatmap of ``table``, with a colour bar; rows and columns as given, labelled bilingually.

    Theme ids, part ids and ``(none)`` in the index or columns are drawn as their bilingual labels
    (:func:`category_label`). Two-level columns (part × report, report × part: :func:`column_groups`) are drawn in
    groups, by part where a level is the part, each group named above the heatmap and separated by a rule.

    Args:
        table: numbers to draw; NaN cells stay blank.
        title: the finding, stated.
        caption: source line.
        fmt: how to print each cell.
        cmap: what the colour encodes: ``share`` (rates, %), ``count`` (n) or ``difference`` (signed), whose
            colour maps are :mod:`helpers.palette`'s; a matplotlib map name of the notebooks' first runs is read
            as its meaning (``Purples`` = count, ``Greens``/``Oranges``/``Blues`` = share).
        xlabel: x-axis label, with units.
        ylabel: y-axis label.
        vmax: top of the colour scale (default: the table's maximum).
        size: figure size in inches (default from the table's shape and labels; the width is at most a slide's).
        value_label: the colour bar's label, with units (default: the caption's ``Cells: …`` sentence).
    """
    use_cjk_font()
    meaning = _CMAP_MEANINGS.get(cmap, cmap)
    grouped = column_groups(table.columns)
    if grouped is not None:
        order, groups, subs = grouped
        table = table.iloc[:, order]
        col_labels = [category_label(s) for s in subs]
    else:
        groups, col_labels = [], [category_label(c) for c in table.columns]
    row_labels = [category_label(r) for r in table.index]
    values = table.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    row_in = max((_text_width_in(r, 9) for r in row_labels), default=1.0)
    col_in = max((_text_width_in(c, 9) for c in col_labels), default=0.5)
    width = min(SLIDE_WIDTH_IN, max(size[0] if size else 0.0, row_in + 0.62 * n_cols + 2.2))
    height = max(size[1] if size else 0.0, 1.4 + 0.42 * n_rows + 0.7 * col_in + (0.4 if groups else 0.0))
    fig, ax = plt.subplots(figsize=(width, height))
    finite = values[np.isfinite(values)]
    top = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if meaning == "difference":
        reach = max(abs(float(finite.min())) if finite.size else 1.0, abs(top)) or 1.0
        low, top = -reach, reach
    else:
        low, top = 0.0, top or 1.0
    image = ax.imshow(values, cmap=palette.value_cmap(meaning), vmin=low, vmax=top, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v) and v != 0:
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9,
                    color=palette.text_on(tuple(image.cmap(image.norm(v)))))
    ax.set_xticks(range(n_cols), col_labels, rotation=40, ha="right", rotation_mode="anchor", fontsize=9)
    ax.set_yticks(range(n_rows), row_labels, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if groups:
        _group_rules(ax, groups)
    label = value_label or _value_label(caption, meaning)
    sums = np.nansum(values, axis=0)
    if meaning == "share" and "%" in label and (sums > 100.5).any() and set(row_labels) & set(_theme_labels().values()):
        label += f" — a column sums to up to {sums.max():.0f} %: an item on two themes counts for both"
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(textwrap.fill(label, 48, break_long_words=False), fontsize=9)
    bar.ax.tick_params(labelsize=9)
    return _finish(fig, ax, title, caption)


@_unless_unavailable
def dumbbells(shares: pd.DataFrame, panels: Sequence[str], rows: Sequence[str], row_labels: Mapping[str, str],
              title: str, caption: str, xlabel: str, parts: Sequence[str] = ("measures", "shortcomings"),
              part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Small multiples of dumbbells: one panel per group (e.g. macro-region), one row per theme, a dot per part.

    The first part is a filled dot, the second a wider ring around its value: where the two are equal the dot
    sits inside the ring, both visible.

    Args:
        shares: long table with columns ``panel, row, part, value`` (e.g. region, theme, part, share %).
        panels: panel names, in order; a panel without data is left out, and the caption names it.
        rows: row keys (themes), in order, top to bottom.
        row_labels: row key → label.
        title: the finding, stated.
        caption: source line.
        xlabel: x-axis label with units.
        parts: the parts to draw (their colours from :data:`PART_COLOURS`).
        part_names: part → Chinese name (:func:`part_label`).
    """
    empty = [p for p in panels if not (shares["panel"] == p).any()]
    panels = [p for p in panels if p not in empty]  # a panel without data would be an empty frame
    if not panels:
        return Unavailable("the comparison by region", "no report carries a region")
    if empty:
        caption += f" No report from {', '.join(empty)}: no panel."
    use_cjk_font()
    label_in = max((_text_width_in(row_labels[r], 9) for r in rows), default=1.0)
    width = min(SLIDE_WIDTH_IN, label_in + 2.4 * len(panels) + 0.5)
    fig, axes = plt.subplots(1, len(panels), figsize=(width, 2.6 + 0.36 * len(rows)), sharey=True)
    axes = [axes] if len(panels) == 1 else list(axes)
    top = float(shares["value"].max()) if len(shares) else 1.0
    for ax, panel in zip(axes, panels):
        mine = shares[shares["panel"] == panel]
        for y, row in enumerate(rows):
            values = [mine[(mine["row"] == row) & (mine["part"] == part)]["value"] for part in parts]
            points = [float(v.iloc[0]) if len(v) else np.nan for v in values]
            if all(np.isfinite(points)):
                ax.plot(points, [y] * len(points), color=palette.NEUTRAL, linewidth=1.5, zorder=1)
            for k, (part, x) in enumerate(zip(parts, points)):
                if not np.isfinite(x):
                    continue
                colour = palette.part_colour(part)
                if k % 2:
                    ax.scatter([x], [y], s=110, facecolors="none", edgecolors=colour, linewidths=2.0, zorder=2)
                else:  # the first part a dot, the second a wider ring round it: equal values show both
                    ax.scatter([x], [y], s=36, color=colour, zorder=3)
        ax.set_title(panel, fontsize=11)
        ax.set_xlim(-3, top * 1.08 + 3)
        ax.grid(axis="x", color=palette.GRID)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel(textwrap.fill(xlabel, 28, break_long_words=False), fontsize=9)
    axes[0].set_yticks(range(len(rows)), [row_labels[r] for r in rows], fontsize=9)
    axes[0].invert_yaxis()
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=7 if k % 2 == 0 else 10,
                      markerfacecolor="none" if k % 2 else palette.part_colour(p),
                      markeredgecolor=palette.part_colour(p), markeredgewidth=2.0 if k % 2 else 1.0,
                      label=part_label(p, part_names)) for k, p in enumerate(parts)]
    # under the row labels, left of the first panel: a legend under the panels would widen the gaps between them
    _legend_under(fig, axes[0], 0.75, x=-0.05, loc="upper right", handles=handles, ncol=1)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption, top=0.95)
    return fig


@_unless_unavailable
def bars(values: pd.Series, labels: Mapping[str, str], title: str, caption: str, xlabel: str,
         notes: Mapping[str, str] | None = None, colour: str | None = None, xmax: float | None = None) -> Figure:
    """Horizontal bars, one per report (``values`` indexed by report id, drawn in ``labels`` order).

    A value of 0 is drawn as a thin bar with its 0 written; a missing value says ``n/a``.

    Args:
        values: the number per report (NaN: drawn as "n/a").
        labels: report id → label, in display order.
        title: the finding, stated.
        caption: source line.
        xlabel: x-axis label with units.
        notes: report id → text printed after the bar (e.g. ``3 / 4``).
        colour: bar colour (default :data:`helpers.palette.QUANTITY`).
        xmax: right end of the axis.
    """
    use_cjk_font()
    colour = colour or palette.QUANTITY
    if many(labels):  # how the values spread over reports
        known = values.reindex(list(labels)).dropna().to_numpy(float)
        fig, ax = plt.subplots(figsize=(10, 4))
        ax.hist(known, bins=min(40, max(5, len(known) // 20)), range=(0, xmax) if xmax else None, color=colour)
        if len(known):
            ax.axvline(float(np.median(known)), color=palette.INK, linewidth=1)
            ax.text(float(np.median(known)), ax.get_ylim()[1] * 0.95, f"  median {np.median(known):.0f}", fontsize=9)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"reports (of {len(labels):,}; {len(labels) - len(known):,} n/a)")
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.5 * len(labels)))
    finite = values.reindex(list(labels)).to_numpy(float)
    reach = xmax or (float(np.nanmax(finite)) if np.isfinite(finite).any() else 1.0) or 1.0
    for y, rid in enumerate(labels):
        v = float(values.get(rid, np.nan))
        note = (notes or {}).get(rid, "")
        if not np.isfinite(v):
            ax.text(reach * 0.01, y, "n/a", va="center", fontsize=9, color=palette.MUTED)
            continue
        if v == 0:
            _zero_bar(ax, y, reach, colour, 0.8, horizontal=True)
            if note:
                ax.text(reach * 0.05, y, note, va="center", fontsize=9)
            continue
        ax.barh(y, v, color=colour)
        ax.text(v + reach * 0.01, y, note, va="center", fontsize=9)
    ax.set_yticks(range(len(labels)), list(labels.values()), fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, xmax if xmax is not None else reach * 1.15)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, ax, title, caption)


def indicator_units(table: pd.DataFrame, panels: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """The panels of :func:`indicator_panels`: one per family and unit, so that no axis mixes units.

    A family stated in one unit keeps its title; one stated in several (次 and 场) gets a panel per unit, the
    commonest first, titled ``普法宣传活动 / publicity events（次）``.

    Returns:
        ``(family, unit, panel title)`` in the order of ``panels``.
    """
    out = []
    for family, panel_title in panels.items():
        units = table.loc[table["family"] == family, "unit"].astype(str)
        counted = units.value_counts(sort=False)
        ranked = sorted(counted.index, key=lambda u: (-counted[u], list(units).index(u)))
        if len(ranked) <= 1:
            out.append((family, ranked[0] if ranked else "", panel_title))
        else:
            out.extend((family, unit, f"{panel_title}（{unit}）") for unit in ranked)
    return out


def _with_marks(caption: str, marks: str) -> str:
    """``caption`` ending with the chart's own sentence on its marks, in place of one a caller wrote.

    The chart words what its marks are (bars, boxes, dots), per drawing mode, so that the caption never contradicts
    the drawing: a trailing ``Bars: …``, ``Boxes: …``, ``Dots: …`` or ``Histogram: …`` sentence in ``caption``
    (written by the notebooks before the charts did) is replaced.
    """
    caption = re.sub(r"\s*\b(?:Bars|Boxes|Dots|Points|Histogram): .*\Z", "", caption, flags=re.S)
    return f"{caption} {marks}".strip()


def _indicator_boxes(table: pd.DataFrame, units: Sequence[tuple[str, str, str]], labels: Mapping[str, str],
                     title: str, caption: str) -> Figure:
    """:func:`indicator_panels` past :data:`MAX_PER_REPORT` reports: one panel per unit, a box (or points) per row.

    Rates (%) sit on a linear axis that stops at 100; counts on a log axis (they span decades), a panel for each
    unit, so that no axis holds two units.
    """
    shown = [(f, u, t) for f, u, t in units if ((table["family"] == f) & (table["unit"].astype(str) == u)).any()]
    by_unit: dict[str, list[tuple[str, str]]] = {}
    for family, unit, panel_title in shown:
        by_unit.setdefault(unit, []).append((family, panel_title))
    order = sorted(by_unit, key=lambda u: (u != "%", list(by_unit).index(u)))  # rates first, then counts
    heights = [max(1, len(by_unit[u])) for u in order] or [1]
    fig, axes = plt.subplots(len(heights), 1, figsize=(12, 1.3 + 0.55 * sum(heights) + 0.7 * len(heights)),
                             squeeze=False, gridspec_kw={"height_ratios": heights})
    for ax, unit in zip(axes.ravel(), order):
        rows = by_unit[unit]
        mine = [(table["family"] == f) & (table["unit"].astype(str) == unit) for f, _ in rows]
        samples = [table.loc[m & (table["value"] > 0), "value"].to_numpy(float) for m in mine]
        rate = unit == "%"
        highest = max((float(x.max()) for x in samples if len(x)), default=1.0)
        if not rate:  # plain numbers on the log axis (20, 300, 4,000), not powers of ten
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(LogFormatter(labelOnlyBase=False))
            ax.xaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.4)))
        _boxes(ax, [f"{t} ({int(m.sum()):,} of {len(labels):,} reports)" for (_, t), m in zip(rows, mine)],
               samples, [palette.QUANTITY] * len(rows), fmt="{:,.0f}", horizontal=True,
               limit=100.0 if rate and highest <= 100 else None)
        ax.set_xlabel("rate stated (%)" if rate else f"count stated ({unit}; log scale)", fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    if not order:
        axes[0, 0].axis("off")
    marks = (f"Boxes: each report's largest claim of the kind, as stated, over the reports that state it (median, "
             f"quartiles, whiskers to 1.5 × IQR; points where fewer than {MIN_BOX_N} reports state it); label: "
             f"median (n reports). One panel per unit.")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, _with_marks(caption, marks), top=0.95)
    return fig


@_unless_unavailable
def indicator_panels(table: pd.DataFrame, panels: Mapping[str, str], labels: Mapping[str, str], title: str,
                     caption: str) -> Figure:
    """Small multiples: one panel per comparable indicator and unit, one bar per report (missing reports say so).

    An axis never holds two units: a family the reports count in 次 and in 场 gets a panel for each
    (:func:`indicator_units`), and a report stated in the other unit says so in the panel it is absent from.

    Args:
        table: ``report_id, family, value, unit, qualifiers, flag`` — one row per report × family (the headline
            claim); ``flag`` is printed after the value (e.g. ``100%``).
        panels: family → panel title.
        labels: report id → label, in display order.
        title: the finding, stated.
        caption: source line.
    """
    use_cjk_font()
    units = indicator_units(table, panels)
    if many(labels):  # each indicator's headline values over the reports that state it, one panel per unit
        return _indicator_boxes(table, units, labels, title, caption)
    caption = _with_marks(caption, "Bars: each report's largest claim of the kind, as stated (余 = 'more than').")
    n = len(units)
    cols = 3 if n > 4 else max(n, 1)
    rows_n = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows_n, cols, figsize=(4.0 * cols, 0.9 + 0.42 * len(labels) * rows_n + 0.95 * rows_n),
                             squeeze=False)
    for ax, (family, unit, panel_title) in zip(axes.ravel(), units):
        stated = table[table["family"] == family].set_index("report_id")
        mine = stated[stated["unit"].astype(str) == unit]
        top = float(mine["value"].max()) if len(mine) else 1.0
        right = 100.0 if unit == "%" and top <= 100 else top * 1.6  # a rate's axis stops at 100 %
        for y, rid in enumerate(labels):
            if rid in mine.index:
                row = mine.loc[rid]
                ax.barh(y, row["value"], color=palette.QUANTITY)
                qualifiers = str(row["qualifiers"])
                number = ("近" if "近" in qualifiers else "") + f"{row['value']:,.0f}" + \
                    ("余" if "余" in qualifiers else "") + row["unit"]
                flag = f" ({row['flag']})" if row["flag"] and row["unit"] != "%" else ""
                if row["value"] > 0.7 * right:  # no room after the bar: the number inside its end
                    ax.text(row["value"] - right * 0.02, y, number + flag, va="center", ha="right", fontsize=9,
                            color=palette.text_on(to_rgba(palette.QUANTITY)))
                else:
                    ax.text(row["value"] + right * 0.02, y, number + flag, va="center", fontsize=9)
            elif rid in stated.index:
                ax.text(0, y, f" 以{stated.loc[rid, 'unit']}计 / in {stated.loc[rid, 'unit']}", va="center",
                        fontsize=9, color=palette.MUTED)
            else:
                ax.text(0, y, " 未报告 / not reported", va="center", fontsize=9, color=palette.MUTED)
        ax.set_yticks(range(len(labels)), list(labels.values()), fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, right)
        ax.set_title(panel_title.replace(" / ", "\n") if _text_width_in(panel_title, 10) > 2.6 else panel_title,
                     fontsize=10)
        ax.set_ylim(len(labels) - 0.4, -0.7)  # room above the first row and below the last for their notes
        ax.tick_params(axis="x", labelsize=9)
        ax.xaxis.get_major_locator().set_params(nbins=4)  # type: ignore[call-arg]  # an AutoLocator takes it
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption, top=0.95)
    return fig


@_unless_unavailable
def cited_documents_bars(counts: pd.DataFrame, title: str, caption: str, top: int = 15) -> Figure:
    """Horizontal bars: the most cited documents, coloured by kind (:func:`helpers.citations.document_counts`).

    Titles longer than 22 characters are wrapped onto a second line, so that the bars keep most of the width.
    """
    use_cjk_font()
    shown = counts.head(top)
    names = [textwrap.fill(f"《{d}》", 22) for d in shown["document"]]
    lines = sum(name.count("\n") + 1 for name in names)
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.3 * max(lines, 3)))
    ax.barh(range(len(shown)), shown["citations"], color=[palette.kind_colour(k) for k in shown["document_kind"]])
    for y, n in enumerate(shown["citations"]):
        ax.text(n, y, f" {n}", va="center", ha="left", fontsize=9)
    ax.set_yticks(range(len(shown)), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("citations (n)" if len(counts) <= top else f"citations (n): the {top} most cited of {len(counts):,} titles")
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # an AutoLocator takes it
    ax.spines[["top", "right"]].set_visible(False)
    kinds = list(dict.fromkeys(shown["document_kind"]))
    _legend_under(fig, ax, 0.55, handles=[Patch(color=palette.kind_colour(k), label=kind_label(k)) for k in kinds],
                  ncol=min(3, len(kinds)))  # under the axis label, never on a bar
    return _finish(fig, ax, title, caption)


_SHARES_THEME = "一个安排条目同主题 / a plan item shares its theme"
_NO_THEME_PLAN = "无同主题安排 / no plan item on its theme"


@_unless_unavailable
def plan_uptake(answers: pd.DataFrame, labels: Mapping[str, str], title: str, caption: str,
                threshold: float = 0.2) -> Figure | Unavailable:
    """How closely plans take up each stated shortcoming: one dot per shortcoming item, at its best similarity.

    Every shortcoming item with a theme is a dot at the TF-IDF cosine similarity between it and the most similar
    plan item of its report on the same theme (:func:`helpers.comparison.responsiveness`): filled when such a plan
    item exists, hollow when none shares its theme (the dot then stands at the most similar plan item at all). A
    dashed line marks ``threshold``; each report's row ends with how many of its items reach it. Past
    :data:`MAX_PER_REPORT` reports, a histogram of all items' similarities.

    Args:
        answers: :func:`helpers.comparison.responsiveness` output (``report_id, answered, similarity``).
        labels: report id → label, in display order.
        title: the finding, stated.
        caption: source line.
        threshold: the similarity from which a plan item takes up the shortcoming's own words.
    """
    if answers.empty:
        return Unavailable("how closely plans take up the shortcomings", "no shortcoming item in this corpus carries a theme")
    use_cjk_font()
    colour = palette.part_colour("shortcomings")
    xlabel = "similarity of the shortcoming item and the closest plan item on its theme (TF-IDF cosine, 0–1)"
    sims = answers["similarity"].to_numpy(float)
    reached = int((answers["similarity"] >= threshold).sum())
    finite = np.isfinite(sims)
    answered = answers["answered"].to_numpy(bool)
    kinds = [(flag, name) for flag, name in ((True, _SHARES_THEME), (False, _NO_THEME_PLAN))
             if (finite & (answered == flag)).any()]  # a legend entry only for marks that are drawn
    hollow = any(not flag for flag, _ in kinds)
    if many(labels):
        fig, ax = plt.subplots(figsize=(10, 4))
        edges = [k / 20 for k in range(21)]
        ax.hist([sims[finite & (answered == flag)] for flag, _ in kinds], bins=edges, stacked=True,
                color=[colour if flag else palette.PAPER for flag, _ in kinds], edgecolor=colour, linewidth=1.0,
                label=[name for _, name in kinds])
        ax.axvline(threshold, color=palette.INK, linestyle="--", linewidth=1)
        ax.text(threshold, ax.get_ylim()[1] * 0.95, f"  {reached:,} of {len(answers):,} items ≥ {threshold:g}", fontsize=9)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"shortcoming items (of {len(answers):,})")
        ax.spines[["top", "right"]].set_visible(False)
        _legend_under(fig, ax, 0.6, ncol=2)
        marks = ("Histogram: shortcoming items with a theme, by the TF-IDF cosine similarity of the closest plan item "
                 "on its theme (bins of 0.05)" + ("; hollow: items with no plan item on their theme, at the closest "
                                                  "plan item at all." if hollow else "."))
        return _finish(fig, ax, title, _with_marks(caption, marks))
    fig, ax = plt.subplots(figsize=(10, 1.9 + 0.55 * len(labels)))
    for y, rid in enumerate(labels):
        mine = answers[answers["report_id"] == rid].sort_values("similarity", kind="stable")
        if mine.empty:
            ax.text(0.005, y, "无带主题的不足条目 / no shortcoming item with a theme", va="center", fontsize=9,
                    color=palette.MUTED)
            continue
        offsets = np.linspace(-0.22, 0.22, len(mine)) if len(mine) > 1 else np.zeros(1)  # overlapping dots apart
        for dy, (answered, sim) in zip(offsets, zip(mine["answered"], mine["similarity"])):
            if not np.isfinite(sim):
                continue
            ax.scatter([sim], [y + dy], s=44, color=colour if answered else palette.PAPER, edgecolors=colour,
                       linewidths=1.5, zorder=3)
        hits = int((mine["similarity"] >= threshold).sum())
        ax.text(1.02, y, f"{hits} / {len(mine)} ≥ {threshold:g}", va="center", fontsize=9,
                transform=ax.get_yaxis_transform())
    ax.axvline(threshold, color=palette.INK, linestyle="--", linewidth=1)
    ax.set_yticks(range(len(labels)), list(labels.values()), fontsize=9)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color=palette.GRID)
    ax.spines[["top", "right"]].set_visible(False)
    handles = [*(Line2D([], [], linestyle="none", marker="o", markersize=7,
                        markerfacecolor=colour if flag else palette.PAPER, markeredgecolor=colour, label=name)
                 for flag, name in kinds),
               Line2D([], [], color=palette.INK, linestyle="--", label=f"similarity {threshold:g}")]
    _legend_under(fig, ax, 0.6, handles=handles, ncol=2)
    marks = ("Dots: each shortcoming item with a theme, at the TF-IDF cosine similarity of the closest plan item on "
             "its theme" + ("; hollow: no plan item on its theme (the dot stands at the closest plan item at all)."
                            if hollow else "."))
    return _finish(fig, ax, title, _with_marks(caption, marks))


def figure_title(fig: Figure) -> str:
    """The chart's title (its figure title), or ``""``."""
    suptitle = fig._suptitle  # type: ignore[attr-defined]  # noqa: SLF001 - matplotlib keeps the figure title there
    return _META.get(fig, {}).get("title") or (suptitle.get_text() if suptitle is not None else "")


def figure_caption(fig: Figure) -> str:
    """The chart's source caption as it was given (unwrapped), or ``""``."""
    return _META.get(fig, {}).get("caption", "")


def figure_metadata(fig: Figure) -> dict[str, object]:
    """Display metadata of a figure in a notebook: the PNG's alt text, and the name it was saved under.

    ``{"image/png": {"alt": title}, "study_figure": name}`` — nbconvert writes ``alt`` into the page's ``<img>``;
    the site links a displayed figure to its files by ``study_figure``. Keys without a value are left out.
    """
    metadata: dict[str, object] = {}
    if (title := figure_title(fig).replace("\n", " ")):
        metadata["image/png"] = {"alt": title}
    if (name := _META.get(fig, {}).get("name")):
        metadata["study_figure"] = name
    return metadata


def _saved_png(fig: Figure) -> bytes | None:
    """The PNG :func:`save_figure` wrote of ``fig``, while the figure is as it was drawn then (not stale)."""
    png = _META.get(fig, {}).get("png")
    return png if png is not None and not fig.stale else None


def _scaled(png: bytes, scale: float) -> bytes:
    """A PNG resized by ``scale``, as a PNG.

    Each pixel is the mean of the area it covers: the file is as large as a PNG drawn at that size (Lanczos made
    it half as large again).
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        out = io.BytesIO()
        image.resize(size, Image.Resampling.BOX).save(out, format="PNG")
    return out.getvalue()


def _show_as_saved(fig: Figure) -> None:
    """Let IPython's inline display of ``fig`` use the PNG just saved instead of drawing the figure a third time.

    IPython draws a displayed figure with ``canvas.print_figure(BytesIO, format="png", dpi=fig.dpi,
    bbox_inches="tight")``; that call (and only that one) is answered with the saved PNG scaled from
    :data:`SAVED_DPI` to the figure's dpi (the size the inline backend draws it), while the figure has not changed
    since it was saved (a change to any of its artists makes it stale: it is drawn afresh). Drawing is most of a
    chart's cost (≈ 0.7 s a figure with the CJK font); the scaling takes a few hundredths of a second.
    """
    canvas = fig.canvas
    if getattr(canvas.print_figure, "_shows_saved", False):
        return
    draw = canvas.print_figure

    def print_figure(filename, **kwargs):
        png = _saved_png(fig)
        if (png is not None and isinstance(filename, io.BytesIO) and kwargs.get("format") == "png"
                and kwargs.get("bbox_inches") == "tight" and kwargs.get("dpi") == fig.dpi):
            filename.write(_scaled(png, fig.dpi / SAVED_DPI))
            return None
        return draw(filename, **kwargs)

    print_figure._shows_saved = True  # type: ignore[attr-defined]
    canvas.print_figure = print_figure  # type: ignore[method-assign,assignment]


def _mimebundle(fig: Figure) -> tuple[dict, dict]:
    """IPython's mime-bundle formatter for a figure: only :func:`figure_metadata`, merged into the display output.

    No data of its own: the inline backend gives the PNG (the saved one, for a figure :func:`save_figure` wrote).
    """
    return {}, figure_metadata(fig)


def register_display(shell=None) -> bool:
    """Give every figure that IPython displays its :func:`figure_metadata` (done on import inside IPython).

    Registers a mime-bundle formatter for :class:`~matplotlib.figure.Figure`: it adds metadata and no data, so
    the figure is still shown once, by the inline backend, whichever backend formatters are set later.

    Returns:
        Whether a shell was there to register with.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with the study's environment
            return False
        shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.mimebundle_formatter.for_type(Figure, _mimebundle)
    return True


def _show(value) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with the study's environment
        return
    if get_ipython() is not None:
        display(value)


def _svg_with_title(svg: Path, title: str) -> None:
    """Put ``<title>`` first inside the SVG's root element (its accessible name; matplotlib writes none)."""
    text = svg.read_text(encoding="utf-8")
    root = re.search(r"<svg\b[^>]*>", text)
    if root is None or not title:  # pragma: no cover - matplotlib always writes the root
        return
    svg.write_text(text[:root.end()] + f"\n <title>{escape(title)}</title>" + text[root.end():], encoding="utf-8")


def save_figure(fig: Figure | Unavailable, name: str, folder: Path | str | None = None) -> list[Path]:
    """Write ``fig`` as ``NAME.png`` and ``NAME.svg`` (deterministic: no dates or software stamps).

    The PNG carries the chart's title and caption as text chunks ``Title`` and ``Description``; the SVG a
    ``<title>`` (and its text as text, :func:`helpers.fonts.use_cjk_font`). The figure remembers ``name``, which
    its display in a notebook carries as ``study_figure`` (:func:`figure_metadata`). Shown in a notebook after
    this, the figure is the PNG just written, scaled to the display's dpi, not drawn again.

    Returns:
        The files written.
    """
    if isinstance(fig, Unavailable):  # the chart cannot be drawn for this corpus: say so where it would stand
        _show(fig)
        return []
    _META.setdefault(fig, {})["name"] = name
    folder = Path(folder) if folder is not None else FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    title = figure_title(fig).replace("\n", " ")
    png_text = {"Software": None, **({"Title": title} if title else {}),
                **({"Description": figure_caption(fig)} if figure_caption(fig) else {})}
    drawn = io.BytesIO()
    fig.savefig(drawn, format="png", dpi=SAVED_DPI, metadata=png_text)
    png.write_bytes(drawn.getvalue())
    fig.savefig(svg, metadata={"Date": None, "Creator": None, **({"Title": title} if title else {})})
    _svg_with_title(svg, title)
    # just drawn (savefig marks it stale when it puts the figure's dpi back): a later change marks it stale again
    fig.stale = False
    _META[fig]["png"] = drawn.getvalue()
    _show_as_saved(fig)
    return [png, svg]


def report_labels(corpus: pd.DataFrame) -> dict[str, str]:
    """Row labels ``小寨路街道 (陕西, 2024)`` from a :func:`helpers.structure.corpus_table`, in its order."""
    from helpers.regions import province_short

    labels = {}
    for r in corpus.itertuples():
        where = "，".join(str(x) for x in (province_short(r.province) if r.province else "", r.report_year)
                         if not pd.isna(x) and x)
        labels[r.report_id] = f"{r.unit or r.report_id}（{where}）" if where else (r.unit or r.report_id)
    return labels




# ---------------------------------------------------------------------------------------------------------------
# Policy instruments (helpers.instruments): theme × instrument, and the instrument-type mix by region.
# Drawn from the tables helpers.instruments computes; nothing is computed here.


@_unless_unavailable
def theme_instrument_heatmap(matrix: pd.DataFrame, title: str, caption: str) -> Figure:
    """Themes (rows) × sub-instruments (columns, grouped by type): the share of a theme's items carrying each.

    Args:
        matrix: :func:`helpers.instruments.theme_instrument_matrix` (columns ``type · sub-instrument``, so that
            :func:`heatmap` draws them in groups, each type named above its columns).
        title: the finding, stated (:func:`helpers.instruments.theme_instrument_title`).
        caption: source line; its ``Cells: …`` sentence labels the colour bar.
    """
    return heatmap(matrix, title, caption, fmt="{:.0f}", cmap="share", size=(SLIDE_WIDTH_IN, 0.0),
                   value_label="items of the theme (row) carrying the sub-instrument, % — an item may carry several")


#: A bar segment narrower than this (% of the bar) has its share written under the region's label instead.
NARROW_PCT = 8.0


@_unless_unavailable
def instrument_type_mix(mix: pd.DataFrame, type_labels: Mapping[str, str], title: str,
                        caption: str) -> Figure | Unavailable:
    """One 100 % bar per macro-region: the share of its instrument codes of each type, in the palette's type colours.

    Each bar is named with the region's reports and items; a segment shows its percentage where it is wide enough,
    and a type too narrow to hold it, or never used, is named with its share under the region's label
    (``需求型 3 %``, ``需求型 0 %``), not left out. One region draws one bar.

    Args:
        mix: :func:`helpers.instruments.by_region` (``macro_region, reports, items, instrument_type, codes,
            code_share_pct``), regions in drawing order.
        type_labels: type id → bilingual label, in order (:func:`helpers.instruments.type_labels`).
        title: the finding, stated (:func:`helpers.instruments.type_mix_title`).
        caption: source line.
    """
    regions = list(dict.fromkeys(mix["macro_region"]))
    if not regions or mix["codes"].sum() == 0:
        return Unavailable("the instrument-type mix by region", "no measures or plans item carries an instrument")
    use_cjk_font()
    first = mix.drop_duplicates("macro_region").set_index("macro_region")
    names = []
    for r in regions:
        share = mix[mix["macro_region"] == r].set_index("instrument_type")["code_share_pct"]
        narrow = [f"{label.split(' / ')[0]} {float(share.get(kind, 0.0)):.0f} %" for kind, label in type_labels.items()
                  if float(share.get(kind, 0.0)) < NARROW_PCT]  # too narrow to hold its number, or absent
        n, items = int(first.loc[r, "reports"]), int(first.loc[r, "items"])
        names.append(f"{r}（{n:,} report{'s' if n != 1 else ''}, {items:,} items）"
                     + (f"\n{'、'.join(narrow)}" if narrow else ""))
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.55 * len(regions)))
    for y, region in enumerate(regions):
        rows = mix[mix["macro_region"] == region].set_index("instrument_type")
        left = 0.0
        for kind in type_labels:
            share = float(rows["code_share_pct"].get(kind, 0.0))
            if share <= 0:  # named under the region's label
                continue
            colour = palette.instrument_type_colour(kind)
            ax.barh(y, share, left=left, color=colour, edgecolor=palette.PAPER, height=0.7)
            if share >= NARROW_PCT:
                ax.text(left + share / 2, y, f"{share:.0f} %", ha="center", va="center", fontsize=9,
                        color=palette.text_on(to_rgba(colour)))
            left += share
    ax.set_yticks(range(len(regions)), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the region's instrument codes, % (each sub-instrument an item carries is one code)")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Patch(color=palette.instrument_type_colour(k), label=label) for k, label in type_labels.items()]
    _legend_under(fig, ax, 0.6, handles=handles, ncol=len(handles))
    return _finish(fig, ax, title, caption)

# the compliance scorecard (helpers.compliance): per-column shares by macro-region and unit level


@_unless_unavailable
def compliance_heatmap(cells: tuple[pd.DataFrame, pd.DataFrame], title: str, caption: str) -> Figure:
    """Each scorecard column's share by group, as a heatmap: a share (%) and its ``count/n`` in every cell.

    Args:
        cells: ``(shares_pct, counts)`` from :func:`helpers.compliance.chart_tables`: rows are the columns'
            bilingual labels, columns a two-level index (grouping, group with its n); a NaN share (no denominator:
            no dated report in the group) is left blank. An :class:`~helpers.unavailable.Unavailable` is returned
            unchanged.
        title: the finding, stated (:func:`helpers.compliance.chart_title`).
        caption: the source line, with n and what the cells hold.
    """
    use_cjk_font()
    shares, counts = cells
    values = shares.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    groups = [str(a) for a, _ in shares.columns]
    col_labels = [str(b) for _, b in shares.columns]
    row_in = max((_text_width_in(str(r), 9) for r in shares.index), default=1.0)
    col_in = max((_text_width_in(c, 9) for c in col_labels), default=0.5)
    width = min(SLIDE_WIDTH_IN, row_in + 0.85 * n_cols + 2.2)
    height = 1.6 + 0.5 * n_rows + 0.7 * col_in
    fig, ax = plt.subplots(figsize=(width, height))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=palette.value_cmap("share"), vmin=0, vmax=100, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0f} %\n{counts.iat[i, j]}", ha="center", va="center", fontsize=9, linespacing=1.1,
                    color=palette.text_on(tuple(image.cmap(image.norm(v)))))
    ax.set_xticks(range(n_cols), col_labels, rotation=40, ha="right", rotation_mode="anchor", fontsize=9)
    ax.set_yticks(range(n_rows), [str(r) for r in shares.index], fontsize=9)
    _group_rules(ax, groups)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("份额 / share of reports or items (%)", fontsize=9)
    bar.ax.tick_params(labelsize=9)
    return _finish(fig, ax, title, caption)




# ---------------------------------------------------------------------------------------------------------------
# text reuse (issue 14, part 2; helpers.reuse)

_REUSE_PANELS = (("reused_pct", "在其他报告中出现 / found in another report (boilerplate included)"),
                 ("pairwise_pct", "模板语之外的逐对复制 / pairwise copying (boilerplate excluded)"))


def reuse_by_part(coverage: pd.DataFrame, title: str, caption: str,
                  part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Share of each part's characters found in another report, over reports: one row per part, two panels.

    Each row is the distribution over reports (box plots; the points themselves below :data:`MIN_BOX_N` reports),
    its median and n written at it: left every shared character, right pairwise copying only (boilerplate left
    out). Draws :attr:`helpers.reuse.Reuse.coverage` as given (``report_id, part, chars, reused_pct,
    pairwise_pct``); parts in :data:`PARTS` order, a part of no characters left out.
    """
    shown = coverage[coverage["chars"] > 0] if len(coverage) else coverage
    parts = [p for p in PARTS if p in set(shown["part"])]
    if not parts:
        return Unavailable("the share of each part found in other reports", "no report of this corpus has a part "
                           "with text")
    use_cjk_font()
    fig, axes = plt.subplots(1, 2, figsize=(12, 1.4 + 0.55 * len(parts)), sharey=True)
    for ax, (column, label) in zip(axes, _REUSE_PANELS):
        samples = [shown.loc[shown["part"] == p, column].dropna().to_numpy(float) for p in parts]
        _boxes(ax, [part_label(p, part_names) for p in parts], samples, [palette.part_colour(p) for p in parts],
               fmt="{:.1f}", horizontal=True, limit=100.0)
        ax.set_xlabel("% of the part's characters")
        ax.set_title(label, fontsize=10, loc="left")
        ax.grid(axis="x", color=palette.GRID)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption)
    return fig


register_display()

__all__: Sequence[str] = [
    "KIND_COLOURS", "KIND_LABELS_EN", "MIN_SLIDE_PT", "PART_COLOURS", "SLIDE_WIDTH_IN", "bars", "category_label",
    "cited_documents_bars", "column_groups", "compliance_heatmap", "dumbbells", "figure_caption", "figure_metadata",
    "figure_title", "grouped_bars", "heatmap", "indicator_panels", "indicator_units", "instrument_type_mix",
    "items_by_part", "keyness_bars", "kind_label", "min_font_pt", "part_label", "parts_in_text_order", "plan_uptake",
    "register_display", "report_labels", "reuse_by_part", "save_figure", "theme_instrument_heatmap", "wordclouds",
]
