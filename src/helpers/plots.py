"""Charts of the study. Plotting never computes statistics: every function draws a table it is given.

One palette and one part order for every chart (:data:`PART_COLOURS`, :data:`PARTS`), so a reader learns them
once. Colours are Okabe–Ito (safe for colour-blind readers); labels are bilingual (中文 / English).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import ScaledTranslation

from helpers.fonts import cjk_font_path, use_cjk_font
from helpers.paths import FIGURES
from helpers.segment import PART_LABELS_ZH, PARTS
from helpers.structure import SMALL_N
from helpers.unavailable import Unavailable

PART_COLOURS = {
    "preamble": "#BBBBBB",
    "measures": "#0072B2",
    "shortcomings": "#D55E00",
    "leadership": "#CC79A7",
    "plans": "#009E73",
    "other": "#E69F00",
    "signoff": "#777777",
}


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


def many(labels: Mapping[str, str] | Sequence[str]) -> bool:
    """True when a per-report chart has too many reports to draw one bar each (:data:`MAX_PER_REPORT`)."""
    return len(labels) > MAX_PER_REPORT


def _boxes(ax, columns: Sequence[str], samples: Sequence[np.ndarray], colours: Sequence[str], fmt: str = "{:.0f}",
           horizontal: bool = False) -> None:
    """Box plots (median, quartiles, 1.5 IQR whiskers) of each sample, its median and n printed beside it."""
    kept = [(c, x, col) for c, x, col in zip(columns, samples, colours) if len(x)]
    if not kept:
        return
    names, data, fills = zip(*kept)
    box = ax.boxplot(data, orientation="horizontal" if horizontal else "vertical", patch_artist=True, widths=0.6, showfliers=True,
                     flierprops={"marker": ".", "markersize": 2, "alpha": 0.4}, medianprops={"color": "#222222"})
    for patch, fill in zip(box["boxes"], fills):
        patch.set_facecolor(fill)
        patch.set_alpha(0.8)
    for k, x in enumerate(data, start=1):
        label = f"{fmt.format(float(np.median(x)))} (n = {len(x):,})"
        if horizontal:
            ax.annotate(label, (float(np.max(x)), k), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=7)
        else:
            ax.annotate(label, (k, float(np.max(x))), xytext=(0, 3), textcoords="offset points", ha="center",
                        va="bottom", fontsize=7)
    ticks = list(range(1, len(names) + 1))
    if horizontal:
        ax.set_yticks(ticks, list(names), fontsize=8)
        ax.invert_yaxis()
    else:
        ax.set_xticks(ticks, list(names), fontsize=8)


def part_label(part: str, names: Mapping[str, str] | None = None) -> str:
    """Bilingual label of a part: ``不足和原因 / shortcomings``.

    Args:
        part: the part.
        names: part → Chinese name in the genre charted (:attr:`helpers.context.Study.part_names`: a 政府工作报告's
            measures are its 工作回顾); default the 法治 report's (:data:`helpers.segment.PART_LABELS_ZH`).
    """
    return f"{(names or PART_LABELS_ZH)[part]} / {part}"


def _caption(fig: Figure, caption: str, top: float = 1.0) -> None:
    """Draw the source caption at the bottom, wrapped to the figure's width, and lay the figure out above it.

    A caption grows with what it must say (n, years, metadata source, versions, a chart's own note): it is
    wrapped at spaces into lines that fit, and the figure grows by its height, so that the chart keeps the room it
    was drawn for (a one-report chart is short) and the caption sits below it. ``top`` is the fraction of the
    chart's height left above the axes (for a figure title).
    """
    text = fig.text(0.01, 0.01, caption, fontsize=8, color="#555555", ha="left", va="bottom")
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # the Agg canvas (use_cjk_font)
    room = 0.97 * fig.get_figwidth() * fig.dpi
    width = text.get_window_extent(renderer).width
    if width > room:  # characters a line holds, from the caption's mean width (×0.9: Han characters are wider)
        text.set_text(textwrap.fill(caption, max(20, int(0.9 * len(caption) * room / width)), break_long_words=False))
    chart = fig.get_figheight()
    below = text.get_window_extent(renderer).height / fig.dpi + 0.15  # inches: the caption and a margin
    fig.set_figheight(chart + below)
    text.set_y(0.05 / (chart + below))
    fig.tight_layout(rect=(0, below / (chart + below), 1, 1 - (1 - top) * chart / (chart + below)))


def _legend_under(fig: Figure, ax, depth: float, **kwargs) -> None:
    """A legend hung ``depth`` inches under the axes, below their tick labels and axis label, centred.

    Outside the data, whatever the axes' height and however high the bars reach.
    """
    under = ax.transAxes + ScaledTranslation(0, -depth, fig.dpi_scale_trans)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=under, frameon=False, fontsize=8, **kwargs)


def _finish(fig: Figure, ax, title: str, caption: str) -> Figure:
    # from the figure's left edge, as in the multi-panel charts: a title that starts where long row labels end
    # (cited documents) ran off the right edge; the font ships one weight, so no bold
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption)
    return fig


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
        present = [p for p in PARTS if p in set(parts["part"])]
        per_report = parts.groupby(["report_id", "part"])["share_pct"].sum()
        fig, ax = plt.subplots(figsize=(10, 1.4 + 0.5 * len(present)))
        _boxes(ax, [part_label(p, part_names) for p in present],
               [per_report.xs(p, level="part").to_numpy() for p in present], [PART_COLOURS[p] for p in present],
               horizontal=True)
        ax.set_xlabel(f"share of the report's characters (%), over the {len(labels):,} reports that have the part")
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    fig, ax = plt.subplots(figsize=(10, max(2.8, 1.0 + 0.6 * len(labels))))  # a bar, its labels and the legend
    for row, rid in enumerate(labels):
        left = 0.0
        for p in parts[parts["report_id"] == rid].sort_values("part_seq").itertuples():
            ax.barh(row, p.share_pct, left=left, color=PART_COLOURS[p.part], edgecolor="white", linewidth=0.8)
            if p.share_pct >= 6:
                ax.text(left + p.share_pct / 2, row, f"{p.share_pct:.0f}", ha="center", va="center",
                        fontsize=8, color="white")
            left += p.share_pct
    ax.set_yticks(range(len(labels)), list(labels.values()))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of the report's characters, in text order (%)")
    ax.spines[["top", "right"]].set_visible(False)
    present = [p for p in PARTS if p in set(parts["part"])]
    _legend_under(fig, ax, 0.6, handles=[Patch(color=PART_COLOURS[p], label=part_label(p, part_names)) for p in present],
                  ncol=min(4, len(present)))
    return _finish(fig, ax, title, caption)


@_unless_unavailable
def grouped_bars(values: pd.DataFrame, labels: Mapping[str, str], ylabel: str, title: str, caption: str,
                 fmt: str = "{:.0f}", part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Grouped bars: one group per report (rows of ``values``), one bar per part (its columns), part colours.

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
    columns = [c for c in values.columns if values[c].fillna(0).sum() > 0]
    if not columns:
        return Unavailable("the bars of this chart", "every value is zero or missing in this corpus")
    if many(labels):  # each column's values over reports
        fig, ax = plt.subplots(figsize=(10, 4.2))
        _boxes(ax, [part_label(c, part_names) for c in columns], [values[c].dropna().to_numpy(float) for c in columns],
               [PART_COLOURS[c] for c in columns], fmt=fmt)
        ax.set_ylabel(ylabel + f" — over {len(labels):,} reports")
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    fig, ax = plt.subplots(figsize=(10, 4.2))
    width = 0.8 / max(1, len(columns))
    top = float(values[columns].max().max()) if columns else 1.0
    for k, part in enumerate(columns):
        xs = [i + (k - (len(columns) - 1) / 2) * width for i in range(len(labels))]
        heights = [float(values.loc[rid, part]) for rid in labels]
        ax.bar(xs, np.nan_to_num(heights), width=width, color=PART_COLOURS[part], label=part_label(part, part_names))
        for x, v in zip(xs, heights):
            if np.isfinite(v):  # a report without this part gets no bar and no number
                ax.text(x, v + top * 0.01, fmt.format(v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(labels)), list(labels.values()), fontsize=8)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    _legend_under(fig, ax, 0.3, ncol=len(columns))  # under the report names, never on a bar
    return _finish(fig, ax, title, caption)


def items_by_part(counts: pd.DataFrame, labels: Mapping[str, str], title: str, caption: str,
                  part_names: Mapping[str, str] | None = None) -> Figure:
    """Grouped bars: number of items in each part of each report (:func:`helpers.structure.items_per_part`)."""
    return grouped_bars(counts, labels, "items (numbered, titled or paragraph)", title, caption,
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
    fig, ax = plt.subplots(figsize=(10, 0.9 + 0.28 * max(len(shown), 4)))
    ys = range(len(shown))
    colours = [PART_COLOURS.get(target, "#D55E00") if v > 0 else PART_COLOURS.get(reference, "#0072B2")
               for v in shown[stat]]
    ax.barh(list(ys), shown[stat], color=colours)
    for y, (token, v, nt, nr) in enumerate(zip(shown["token"], shown[stat], shown["n_target"], shown["n_reference"])):
        ax.text(v + (0.3 if v > 0 else -0.3), y, f"{token} ({nt}:{nr})", va="center",
                ha="left" if v > 0 else "right", fontsize=8)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks([])
    ax.invert_yaxis()
    high = float(shown[stat].max()) if len(shown) else 1.0
    low = float(shown[stat].min()) if len(shown) else -1.0
    room = 0.35 * max(high, -low, 1.0)  # space for the labels beside the bars
    ax.set_xlim(min(low, 0.0) - room, max(high, 0.0) + room)
    sides = f"+ {part_label(target, part_names)}, − {part_label(reference, part_names)}"
    ax.set_xlabel(f"signed {'G²' if stat == 'G2' else 'χ²'} ({sides}); (n target : n reference)")
    ax.spines[["top", "right", "left"]].set_visible(False)
    return _finish(fig, ax, title, caption)


def wordclouds(frequencies: Mapping[str, Mapping[str, float]], title: str, caption: str, seed: int = 42,
               part_names: Mapping[str, str] | None = None) -> Figure | Unavailable:
    """Word clouds side by side, one per part, drawn through matplotlib (deterministic: fixed seed and font).

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
    fig, axes = plt.subplots(1, len(frequencies), figsize=(5 * len(frequencies), 3.6))
    axes = [axes] if len(frequencies) == 1 else list(axes)
    for ax, (part, freq) in zip(axes, frequencies.items()):
        colour = PART_COLOURS.get(part, "#333333")
        cloud = WordCloud(font_path=str(cjk_font_path()), width=600, height=400, background_color="white",
                          random_state=seed, prefer_horizontal=1.0, max_words=60,
                          color_func=lambda *args, colour=colour, **kwargs: colour)
        cloud.generate_from_frequencies(dict(freq))
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_title(part_label(part, part_names) if part in PART_COLOURS else part, fontsize=11)
        ax.axis("off")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption, top=0.95)
    return fig


