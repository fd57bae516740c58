"""The hand codes (data/annotations/theme_labels.csv) read against the items, and the coder scored on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from helpers.errors import StudyError
from helpers.evaluation import precision_recall_f1
from helpers.paths import ANNOTATIONS, relative
from helpers.segment import ITEM_KEYS
from helpers.themes import CODED_PARTS, label_counts, split_labels, theme_profile
from helpers.unavailable import Unavailable

#: The hand codes keep this many of an item's first characters (``text_head``) to show the item still reads so.
LABEL_HEAD_CHARS = 16


def coding_sources(coded: pd.DataFrame, gold: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The coder's labels, and the hand codes on the same items when there are any: ``{"coder": …, "hand codes": …}``."""
    sources = {"coder": coded}
    if gold is not None:
        sources["hand codes"] = coded.drop(columns=["themes", "causes"]).merge(gold, on=list(ITEM_KEYS))
    return sources


def profiles_by_source(sources: dict[str, pd.DataFrame], ids: Sequence[str], labels: dict[str, str]) -> pd.DataFrame:
    """Share of items carrying each theme, by part, one block of columns per source (:func:`coding_sources`).

    Returns:
        Themes (labelled, in codebook order) × ``(source, part)``: the percentage of the part's items.
    """
    return pd.concat({
        name: theme_profile(frame, ids, by=["part"]).pivot(index="theme", columns="part", values="item_share_pct")
        for name, frame in sources.items()
    }, axis=1).loc[list(ids)].rename(index=labels)


def cause_counts_by_source(sources: dict[str, pd.DataFrame], ids: Sequence[str]) -> pd.DataFrame:
    """Shortcoming items carrying each cause, one column per source (:func:`coding_sources`), causes in codebook order."""
    return pd.DataFrame({source: label_counts(frame.loc[frame["part"] == "shortcomings", "causes"], ids)
                         for source, frame in sources.items()})


def read_labels(path: Path | str, items: pd.DataFrame, reports: Iterable[str] | None = None,
                columns: Sequence[str] = ("themes", "causes"), parts: Iterable[str] = CODED_PARTS) -> pd.DataFrame:
    """Hand-coded labels, checked against the current segmentation.

    Args:
        path: the labels table.
        items: :func:`helpers.structure.items_table`.
        reports: check only these reports (labels and items of others are set aside).
        columns: the label columns returned after the item keys (``part`` may be one: the item's).
        parts: the parts whose every item must carry a label.

    Raises:
        StudyError: a labelled item no longer exists or no longer starts where it did (the segmentation
            changed: re-check the labels), or a coded item has no label.
    """
    labels = pd.read_csv(path, dtype={c: str for c in columns}, keep_default_na=False)
    if reports is not None:
        keep = set(reports)
        labels = labels[labels["report_id"].isin(keep)]
        items = items[items["report_id"].isin(keep)]
    merged = items[items["part"].isin(set(parts))].merge(
        labels, on=list(ITEM_KEYS), how="outer", suffixes=("", "_label"), indicator=True)
    orphan = merged[merged["_merge"] != "both"]
    if len(orphan):
        first = orphan.iloc[0]
        raise StudyError(f"{relative(path)}: {len(orphan)} item(s) have no label or no longer exist "
                         f"(first: {first['report_id']} part {first['part_seq']} item {first['item_seq']}); "
                         "the segmentation changed — re-check the labels")
    head = merged["text"].str[:LABEL_HEAD_CHARS].str.replace("\n", " ")
    moved = merged[(merged["start"] != merged["start_label"]) | (head != merged["text_head"])]
    if len(moved):
        first = moved.iloc[0]
        raise StudyError(f"{relative(path)}: {len(moved)} labelled item(s) moved (first: {first['report_id']} "
                         f"part {first['part_seq']} item {first['item_seq']}); re-check the labels")
    return merged[["report_id", "part_seq", "item_seq", *columns]].reset_index(drop=True)


#: The theme hand codes of the bundled reports.
THEME_LABELS = ANNOTATIONS / "theme_labels.csv"


def labelled_items(study, path: Path | str) -> pd.DataFrame:
    """The items of the reports of a study's store that the hand codes in ``path`` label (none: no rows).

    Read from the store for those reports alone: every item of 2·10⁴ reports is 0.3 GB, read to find none of them
    hand-coded in a user's corpus.
    """
    labelled = set(pd.read_csv(path, usecols=["report_id"])["report_id"]) & set(study.store.metadata()["report_id"])
    return study.store.table("items", reports=labelled)


