"""Charts of the study. Plotting never computes statistics: every function draws a table it is given.

One palette and one part order for every chart (:data:`PART_COLOURS`, :data:`PARTS`), so a reader learns them
once. Colours are Okabe–Ito (safe for colour-blind readers); labels are bilingual (中文 / English).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from helpers.fonts import use_cjk_font
from helpers.paths import FIGURES
from helpers.segment import PART_LABELS_ZH, PARTS

PART_COLOURS = {
    "preamble": "#BBBBBB",
    "measures": "#0072B2",
    "shortcomings": "#D55E00",
    "leadership": "#CC79A7",
    "plans": "#009E73",
    "other": "#E69F00",
    "signoff": "#777777",
}


def part_label(part: str) -> str:
    """Bilingual label of a part: ``不足和原因 / shortcomings``."""
    return f"{PART_LABELS_ZH[part]} / {part}"


def _finish(fig: Figure, ax, title: str, caption: str) -> Figure:
    ax.set_title(title, loc="left", fontsize=13)  # the font ships one weight: no bold
    fig.text(0.01, 0.01, caption, fontsize=8, color="#555555", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def parts_in_text_order(parts: pd.DataFrame, labels: Mapping[str, str], title: str, caption: str) -> Figure:
    """Each report as one horizontal bar, its parts left to right in the order they appear, by share of characters.

    Args:
        parts: a :func:`helpers.structure.parts_table` (``report_id, part_seq, part, share_pct``).
        labels: report id → row label, in display order (top to bottom).
        title: the finding, stated.
        caption: source line (n reports, years).
    """
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(10, 1.0 + 0.6 * len(labels)))
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
    ax.legend(handles=[Patch(color=PART_COLOURS[p], label=part_label(p)) for p in present],
              ncol=min(4, len(present)), loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(labels) < 4 else -0.18),
              frameon=False, fontsize=8)
    return _finish(fig, ax, title, caption)


def items_by_part(counts: pd.DataFrame, labels: Mapping[str, str], title: str, caption: str) -> Figure:
    """Grouped bars: number of items in each part of each report.

    Args:
        counts: :func:`helpers.structure.items_per_part` (rows: report ids; columns: parts).
        labels: report id → label, in display order.
        title: the finding, stated.
        caption: source line.
    """
    use_cjk_font()
    columns = [c for c in counts.columns if counts[c].sum() > 0]
    fig, ax = plt.subplots(figsize=(10, 4.2))
    width = 0.8 / max(1, len(columns))
    for k, part in enumerate(columns):
        xs = [i + (k - (len(columns) - 1) / 2) * width for i in range(len(labels))]
        values = [counts.loc[rid, part] for rid in labels]
        ax.bar(xs, values, width=width, color=PART_COLOURS[part], label=part_label(part))
        for x, v in zip(xs, values):
            ax.text(x, v + 0.3, str(int(v)), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(labels)), list(labels.values()), fontsize=8)
    ax.set_ylabel("items (numbered, titled or paragraph)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8, ncol=2, loc="upper left")
    return _finish(fig, ax, title, caption)


def save_figure(fig: Figure, name: str, folder: Path | str | None = None) -> list[Path]:
    """Write ``fig`` as ``NAME.png`` and ``NAME.svg`` (deterministic: no dates or software stamps).

    Returns:
        The files written.
    """
    folder = Path(folder) if folder is not None else FIGURES
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    fig.savefig(png, dpi=150, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
    return [png, svg]


def report_labels(corpus: pd.DataFrame) -> dict[str, str]:
    """Row labels ``小寨路街道 (陕西, 2024)`` from a :func:`helpers.structure.corpus_table`, in its order."""
    from helpers.regions import province_short

    return {
        r.report_id: f"{r.unit}（{province_short(r.province)}，{r.report_year}）"
        for r in corpus.itertuples()
    }


__all__: Sequence[str] = [
    "PART_COLOURS", "items_by_part", "part_label", "parts_in_text_order", "report_labels", "save_figure",
]