@_unless_unavailable
def heatmap(table: pd.DataFrame, title: str, caption: str, fmt: str = "{:.0f}", cmap: str = "Blues",
            xlabel: str = "", ylabel: str = "", vmax: float | None = None, size: tuple[float, float] | None = None) -> Figure:
    """An annotated heatmap of ``table`` (rows × columns as given; labels as the index and columns read).

    Args:
        table: numbers to draw; NaN cells stay blank.
        title: the finding, stated.
        caption: source line.
        fmt: how to print each cell.
        cmap: a sequential matplotlib colormap.
        xlabel: x-axis label, with units.
        ylabel: y-axis label.
        vmax: top of the colour scale (default: the table's maximum).
        size: figure size in inches (default from the table's shape).
    """
    use_cjk_font()
    values = table.to_numpy(dtype=float)
    width, height = size or (2.5 + 0.75 * table.shape[1], 1.4 + 0.38 * table.shape[0])
    fig, ax = plt.subplots(figsize=(width, height))
    top = vmax if vmax is not None else (float(np.nanmax(values)) if np.isfinite(values).any() else 1.0)
    ax.imshow(values, cmap=cmap, vmin=0, vmax=top or 1.0, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v) and v != 0:
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7,
                    color="white" if top and v > 0.6 * top else "#222222")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(table.shape[0]), [str(r) for r in table.index], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _finish(fig, ax, title, caption)