def load_hand_codes(items: pd.DataFrame, path: Path | str | None = None) -> pd.DataFrame | None:
    """The hand codes for these items, or ``None`` when the corpus is not the one that was hand-coded.

    ``None`` only when no labelled report is in ``items`` (a user's own corpus); for the bundled corpus a
    mismatch is an error (:func:`read_labels`), never a silent skip.
    """
    path = Path(path) if path is not None else THEME_LABELS
    labelled = set(pd.read_csv(path, usecols=["report_id"])["report_id"]) & set(items["report_id"].tolist())
    if not labelled:
        return None
    return read_labels(path, items, reports=labelled)  # a corpus may hold only some of the hand-coded reports


def validation(gold: pd.DataFrame | None, predicted: pd.DataFrame, ids: Sequence[str], column: str = "themes") -> pd.DataFrame:
    """Per-category precision, recall and F1 of predicted against gold labels (items matched on their keys).

    With ``gold`` ``None`` (a corpus without hand codes) the table is empty.

    Returns:
        One row per category plus ``macro`` (unweighted mean of the categories with gold or predicted support)
        and ``micro`` (pooled counts): ``category, support, predicted, tp, precision, recall, f1``.
    """
    columns = ["category", "support", "predicted", "tp", "precision", "recall", "f1"]
    if gold is None:
        return pd.DataFrame(columns=columns)
    keys = list(ITEM_KEYS)
    both = gold[keys + [column]].merge(predicted[keys + [column]], on=keys, suffixes=("_gold", "_pred"))
    g, p = split_labels(both[f"{column}_gold"]), split_labels(both[f"{column}_pred"])
    rows = []
    for cat in ids:
        tp = sum(cat in a and cat in b for a, b in zip(g, p))
        support = sum(cat in a for a in g)
        npred = sum(cat in b for b in p)
        precision, recall, f1 = precision_recall_f1(tp, npred, support)
        rows.append({"category": cat, "support": support, "predicted": npred, "tp": tp,
                     "precision": precision, "recall": recall, "f1": f1})
    table = pd.DataFrame(rows)
    active = table[(table["support"] > 0) | (table["predicted"] > 0)]
    tp, npred, support = table["tp"].sum(), table["predicted"].sum(), table["support"].sum()
    micro_p, micro_r, micro_f1 = precision_recall_f1(tp, npred, support)
    summary = pd.DataFrame([
        {"category": "macro", "support": support, "predicted": npred, "tp": tp,
         "precision": active["precision"].mean(), "recall": active["recall"].mean(), "f1": active["f1"].mean()},
        {"category": "micro", "support": support, "predicted": npred, "tp": tp, "precision": micro_p,
         "recall": micro_r, "f1": micro_f1},
    ])
    return pd.concat([table, summary], ignore_index=True)


def confusion(gold: pd.DataFrame, predicted: pd.DataFrame, ids: Sequence[str], column: str = "themes") -> pd.DataFrame:
    """Gold × predicted co-assignment counts over items (``(none)`` for an empty label set).

    Cell (g, p) counts items whose gold labels include g and whose predicted labels include p: the diagonal
    holds agreements, a large off-diagonal cell a systematic confusion.
    """
    keys = list(ITEM_KEYS)
    both = gold[keys + [column]].merge(predicted[keys + [column]], on=keys, suffixes=("_gold", "_pred"))
    names = [*ids, "(none)"]
    matrix = pd.DataFrame(0, index=pd.Index(names, name="gold"), columns=pd.Index(names, name="predicted"))
    for a, b in zip(split_labels(both[f"{column}_gold"]), split_labels(both[f"{column}_pred"])):
        for g in a or {"(none)"}:
            for p in b or {"(none)"}:
                matrix.loc[g, p] += 1
    return matrix


def coder_against_hand_codes(coded: pd.DataFrame, hand: pd.DataFrame | None, ids: Sequence[str],
                             parts: Sequence[str]) -> pd.DataFrame | Unavailable:
    """Corpus-wide share of items per theme in ``parts``, from the coder and from the hand codes, side by side.

    Returns :class:`~helpers.unavailable.Unavailable` for a corpus without hand codes (only the bundled one has them).
    """
    if hand is None:
        return Unavailable("the check of the coder against hand codes", "only the bundled reports are hand-coded")
    return pd.concat({
        source: theme_profile(frame, ids, by=["part"]).pivot(index="theme", columns="part", values="item_share_pct")
        .reindex(columns=list(parts))
        for source, frame in {"coder": coded, "hand codes": hand}.items()
    }, axis=1).loc[list(ids)]