@_unless_unavailable
def dumbbells(shares: pd.DataFrame, panels: Sequence[str], rows: Sequence[str], row_labels: Mapping[str, str],
              title: str, caption: str, xlabel: str, parts: Sequence[str] = ("measures", "shortcomings"),
              part_names: Mapping[str, str] | None = None) -> Figure:
    """Small multiples of dumbbells: one panel per group (e.g. macro-region), one row per theme, a dot per part.

    Args:
        shares: long table with columns ``panel, row, part, value`` (e.g. region, theme, part, share %).
        panels: panel names, in order (panels without data are drawn empty and say so).
        rows: row keys (themes), in order, top to bottom.
        row_labels: row key → label.
        title: the finding, stated.
        caption: source line.
        xlabel: x-axis label with units.
        parts: the parts to draw (their colours from :data:`PART_COLOURS`).
        part_names: part → Chinese name (:func:`part_label`).
    """
    use_cjk_font()
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels) + 3.2, 1.2 + 0.36 * len(rows)), sharey=True)
    axes = [axes] if len(panels) == 1 else list(axes)
    top = float(shares["value"].max()) if len(shares) else 1.0
    for ax, panel in zip(axes, panels):
        mine = shares[shares["panel"] == panel]
        for y, row in enumerate(rows):
            values = [mine[(mine["row"] == row) & (mine["part"] == part)]["value"] for part in parts]
            points = [float(v.iloc[0]) if len(v) else np.nan for v in values]
            if all(np.isfinite(points)):
                ax.plot(points, [y] * len(points), color="#BBBBBB", linewidth=1.5, zorder=1)
            for part, x in zip(parts, points):
                if np.isfinite(x):
                    ax.scatter([x], [y], color=PART_COLOURS[part], s=28, zorder=2)
        ax.set_title(panel if len(mine) else f"{panel}（无数据 / no data）", fontsize=10)
        ax.set_xlim(-2, top * 1.08 + 2)
        ax.grid(axis="x", color="#EEEEEE")
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel(xlabel, fontsize=8)
    axes[0].set_yticks(range(len(rows)), [row_labels[r] for r in rows], fontsize=8)
    axes[0].invert_yaxis()
    fig.legend(handles=[Patch(color=PART_COLOURS[p], label=part_label(p, part_names)) for p in parts], frameon=False,
               fontsize=8, loc="upper right", ncol=len(parts))
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption, top=0.95)
    return fig


@_unless_unavailable
def bars(values: pd.Series, labels: Mapping[str, str], title: str, caption: str, xlabel: str,
         notes: Mapping[str, str] | None = None, colour: str = "#009E73", xmax: float | None = None) -> Figure:
    """Horizontal bars, one per report (``values`` indexed by report id, drawn in ``labels`` order).

    Args:
        values: the number per report (NaN: drawn as "n/a").
        labels: report id → label, in display order.
        title: the finding, stated.
        caption: source line.
        xlabel: x-axis label with units.
        notes: report id → text printed after the bar (e.g. ``3 / 4``).
        colour: bar colour.
        xmax: right end of the axis.
    """
    use_cjk_font()
    if many(labels):  # how the values spread over reports
        known = values.reindex(list(labels)).dropna().to_numpy(float)
        fig, ax = plt.subplots(figsize=(10, 4))
        ax.hist(known, bins=min(40, max(5, len(known) // 20)), range=(0, xmax) if xmax else None, color=colour)
        if len(known):
            ax.axvline(float(np.median(known)), color="#222222", linewidth=1)
            ax.text(float(np.median(known)), ax.get_ylim()[1] * 0.95, f"  median {np.median(known):.0f}", fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"reports (of {len(labels):,}; {len(labels) - len(known):,} n/a)")
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.5 * len(labels)))
    for y, rid in enumerate(labels):
        v = float(values.get(rid, np.nan))
        if np.isfinite(v):
            ax.barh(y, v, color=colour)
        text = (notes or {}).get(rid, "") if np.isfinite(v) else "n/a"
        ax.text((v if np.isfinite(v) else 0) + (xmax or float(np.nanmax(values.to_numpy(float)))) * 0.01, y, text,
                va="center", fontsize=8)
    ax.set_yticks(range(len(labels)), list(labels.values()), fontsize=9)
    ax.invert_yaxis()
    if xmax is not None:
        ax.set_xlim(0, xmax)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, ax, title, caption)


@_unless_unavailable
def indicator_panels(table: pd.DataFrame, panels: Mapping[str, str], labels: Mapping[str, str], title: str,
                     caption: str) -> Figure:
    """Small multiples: one panel per comparable indicator, one bar per report (missing reports say so).

    Args:
        table: ``report_id, family, value, unit, qualifiers, flag`` — one row per report × family (the headline
            claim); ``flag`` is printed after the value (e.g. ``100%``).
        panels: family → panel title.
        labels: report id → label, in display order.
        title: the finding, stated.
        caption: source line.
    """
    use_cjk_font()
    if many(labels):  # each indicator's headline values over the reports that state it (log scale: they span decades)
        families = [f for f in panels if (table["family"] == f).any()]
        fig, ax = plt.subplots(figsize=(12, 1.6 + 0.5 * max(1, len(families))))
        samples = [table.loc[(table["family"] == f) & (table["value"] > 0), "value"].to_numpy(float) for f in families]
        _boxes(ax, [f"{panels[f]} ({int((table['family'] == f).sum()):,} of {len(labels):,} reports)" for f in families],
               samples, ["#56B4E9"] * len(families), fmt="{:,.0f}", horizontal=True)
        ax.set_xscale("log")
        ax.set_xlabel("each report's largest claim of the kind, as stated (log scale)")
        ax.spines[["top", "right"]].set_visible(False)
        return _finish(fig, ax, title, caption)
    n = len(panels)
    cols = 3 if n > 4 else n
    rows_n = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows_n, cols, figsize=(4.2 * cols, 0.9 + 0.42 * len(labels) * rows_n + 0.6 * rows_n),
                             squeeze=False)
    for ax, (family, panel_title) in zip(axes.ravel(), panels.items()):
        mine = table[table["family"] == family].set_index("report_id")
        top = float(mine["value"].max()) if len(mine) else 1.0
        for y, rid in enumerate(labels):
            if rid in mine.index:
                row = mine.loc[rid]
                ax.barh(y, row["value"], color="#56B4E9" if row["unit"] != "%" else "#CC79A7")
                qualifiers = str(row["qualifiers"])
                number = ("近" if "近" in qualifiers else "") + f"{row['value']:,.0f}" + \
                    ("余" if "余" in qualifiers else "") + row["unit"]
                flag = f" ({row['flag']})" if row["flag"] and row["unit"] != "%" else ""
                ax.text(row["value"] + top * 0.02, y, number + flag, va="center", fontsize=7)
            else:
                ax.text(0, y, " 未报告 / not reported", va="center", fontsize=7, color="#999999")
        ax.set_yticks(range(len(labels)), list(labels.values()), fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.5)
        ax.set_title(panel_title, fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    _caption(fig, caption, top=0.95)
    return fig


KIND_COLOURS = {
    "法律": "#0072B2", "党内法规": "#D55E00", "法规规章": "#56B4E9", "规划纲要": "#009E73",
    "书籍讲话": "#CC79A7", "本单位制度": "#999999", "媒体": "#E69F00", "其他": "#BBBBBB",
}


@_unless_unavailable
def cited_documents_bars(counts: pd.DataFrame, title: str, caption: str, top: int = 15) -> Figure:
    """Horizontal bars: the most cited documents, coloured by kind (:func:`helpers.citations.document_counts`)."""
    use_cjk_font()
    shown = counts.head(top)
    fig, ax = plt.subplots(figsize=(10, 1.0 + 0.32 * max(len(shown), 3)))
    ax.barh(range(len(shown)), shown["citations"], color=[KIND_COLOURS.get(k, "#BBBBBB") for k in shown["document_kind"]])
    ax.set_yticks(range(len(shown)), [f"《{d}》" for d in shown["document"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("citations (n)")
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # an AutoLocator takes it
    ax.spines[["top", "right"]].set_visible(False)
    kinds = list(dict.fromkeys(shown["document_kind"]))
    _legend_under(fig, ax, 0.55, handles=[Patch(color=KIND_COLOURS.get(k, "#BBBBBB"), label=k) for k in kinds],
                  ncol=min(8, len(kinds)))  # under the axis label, never on a bar
    return _finish(fig, ax, title, caption)


def _show(value) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with the study's environment
        return
    if get_ipython() is not None:
        display(value)


def save_figure(fig: Figure | Unavailable, name: str, folder: Path | str | None = None) -> list[Path]:
    """Write ``fig`` as ``NAME.png`` and ``NAME.svg`` (deterministic: no dates or software stamps).

    Returns:
        The files written.
    """
    if isinstance(fig, Unavailable):  # the chart cannot be drawn for this corpus: say so where it would stand
        _show(fig)
        return []
    folder = Path(folder) if folder is not None else FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    fig.savefig(png, dpi=150, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
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


__all__: Sequence[str] = [
    "KIND_COLOURS", "PART_COLOURS", "bars", "cited_documents_bars", "dumbbells", "grouped_bars", "heatmap",
    "indicator_panels", "items_by_part", "keyness_bars",
    "part_label", "parts_in_text_order", "report_labels", "save_figure", "wordclouds",
]
